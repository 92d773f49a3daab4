package emulator

import "testing"

func TestSASLSSLAdvertisedFollowsAdvertised(t *testing.T) {
	for _, tc := range []struct {
		spec EmbeddedSpec
		want string
	}{
		{EmbeddedSpec{Listen: "0.0.0.0:19092", Advertised: "localhost:19092"}, "localhost:19093"},
		{EmbeddedSpec{Listen: "0.0.0.0:19092", Advertised: "localhost:19092", SASLSSLAdvertised: "kafka:9093"}, "kafka:9093"},
		{EmbeddedSpec{Listen: "0.0.0.0:19092", Advertised: "localhost:19092", SASLSSLListen: "0.0.0.0:19443"}, ""},
		{EmbeddedSpec{Listen: "127.0.0.1:19092"}, ""},
	} {
		if got := tc.spec.saslSSLAdvertised(); got != tc.want {
			t.Errorf("%+v: SASL_SSL advertised %q, want %q", tc.spec, got, tc.want)
		}
	}
}

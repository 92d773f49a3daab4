package emulator

import (
	"strings"
	"testing"
)

func TestCheckPorts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		specs []EmbeddedSpec
		bad   bool
	}{
		{"defaults", DefaultEmbedded(19092, 29092), false},
		{"free ports", DefaultEmbedded(0, 0), false},
		{"next port taken by another cluster", DefaultEmbedded(41001, 41002), true},
		{"moved", []EmbeddedSpec{{ID: "a", Listen: "0.0.0.0:41001", SASLSSLListen: "0.0.0.0:41101"}, {ID: "b", Listen: "0.0.0.0:41002"}}, false},
		{"off", []EmbeddedSpec{{ID: "a", Listen: "0.0.0.0:41001", SASLSSLListen: NoSASLSSL}, {ID: "b", Listen: "0.0.0.0:41002"}}, false},
	} {
		err := checkPorts(tc.specs)
		if (err != nil) != tc.bad {
			t.Errorf("%s: %v", tc.name, err)
		}
		if err != nil && !strings.Contains(err.Error(), "--sasl-ssl") {
			t.Errorf("%s: the error does not say how to fix it: %v", tc.name, err)
		}
	}
}

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

package linkemu

import "testing"

func TestSuggest(t *testing.T) {
	configs := []string{CfgOffsetSyncEnable, CfgOffsetSyncMs, CfgACLSyncEnable, CfgLinkMode}
	tests := []struct {
		name, in   string
		candidates []string
		want       string
	}{
		{"extra letter", "consumer.offset.sync.enabled", configs, CfgOffsetSyncEnable},
		{"swapped letters", "lkc-eats", []string{"lkc-east", "lkc-west"}, "lkc-east"},
		{"case only", "Orders", []string{"orders", "payments"}, "orders"},
		{"missing letter", "ordrs", []string{"orders", "payments"}, "orders"},
		{"nothing close", "missing", []string{"orders", "payments"}, ""},
		{"exact match is no hint", "orders", []string{"orders"}, ""},
		{"no candidates", "orders", nil, ""},
		{"tie goes to sort order", "lkc-est", []string{"lkc-west", "lkc-east"}, "lkc-east"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Suggest(tt.in, tt.candidates); got != tt.want {
				t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDidYouMean(t *testing.T) {
	if got := DidYouMean("lkc-eats", []string{"lkc-east"}); got != " Did you mean 'lkc-east'?" {
		t.Errorf("got %q", got)
	}
	if got := DidYouMean("zzz", []string{"lkc-east"}); got != "" {
		t.Errorf("got %q", got)
	}
}

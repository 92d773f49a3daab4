package linkemu

import (
	"strings"
	"testing"
)

func TestMirrorLimits(t *testing.T) {
	l := Limits{PartitionsPerTopic: 8}
	cases := []struct {
		name       string
		err        error
		code       string   // "" means accepted
		msgContain []string // parts of the message
	}{
		{"partitions at the limit", l.CheckMirrorPartitions("lkc-west", "orders", 8), "", nil},
		{"partitions over the limit", l.CheckMirrorPartitions("lkc-west", "orders", 9), EQUOTA,
			[]string{"'orders'", "9 partitions", "more than the 8", "lkc-west", "--max-partitions-per-topic", "EMULATOR_MAX_PARTITIONS_PER_TOPIC"}},
		{"no limit set", Limits{}.CheckMirrorPartitions("lkc-west", "orders", 1<<20), "", nil},
		{"name at 249 characters", CheckMirrorName("east.", strings.Repeat("a", 244)), "", nil},
		{"name over 249 characters", CheckMirrorName("east.", strings.Repeat("a", 245)), EINVALID,
			[]string{"250 characters", "at most 249", "'east.'"}},
		{"no prefix, 249 characters", CheckMirrorName("", strings.Repeat("a", 249)), "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ErrorCode(c.err); got != c.code {
				t.Fatalf("code %q (%v), want %q", got, c.err, c.code)
			}
			for _, s := range c.msgContain {
				if !strings.Contains(ErrorMessage(c.err), s) {
					t.Errorf("message %q lacks %q", ErrorMessage(c.err), s)
				}
			}
		})
	}
	msg := l.MirrorGrowthRefused("lkc-west", "east.orders", "orders", 12, 4)
	for _, s := range []string{"'orders'", "'east.orders'", "12 partitions", "more than the 8", "its 4 partitions", "--max-partitions-per-topic"} {
		if !strings.Contains(msg, s) {
			t.Errorf("growth message %q lacks %q", msg, s)
		}
	}
}

// TestPrefixLeavesRoomForAName checks that the longest cluster.link.prefix
// accepted still leaves room for a source topic name, so that the length
// of a mirror name only has to be checked per source topic.
func TestPrefixLeavesRoomForAName(t *testing.T) {
	if ClusterLinkPrefixMaxLen >= TopicNameMaxLen {
		t.Fatalf("cluster.link.prefix may have %d characters, leaving no room in a %d-character topic name", ClusterLinkPrefixMaxLen, TopicNameMaxLen)
	}
	if err := checkPrefix(strings.Repeat("p", TopicNameMaxLen)); err == nil {
		t.Fatal("a prefix of 249 characters was accepted")
	}
}

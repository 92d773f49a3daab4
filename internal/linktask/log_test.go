package linktask

import (
	"testing"
	"time"
)

func TestErrorLog(t *testing.T) {
	var l ErrorLog
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		msg  string // "" for a success
		at   time.Duration
		want bool // logged: the failure, or the recovery
	}{
		{"", 0, false},                           // a success with nothing to recover from
		{"broker down", 0, true},                 // a new failure
		{"broker down", 30 * time.Second, false}, // the same within a minute
		{"denied", 40 * time.Second, true},       // another failure
		{"denied", 99 * time.Second, false},
		{"denied", 100 * time.Second, true}, // a minute after it was logged
		{"", 101 * time.Second, true},       // the recovery
		{"", 102 * time.Second, false},
		{"denied", 103 * time.Second, true}, // forgotten by the success
	}
	for i, s := range steps {
		var got bool
		if s.msg == "" {
			got = l.Succeeded()
		} else {
			got = l.Failed(s.msg, t0.Add(s.at))
		}
		if got != s.want {
			t.Errorf("step %d (%q at %s) logged = %v, want %v", i, s.msg, s.at, got, s.want)
		}
	}
}

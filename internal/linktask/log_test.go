package linktask

import "testing"

func TestErrorLog(t *testing.T) {
	var l ErrorLog
	steps := []struct {
		msg  string // "" for a success
		want bool   // logged: the failure, or the recovery
	}{
		{"", false},            // a success with nothing to recover from
		{"broker down", true},  // a new failure
		{"broker down", false}, // the same again: the task status says it
		{"broker down", false},
		{"denied", true}, // another failure
		{"denied", false},
		{"", true}, // the recovery
		{"", false},
		{"denied", true}, // forgotten by the success
	}
	for i, s := range steps {
		var got bool
		if s.msg == "" {
			got = l.Succeeded()
		} else {
			got = l.Failed(s.msg)
		}
		if got != s.want {
			t.Errorf("step %d (%q) logged = %v, want %v", i, s.msg, got, s.want)
		}
	}
}

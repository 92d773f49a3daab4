package linktask

import (
	"testing"
	"time"

	"github.com/linkemu/linkemu"
)

func TestParseBool(t *testing.T) {
	tests := []struct {
		configs map[string]string
		want    bool
		msg     string // of the EINVALID error, "" for none
	}{
		{nil, false, ""},
		{map[string]string{"acl.sync.enable": ""}, false, ""},
		{map[string]string{"acl.sync.enable": "true"}, true, ""},
		{map[string]string{"acl.sync.enable": "FALSE"}, false, ""},
		{map[string]string{"acl.sync.enable": "on"}, false, `Invalid value "on" for acl.sync.enable: use true or false.`},
	}
	for _, tt := range tests {
		got, err := ParseBool(tt.configs, "acl.sync.enable")
		if got != tt.want || linkemu.ErrorMessage(err) != tt.msg || tt.msg != "" && linkemu.ErrorCode(err) != linkemu.EINVALID {
			t.Errorf("ParseBool(%v) = %v, %v; want %v and %q", tt.configs, got, err, tt.want, tt.msg)
		}
	}
}

func TestParseInterval(t *testing.T) {
	tests := []struct {
		configs map[string]string
		def     time.Duration
		want    time.Duration
		msg     string // of the EINVALID error, "" for none
	}{
		{nil, 5 * time.Second, 5 * time.Second, ""},
		{map[string]string{"acl.sync.ms": "250"}, 5 * time.Second, 250 * time.Millisecond, ""},
		{map[string]string{"acl.sync.ms": "-1"}, 5 * time.Second, 5 * time.Second, `Invalid value "-1" for acl.sync.ms: use a positive number of milliseconds, e.g. 5000.`},
		{map[string]string{"acl.sync.ms": "0"}, 30 * time.Second, 30 * time.Second, `Invalid value "0" for acl.sync.ms: use a positive number of milliseconds, e.g. 30000.`},
		{map[string]string{"acl.sync.ms": ""}, 30 * time.Second, 30 * time.Second, `Invalid value "" for acl.sync.ms: use a positive number of milliseconds, e.g. 30000.`},
		{map[string]string{"acl.sync.ms": "soon"}, 30 * time.Second, 30 * time.Second, `Invalid value "soon" for acl.sync.ms: use a positive number of milliseconds, e.g. 30000.`},
	}
	for _, tt := range tests {
		got, err := ParseInterval(tt.configs, "acl.sync.ms", tt.def)
		if got != tt.want || linkemu.ErrorMessage(err) != tt.msg || tt.msg != "" && linkemu.ErrorCode(err) != linkemu.EINVALID {
			t.Errorf("ParseInterval(%v, %s) = %s, %v; want %s and %q", tt.configs, tt.def, got, err, tt.want, tt.msg)
		}
	}
}

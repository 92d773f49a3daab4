package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuild(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.0",
		Main:      debug.Module{Path: "github.com/linkemu/linkemu", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "github.com/twmb/franz-go", Version: "v1.22.2"},
			{Path: kfakePath, Version: "v0.0.0-20260918054303-01f206a7e32c", Replace: &debug.Module{Path: "./third_party/kfake"}},
		},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-03T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}},
	}
	tests := []struct {
		name                  string
		bi                    *debug.BuildInfo
		version, commit, date string
		want                  Info
	}{
		{"from VCS stamps", bi, "", "", "", Info{Version: "unknown", Commit: "0123456789abcdef0123-dirty", BuildDate: "2026-12-03T10:00:00Z", GoVersion: "go1.26.0",
			Kfake: "v0.0.0-20260918054303-01f206a7e32c (linkemu fork)", FranzGo: "v1.22.2"}},
		{"ldflags win", bi, "v0.9.0", "feedface", "2026-12-01T00:00:00Z", Info{Version: "v0.9.0", Commit: "feedface", BuildDate: "2026-12-01T00:00:00Z", GoVersion: "go1.26.0",
			Kfake: "v0.0.0-20260918054303-01f206a7e32c (linkemu fork)", FranzGo: "v1.22.2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fromBuild(tt.bi, tt.version, tt.commit, tt.date); got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
	if got := fromBuild(nil, "", "", ""); got.Version != "unknown" || got.Kfake != "unknown" || !strings.HasPrefix(got.GoVersion, "go") {
		t.Errorf("without build info: %+v", got)
	}
}

func TestString(t *testing.T) {
	i := Info{Version: "v1.0.0", Commit: "0123456789abcdef0123-dirty", BuildDate: "2026-12-03T10:00:00Z", GoVersion: "go1.26.0", Kfake: "v0 (linkemu fork)", FranzGo: "v1.22.2"}
	want := "linkemu v1.0.0 (commit 0123456789ab-dirty, built 2026-12-03T10:00:00Z, go1.26.0, kfake v0 (linkemu fork), franz-go v1.22.2)"
	if got := i.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// Package buildinfo says which build of linkemu runs: its version, commit,
// build date, Go version and the versions of the Kafka code it embeds
// (kfake, franz-go). `emulator version`, `emulator --version`, the ready
// line and GET /healthz all report it.
//
// The module's build info (runtime/debug.ReadBuildInfo) gives the module
// and dependency versions, and the VCS commit and time when the go command
// stamped them (a build inside the repository). `make build` also sets
// Version, Commit and Date with -ldflags -X, which win; a `go run` or a
// test binary may know none of them, and then says "unknown".
//
// kfake is linkemu's own copy (third_party/kfake, a go.mod replace): its
// version is the upstream version it was taken from, marked "(linkemu fork)".
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set at link time by the Makefile:
//
//	-ldflags "-X github.com/linkemu/linkemu/internal/buildinfo.Version=... -X ...Commit=... -X ...Date=..."
var (
	Version string
	Commit  string
	Date    string
)

const (
	kfakePath   = "github.com/twmb/franz-go/pkg/kfake"
	franzGoPath = "github.com/twmb/franz-go"
	unknown     = "unknown"
)

// Info is the build of the running binary.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	BuildDate string `json:"build_date"`
	GoVersion string `json:"go_version"`
	Kfake     string `json:"kfake"`
	FranzGo   string `json:"franz_go"`
}

// Get returns the build of the running binary.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuild(bi, Version, Commit, Date)
}

// fromBuild combines build info with the values set by -ldflags.
func fromBuild(bi *debug.BuildInfo, version, commit, date string) Info {
	info := Info{Version: version, Commit: commit, BuildDate: date, GoVersion: runtime.Version(), Kfake: unknown, FranzGo: unknown}
	if bi != nil {
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" {
					info.Commit = s.Value
				}
			case "vcs.time":
				if info.BuildDate == "" {
					info.BuildDate = s.Value
				}
			case "vcs.modified":
				if s.Value == "true" && info.Commit != "" && !strings.HasSuffix(info.Commit, "-dirty") && commit == "" {
					info.Commit += "-dirty"
				}
			}
		}
		for _, d := range bi.Deps {
			switch d.Path {
			case kfakePath:
				info.Kfake = d.Version
				if d.Replace != nil {
					info.Kfake += " (linkemu fork)"
				}
			case franzGoPath:
				info.FranzGo = d.Version
			}
		}
		if bi.GoVersion != "" {
			info.GoVersion = bi.GoVersion
		}
	}
	for _, p := range []*string{&info.Version, &info.Commit, &info.BuildDate} {
		if *p == "" {
			*p = unknown
		}
	}
	return info
}

// String is the one-line form: "linkemu v1.2.3 (commit abc1234, built
// 2026-12-03T11:00:00Z, go1.26.0, kfake v0.0.0-... (linkemu fork), franz-go v1.22.2)".
func (i Info) String() string {
	return fmt.Sprintf("linkemu %s (commit %s, built %s, %s, kfake %s, franz-go %s)",
		i.Version, short(i.Commit), i.BuildDate, i.GoVersion, i.Kfake, i.FranzGo)
}

// short abbreviates a full commit hash to 12 characters, keeping a -dirty
// mark.
func short(commit string) string {
	base, dirty := strings.CutSuffix(commit, "-dirty")
	if len(base) > 12 {
		base = base[:12]
	}
	if dirty {
		base += "-dirty"
	}
	return base
}

// Short is the version and commit only: "linkemu v1.2.3 (commit abc1234)".
func (i Info) Short() string {
	return fmt.Sprintf("linkemu %s (commit %s)", i.Version, short(i.Commit))
}

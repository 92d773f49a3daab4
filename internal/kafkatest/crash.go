package kafkatest

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// CrashCopy starts a cluster on a copy of a running cluster's data dir, as
// it would find the files after a crash: no clean-shutdown snapshot, no
// session state. prepare, when set, may change or damage the copy before
// the start; opts are the new cluster's options besides its data dir. It
// returns the cluster and the copy's path.
func CrashCopy(t testing.TB, dir string, prepare func(dir string), opts ...Option) (*Cluster, string) {
	t.Helper()
	cp := filepath.Join(t.TempDir(), "crashed")
	if out, err := exec.Command("cp", "-a", dir, cp).CombinedOutput(); err != nil {
		t.Fatalf("copying the data dir: %v %s", err, out)
	}
	if prepare != nil {
		prepare(cp)
	}
	return NewCluster(t, append([]Option{WithDataDir(cp)}, opts...)...), cp
}

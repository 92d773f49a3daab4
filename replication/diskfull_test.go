package replication

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/linkemu/linkemu/internal/kafkatest"
)

// disk is a data dir that a test can fill up and free again: a small tmpfs
// when the test may mount one, else a directory whose writes kfake's
// storage fault hook fails with ENOSPC while it is full.
type disk struct {
	dir   string
	opts  []kafkatest.Option
	full  atomic.Bool
	tmpfs bool
}

func newDisk(t *testing.T, tryTmpfs bool) *disk {
	t.Helper()
	d := &disk{dir: t.TempDir()}
	if tryTmpfs {
		if err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", d.dir).Run(); err == nil {
			d.tmpfs = true
			t.Cleanup(func() { _ = exec.Command("umount", "-l", d.dir).Run() })
		} else {
			t.Logf("no tmpfs (%v): failing writes with kfake's storage fault hook", err)
		}
	}
	d.opts = []kafkatest.Option{kafkatest.WithDataDir(d.dir)}
	if !d.tmpfs {
		d.opts = append(d.opts, kafkatest.WithKfake(kfake.StorageFault(func(string, string) error {
			if d.full.Load() {
				return syscall.ENOSPC
			}
			return nil
		})))
	}
	return d
}

// fill leaves no free space.
func (d *disk) fill(t *testing.T) {
	t.Helper()
	d.full.Store(true)
	if !d.tmpfs {
		return
	}
	f, err := os.Create(filepath.Join(d.dir, "ballast"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	// Fill the last bytes too, smaller than a block of buf.
	for _, n := range []int{4096, 512, 1} {
		for {
			if _, err := f.Write(buf[:n]); err != nil {
				break
			}
		}
	}
}

// free gives the space back.
func (d *disk) free(t *testing.T) {
	t.Helper()
	d.full.Store(false)
	if d.tmpfs {
		if err := os.Remove(filepath.Join(d.dir, "ballast")); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDiskFullOnTheDestination fills the destination broker's disk while
// the source gets more records, plain and transactional: the broker answers
// KAFKA_STORAGE_ERROR, the mirror never reports itself caught up while the
// destination is behind, and once space returns it resumes from the
// destination's real log end and ends exact, with no record at a wrong
// offset.
func TestDiskFullOnTheDestination(t *testing.T) {
	t.Run("tmpfs", func(t *testing.T) { diskFullOnTheDestination(t, newDisk(t, true)) })
	t.Run("storage fault hook", func(t *testing.T) { diskFullOnTheDestination(t, newDisk(t, false)) })
}

func diskFullOnTheDestination(t *testing.T, d *disk) {
	e := newEnv(t, withDest(d.opts...))
	e.topic("t", 2, nil)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Keyed(50, 7)...)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
	eventually(t, waitLong, e.synced(w, "t", 2))

	d.fill(t)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.WithHeaders(kafkatest.Keyed(120, 9))...)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(3000, 100)...)
	kafkatest.ProduceTxns(t, e.src, "t", "tx",
		kafkatest.Txn{Records: kafkatest.ToPartition(kafkatest.Plain(20, 100), 1), Commit: true},
		kafkatest.Txn{Records: kafkatest.ToPartition(kafkatest.Plain(20, 100), 0)})
	ctx := context.Background()
	srcEnds, err := e.src.Admin().ListEndOffsets(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	sawStorageErr := false
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		st, _ := w.Status("t")
		dstEnds, err := e.dst.Admin().ListEndOffsets(ctx, "t")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range st.Partitions {
			src, _ := srcEnds.Lookup("t", p.Partition)
			dst, _ := dstEnds.Lookup("t", p.Partition)
			if dst.Offset < src.Offset && p.Lag == 0 && p.SourceHighWatermark == src.Offset {
				t.Fatalf("partition %d reported caught up (lag 0) with the mirror at %d and the source at %d", p.Partition, dst.Offset, src.Offset)
			}
			if p.Err != nil {
				sawStorageErr = true
			}
		}
	}
	if !sawStorageErr {
		t.Error("the full disk was never reported: no partition error, no broker storage error")
	}
	if err, _ := e.dst.LastStorageError(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("broker storage error while the disk is full: %v", err)
	}

	d.free(t)
	eventually(t, waitLong, e.synced(w, "t", 2))
	kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")
}

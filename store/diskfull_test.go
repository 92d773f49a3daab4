package store

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	linkemu "github.com/linkemu/linkemu"
)

// TestFullDiskFailsWritesWithAStorageError fills the store's disk (a small
// tmpfs) and checks that a write fails with ESTORAGE saying the disk is
// full and naming the file, that Ping reports it, and that both recover
// once space returns. Where no tmpfs can be mounted, the message of an
// ENOSPC commit is checked directly.
func TestFullDiskFailsWritesWithAStorageError(t *testing.T) {
	dir := t.TempDir()
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir).Run(); err != nil {
		t.Logf("no tmpfs (%v): checking the error an ENOSPC commit gives", err)
		checkFullMessage(t, writeError("/data/linkemu.db", &os.PathError{Op: "write", Path: "/data/linkemu.db", Err: syscall.ENOSPC}), "/data/linkemu.db")
		return
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	ballast := filepath.Join(dir, "ballast")
	f, err := os.Create(ballast)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{64 << 10, 4096, 1} {
		for {
			if _, err := f.Write(make([]byte, n)); err != nil {
				break
			}
		}
	}
	f.Close()

	big := bytes.Repeat([]byte("x"), 256<<10)
	put := func(i int) error {
		return s.Update(func(tx *Tx) error { return tx.KVPut([]string{"test"}, fmt.Sprint(i), big) })
	}
	var werr error
	for i := 0; i < 64 && werr == nil; i++ {
		werr = put(i)
	}
	checkFullMessage(t, werr, s.Path())
	if err := s.Ping(); linkemu.ErrorCode(err) != linkemu.ESTORAGE {
		t.Errorf("Ping with a full disk: %v", err)
	}

	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	s.failHold = 0 // do not wait for the report to expire
	if err := s.Ping(); err != nil {
		t.Errorf("Ping once space returned: %v", err)
	}
	if err := put(100); err != nil {
		t.Errorf("write once space returned: %v", err)
	}
}

func checkFullMessage(t *testing.T, err error, path string) {
	t.Helper()
	if linkemu.ErrorCode(err) != linkemu.ESTORAGE || !strings.Contains(linkemu.ErrorMessage(err), "is full") ||
		!strings.Contains(linkemu.ErrorMessage(err), path) {
		t.Fatalf("write to a full disk: %v", err)
	}
}

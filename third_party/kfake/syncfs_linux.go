package kfake

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFS makes every file of dir's file system durable with one
// syncfs(2) (linkemu change, see partsnap.go).
func syncFS(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		return &os.PathError{Op: "syncfs", Path: dir, Err: err}
	}
	return nil
}

//go:build !linux

package kfake

import "errors"

// syncFS is only available on Linux; elsewhere a shutdown writes no
// clean-shutdown token and the next start checks every partition's files
// (linkemu change, see partsnap.go).
func syncFS(string) error { return errors.ErrUnsupported }

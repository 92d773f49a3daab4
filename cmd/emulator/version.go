package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/linkemu/linkemu/internal/buildinfo"
)

// wantsVersion reports whether the command line asks for the build:
// "emulator version" or a --version flag anywhere before "--".
func wantsVersion(args []string) bool {
	if len(args) > 0 && args[0] == "version" {
		return true
	}
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "--version", "-version":
			return true
		}
	}
	return false
}

// printVersion prints the build: one line, or JSON with --json (the shape
// GET /healthz reports under "build").
func printVersion(w io.Writer, args []string) error {
	info := buildinfo.Get()
	if slices.Contains(args, "--json") || slices.Contains(args, "-json") {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(info)
	}
	_, err := fmt.Fprintln(w, info.String())
	return err
}

package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	linkemu "github.com/linkemu/linkemu"
)

// knownEnv returns the environment variable of every flag.
func knownEnv() []string {
	var out []string
	newFlagSet(&settings{}, io.Discard).VisitAll(func(f *flag.Flag) { out = append(out, envName(f.Name)) })
	sort.Strings(out)
	return out
}

// unknownEnv returns a warning for each EMULATOR_* variable in environ that
// no flag reads: a misspelt variable is otherwise ignored in silence.
func unknownEnv(environ []string) []string {
	known := knownEnv()
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "EMULATOR_") || slices.Contains(known, name) {
			continue
		}
		out = append(out, fmt.Sprintf("environment variable %s is not a setting of the emulator and is ignored.%s See emulator --help for the EMULATOR_* variables.", name, linkemu.DidYouMean(name, known)))
	}
	sort.Strings(out)
	return out
}

// warnUnknownEnv logs unknownEnv's warnings.
func warnUnknownEnv(log *slog.Logger, environ []string) {
	for _, w := range unknownEnv(environ) {
		log.Warn(w)
	}
}

// expectedFormat describes the values a flag accepts, for errors about a
// bad environment value.
func expectedFormat(f *flag.Flag) string {
	switch v := f.Value.(type) {
	case interface{ IsBoolFlag() bool }:
		if v.IsBoolFlag() {
			return "true or false"
		}
	}
	if _, ok := f.Value.(flag.Getter); ok {
		switch f.Value.(flag.Getter).Get().(type) {
		case time.Duration:
			return "a duration such as 500ms, 15s or 2m"
		case int, int64, uint, uint64:
			return "a whole number"
		}
	}
	return "a value as --" + f.Name + " takes: " + f.Usage
}

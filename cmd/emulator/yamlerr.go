package main

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	linkemu "github.com/linkemu/linkemu"
	"gopkg.in/yaml.v3"
)

// yamlError rewrites a decoding error of the --config file in the file's
// own terms, keys and YAML kinds with line numbers, instead of the Go
// types it is decoded into.
func yamlError(err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return strings.TrimPrefix(err.Error(), "yaml: ")
	}
	lines := make([]string, 0, len(te.Errors))
	for _, e := range te.Errors {
		lines = append(lines, yamlLine(e))
	}
	return strings.Join(lines, "; ")
}

var (
	unknownFieldRE = regexp.MustCompile(`^(line \d+): field (\S+) not found in type (.+)$`)
	badValueRE     = regexp.MustCompile("^(line \\d+): cannot unmarshal !!(\\w+) `(.*)` into (.+)$")
	yamlKinds      = map[string]string{"str": "a string", "int": "a number", "float": "a number", "bool": "true or false", "seq": "a list", "map": "a mapping", "null": "nothing"}
)

// yamlLine rewrites one entry of a yaml.TypeError.
func yamlLine(e string) string {
	if m := unknownFieldRE.FindStringSubmatch(e); m != nil {
		keys := yamlKeys[m[3]]
		return fmt.Sprintf("%s: unknown key %q.%s The keys here are: %s.", m[1], m[2], didYouMeanKey(m[2], keys), strings.Join(keys, ", "))
	}
	if m := badValueRE.FindStringSubmatch(e); m != nil {
		found := yamlKinds[m[2]]
		if found == "" {
			found = "!!" + m[2]
		}
		return fmt.Sprintf("%s: expected %s, found %s %q", m[1], goTypeInYAML(m[4]), found, m[3])
	}
	return e
}

func didYouMeanKey(key string, keys []string) string {
	if s := linkemu.Suggest(key, keys); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// goTypeInYAML names the YAML kind a Go type is decoded from.
func goTypeInYAML(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "struct"), strings.Contains(t, "."):
		return "a mapping"
	case t == "string":
		return "a string"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "a number"
	}
	return t
}

// yamlKeys maps each struct type the config file decodes into, by the name
// yaml.v3 gives it in errors, to the keys it accepts.
var yamlKeys = func() map[string][]string {
	out := map[string][]string{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		if _, done := out[t.String()]; done {
			return
		}
		var keys []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			keys = append(keys, name)
		}
		sort.Strings(keys)
		out[t.String()] = keys
		for i := range t.NumField() {
			walk(t.Field(i).Type)
		}
	}
	walk(reflect.TypeOf(fileConfig{}))
	return out
}()

package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
)

// Every request body and parameter is read here, so that what a request may
// ask for is bounded in one place: bodies are capped (limitBody), integers
// are range-checked before they are narrowed (checkInt, and decode for
// numbers too large for Go's int), and a value out of range is a 400 with
// error_code 40002 that names the field and the range it accepts.

// limitBody caps every request body at max bytes; decode answers 413 when a
// body is larger.
func limitBody(max int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, max)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// intFields are the ranges of the integer fields of request bodies, by JSON
// field name, for the message of a number that does not even fit Go's int.
type intFields map[string]linkemu.Range

// decode reads a JSON body into v. An empty body decodes as {} when
// allowEmpty is set. ranges, if given, name the accepted range of integer
// fields whose value overflows.
func decode(r *http.Request, v any, allowEmpty bool, ranges ...intFields) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return linkemu.Errorf(linkemu.ETOOLARGE, "The request body is larger than %d bytes: send a smaller request.", tooBig.Limit)
		}
		return linkemu.Errorf(linkemu.EMALFORMED, "Cannot read the request body: %v", err)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		if allowEmpty {
			return nil
		}
		return linkemu.Errorf(linkemu.EMALFORMED, "The request body is empty; send a JSON object.")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te) && isInt(te.Type) && strings.HasPrefix(te.Value, "number"):
			value := strings.TrimSpace(strings.TrimPrefix(te.Value, "number"))
			for _, rs := range ranges {
				if rg, ok := rs[te.Field]; ok {
					return rg.OutOfRange(te.Field, value)
				}
			}
			return linkemu.Errorf(linkemu.EINVALID, "Invalid value %s for %s: give a whole number.", value, te.Field)
		case errors.As(err, &te):
			return linkemu.Errorf(linkemu.EMALFORMED, "Cannot deserialize value of type %s from %s at field %q.", te.Type, te.Value, te.Field)
		case errors.As(err, &se):
			return linkemu.Errorf(linkemu.EMALFORMED, "Malformed JSON at byte %d: %v", se.Offset, err)
		default:
			return linkemu.Errorf(linkemu.EMALFORMED, "Malformed JSON: %v", err)
		}
	}
	return nil
}

func isInt(t reflect.Type) bool {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// checkInt range-checks an optional integer field: nil means absent and is
// accepted.
func checkInt(field string, v *int, rg linkemu.Range) error {
	if v == nil {
		return nil
	}
	return rg.Check(field, int64(*v))
}

// int32Param reads an integer path parameter (a partition or broker ID):
// not a number is a malformed request, a number outside 0..2^31-1 is out
// of range.
func int32Param(r *http.Request, name string) (int32, error) {
	v := chi.URLParam(r, name)
	rg := linkemu.Range{Min: 0, Max: 1<<31 - 1}
	n, err := strconv.ParseInt(v, 10, 64)
	var ne *strconv.NumError
	switch {
	case errors.As(err, &ne) && ne.Err == strconv.ErrRange:
		return 0, rg.OutOfRange(name, v)
	case err != nil:
		return 0, linkemu.Errorf(linkemu.EMALFORMED, "Cannot deserialize value of type `java.lang.Integer` from String %q: not a valid `java.lang.Integer` value", v)
	}
	if err := rg.Check(name, n); err != nil {
		return 0, err
	}
	return int32(n), nil
}

// queryBool reads a boolean query parameter.
func queryBool(r *http.Request, name string, def bool) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(strings.ToLower(v))
	if err != nil {
		return false, linkemu.Errorf(linkemu.EMALFORMED, "Cannot deserialize value of type `boolean` from String %q for query parameter %s: use true or false.", v, name)
	}
	return b, nil
}

// queryBools reads several boolean parameters at once.
func queryBools(r *http.Request, defs map[string]bool) (map[string]bool, error) {
	out := make(map[string]bool, len(defs))
	for name, def := range defs {
		v, err := queryBool(r, name, def)
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	return out, nil
}

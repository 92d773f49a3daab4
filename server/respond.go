package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
)

// writeJSON writes v with the given status.
func writeJSON(w http.ResponseWriter, _ *http.Request, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // self links carry '&' in query strings
	_ = enc.Encode(v)
}

// writeErr writes an error body.
func writeErr(w http.ResponseWriter, r *http.Request, status, code int, msg string) {
	writeJSON(w, r, status, api.Error{ErrorCode: code, Message: msg})
}

// noContent answers 204 with an empty body.
func noContent(w http.ResponseWriter) {
	w.Header().Del("Content-Type")
	w.WriteHeader(http.StatusNoContent)
}

// maxBody bounds request bodies.
const maxBody = 4 << 20

// decode reads a JSON body into v. An empty body decodes as {} when
// allowEmpty is set.
func decode(r *http.Request, v any, allowEmpty bool) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return linkemu.Errorf(linkemu.EMALFORMED, "Cannot read the request body: %v", err)
	}
	if len(body) > maxBody {
		return linkemu.Errorf(linkemu.EMALFORMED, "The request body is larger than %d bytes.", maxBody)
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

// crn builds a Confluent resource name.
func crn(parts ...string) *string {
	s := "crn:///"
	for i := 0; i+1 < len(parts); i += 2 {
		if i > 0 {
			s += "/"
		}
		s += fmt.Sprintf("%s=%s", parts[i], parts[i+1])
	}
	return &s
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package server

import (
	"encoding/json"
	"fmt"
	"net/http"

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

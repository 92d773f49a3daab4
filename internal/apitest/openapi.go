package apitest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// openAPISpec is one of Confluent's OpenAPI specs, loaded on first use,
// that responses are validated against.
type openAPISpec struct {
	data func() []byte // the spec, as the SDK ships it
	host string        // the spec's server: requests are rewritten to it so its router matches

	once   sync.Once
	router routers.Router
	err    error
}

// validate checks a response (its status, headers and body) against the
// operation that its request, at path in the spec, matches.
func (s *openAPISpec) validate(r *Response, path string, body []byte) error {
	s.once.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(s.data())
		if err != nil {
			s.err = err
			return
		}
		s.router, s.err = gorillamux.NewRouter(doc)
	})
	if s.err != nil {
		return s.err
	}
	u, _ := url.Parse(s.host + path)
	u.RawQuery = r.Req.URL.RawQuery
	req, _ := http.NewRequest(r.Req.Method, u.String(), nil)
	req.Header = r.Req.Header.Clone()
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return err
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true},
	}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                in.Options,
	})
}

package server

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/networking"
)

// The /networking/v1 routes serve Confluent Cloud's network linking API:
// network link services (networking_services.go), endpoints
// (networking_endpoints.go) and service associations
// (networking_associations.go), over a networking.Fabric. They speak the
// Cloud API dialect: 202 on create, environment as a required query
// parameter, repeated query parameters as filters, page_size/page_token
// pagination with metadata.next, and {"errors":[...]} failures
// (writeCloudError).

func (s *Server) networkingRoutes(r chi.Router) {
	r.Use(s.cloudAuthenticate)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeCloudError(w, r, linkemu.Errorf(linkemu.ENOTFOUND, "No route %s %s: this emulator serves network-link-services, network-link-endpoints and network-link-service-associations under /networking/v1.", r.Method, r.URL.Path))
	})
	r.MethodNotAllowed(networkingMethodNotAllowed)
	r.Route("/network-link-services", func(r chi.Router) {
		r.Get("/", s.listNetworkLinkServices)
		r.Post("/", s.createNetworkLinkService)
		r.Get("/{id}", s.getNetworkLinkService)
		r.Patch("/{id}", s.updateNetworkLinkService)
		r.Delete("/{id}", s.deleteNetworkLinkService)
	})
	r.Route("/network-link-endpoints", func(r chi.Router) {
		r.Get("/", s.listNetworkLinkEndpoints)
		r.Post("/", s.createNetworkLinkEndpoint)
		r.Get("/{id}", s.getNetworkLinkEndpoint)
		r.Patch("/{id}", s.updateNetworkLinkEndpoint)
		r.Delete("/{id}", s.deleteNetworkLinkEndpoint)
	})
	r.Route("/network-link-service-associations", func(r chi.Router) {
		r.Get("/", s.listNetworkLinkServiceAssociations)
		r.Get("/{id}", s.getNetworkLinkServiceAssociation)
	})
}

// cloudFail writes err as a Cloud API failure.
func (s *Server) cloudFail(w http.ResponseWriter, r *http.Request, err error) {
	if linkemu.ErrorCode(err) == linkemu.EINTERNAL {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeCloudError(w, r, err)
}

// cloudRefs builds the self links, related links and resource names of
// Cloud API objects.
type cloudRefs struct{ base string }

func (s *Server) cloudRefs(r *http.Request) cloudRefs { return cloudRefs{base: s.base(r)} }

// crn returns a Confluent resource name under the organization.
func (cloudRefs) crn(parts ...string) string {
	out := "crn://confluent.cloud/organization=" + networking.Organization
	for i := 0; i+1 < len(parts); i += 2 {
		out += "/" + parts[i] + "=" + parts[i+1]
	}
	return out
}

// url returns an absolute URL of path, scoped to env when it is set.
func (c cloudRefs) url(path, env string) string {
	u := c.base + path
	if env != "" {
		u += "?environment=" + url.QueryEscape(env)
	}
	return u
}

func (c cloudRefs) environment(env string) api.GlobalObjectReference {
	return api.GlobalObjectReference{ID: env, Related: c.url("/v2/environments/"+env, ""), ResourceName: c.crn("environment", env)}
}

func (c cloudRefs) network(env, id string) api.EnvScopedObjectReference {
	return api.EnvScopedObjectReference{ID: id, Environment: env,
		Related: c.url("/networking/v1/networks/"+id, env), ResourceName: c.crn("environment", env, "network", id)}
}

// service refers to a service with the resource_name the service itself
// reports (network= included); network is empty only for endpoints stored
// before linkemu kept it.
func (c cloudRefs) service(env, network, id string) api.EnvScopedObjectReference {
	crn := c.crn("environment", env, "network", network, "network-link-service", id)
	if network == "" {
		crn = c.crn("environment", env, "network-link-service", id)
	}
	return api.EnvScopedObjectReference{ID: id, Environment: env,
		Related: c.url("/networking/v1/network-link-services/"+id, env), ResourceName: crn}
}

// cloudStatus builds the status of a service, endpoint or association.
func cloudStatus(phase networking.Phase, errMsg string) api.NetworkLinkStatus {
	st := api.NetworkLinkStatus{Phase: string(phase)}
	if errMsg != "" {
		st.ErrorMessage = &errMsg
	}
	return st
}

func timePtr(t time.Time) *time.Time { return &t }

// page is a request for one page of a list.
type page struct {
	size  int
	after string // the last ID of the previous page
}

const (
	defaultPageSize = 10
	maxPageSize     = 1000
)

// parsePage reads page_size and page_token.
func parsePage(r *http.Request) (page, error) {
	p := page{size: defaultPageSize}
	q := r.URL.Query()
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return p, linkemu.Errorf(linkemu.EMALFORMED, "page_size %q is invalid: give a number from 1 to %d.", v, maxPageSize)
		}
		p.size = n
	}
	if v := q.Get("page_token"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil || len(b) == 0 {
			return p, linkemu.Errorf(linkemu.EMALFORMED, "page_token %q is invalid: pass the token of metadata.next unchanged.", v)
		}
		p.after = string(b)
	}
	return p, nil
}

// paginate returns one page of items, which are ordered by ID, and the list
// metadata with a next link when more items follow.
func paginate[T any](r *http.Request, base string, items []T, id func(T) string, p page) ([]T, api.CloudListMeta) {
	start := 0
	if p.after != "" {
		for start < len(items) && id(items[start]) <= p.after {
			start++
		}
	}
	end := min(start+p.size, len(items))
	meta := api.CloudListMeta{TotalSize: int32(len(items))}
	q := r.URL.Query()
	q.Del("page_token")
	first := base + r.URL.Path
	if enc := q.Encode(); enc != "" {
		first += "?" + enc
	}
	meta.First = &first
	if end < len(items) {
		q.Set("page_token", base64.RawURLEncoding.EncodeToString([]byte(id(items[end-1]))))
		next := base + r.URL.Path + "?" + q.Encode()
		meta.Next = &next
	}
	return items[start:end], meta
}

// cloudList builds a page of a list of kind.
func cloudList[T any](kind string, data []T, meta api.CloudListMeta) api.CloudList[T] {
	if data == nil {
		data = []T{}
	}
	return api.CloudList[T]{APIVersion: api.NetworkingAPIVersion, Kind: kind, Metadata: meta, Data: data}
}

// decodeCloud decodes a request body; the spec object is required.
func decodeCloud[T any](r *http.Request, v *T, hasSpec func(*T) bool) error {
	if err := decode(r, v, false); err != nil {
		return err
	}
	if !hasSpec(v) {
		return linkemu.Errorf(linkemu.EINVALID, "The request body has no spec object: send {\"spec\": {...}}.")
	}
	return nil
}

// idOf returns the id of an optional reference.
func idOf(ref *api.ObjectID) string {
	if ref == nil {
		return ""
	}
	return ref.ID
}

// networkingMethodNotAllowed answers a method /networking/v1 does not serve.
func networkingMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeCloudErr(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "Method Not Allowed", r.Method+" is not allowed on "+r.URL.Path+".")
}

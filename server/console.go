package server

import (
	"embed"
	"io/fs"
	"net/http"
	"path"

	"github.com/go-chi/chi/v5"
)

// The DR lab console: a web page served at GET / from assets embedded in
// the binary (plain HTML, CSS and JavaScript modules, no build step, no
// fetches from other origins). It reads and acts only through the REST API
// and the /emulator/v1 admin API, with the browser's own credentials, so it
// has no powers the API lacks. The assets are public; the API calls they
// make are authenticated like any other client's.

//go:embed console
var consoleFS embed.FS

// consoleTypes are the content types of the console's assets.
var consoleTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
}

func (s *Server) consoleRoutes(r chi.Router) {
	r.Get("/", s.consoleAsset("index.html"))
	r.Get("/console/{asset}", func(w http.ResponseWriter, r *http.Request) {
		s.consoleAsset(chi.URLParam(r, "asset"))(w, r)
	})
}

// consoleAsset serves one embedded asset, or a 404 in the API's shape.
func (s *Server) consoleAsset(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := fs.ReadFile(consoleFS, "console/"+name)
		ct, known := consoleTypes[path.Ext(name)]
		if err != nil || !known {
			writeErr(w, r, http.StatusNotFound, http.StatusNotFound, "HTTP 404 Not Found")
			return
		}
		h := w.Header()
		h.Set("Content-Type", ct)
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	}
}

package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/demo"
)

// Demo traffic (package demo) under /emulator/v1/demo/traffic: start a
// producer and a consumer group on a topic of a served cluster, list runs,
// stop one.

func (s *Server) demoRoutes(r chi.Router) {
	r.Get("/demo/traffic", s.listDemoRuns)
	r.Post("/demo/traffic", s.startDemoRun)
	r.Get("/demo/traffic/{run_id}", s.getDemoRun)
	r.Post("/demo/traffic/{run_id}:stop", s.stopDemoRun)
}

// demoRun is one run on the wire.
type demoRun struct {
	Kind string `json:"kind"`
	demo.Status
}

func (s *Server) demoRunner(w http.ResponseWriter, r *http.Request) *demo.Runner {
	if s.cfg.Demo == nil {
		s.fail(w, r, linkemu.Errorf(linkemu.ENOTIMPLEMENTED, "Demo traffic is not available: this server was started without a demo runner (server.Config.Demo)."))
	}
	return s.cfg.Demo
}

func (s *Server) listDemoRuns(w http.ResponseWriter, r *http.Request) {
	d := s.demoRunner(w, r)
	if d == nil {
		return
	}
	out := struct {
		Kind string    `json:"kind"`
		Data []demoRun `json:"data"`
	}{Kind: "DemoTrafficList", Data: []demoRun{}}
	for _, st := range d.List() {
		out.Data = append(out.Data, demoRun{Kind: "DemoTraffic", Status: st})
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) startDemoRun(w http.ResponseWriter, r *http.Request) {
	d := s.demoRunner(w, r)
	if d == nil {
		return
	}
	var spec demo.Spec
	if err := decode(r, &spec, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.mgr.Clusters().Get(spec.ClusterID); err != nil && spec.ClusterID != "" {
		s.fail(w, r, err)
		return
	}
	st, err := d.Start(r.Context(), spec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, demoRun{Kind: "DemoTraffic", Status: st})
}

func (s *Server) getDemoRun(w http.ResponseWriter, r *http.Request) {
	d := s.demoRunner(w, r)
	if d == nil {
		return
	}
	st, err := d.Get(chi.URLParam(r, "run_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, demoRun{Kind: "DemoTraffic", Status: st})
}

func (s *Server) stopDemoRun(w http.ResponseWriter, r *http.Request) {
	d := s.demoRunner(w, r)
	if d == nil {
		return
	}
	st, err := d.Stop(chi.URLParam(r, "run_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, demoRun{Kind: "DemoTraffic", Status: st})
}

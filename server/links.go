package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/manager"
)

func (s *Server) linkRoutes(r chi.Router) {
	r.Get("/links", s.listLinks)
	r.Post("/links", s.createLink)
	r.Get("/links/{link_name}", s.getLink)
	r.Delete("/links/{link_name}", s.deleteLink)
	s.linkConfigRoutes(r)
	s.mirrorRoutes(r)
}

func (s *Server) linkData(r *http.Request, st *manager.LinkStatus) api.Link {
	l := st.Link
	d := api.Link{
		Kind:                 "KafkaLinkData",
		Metadata:             api.Metadata{Self: s.base(r) + "/clusters/" + l.ClusterID + "/links/" + l.Name},
		SourceClusterID:      strPtr(l.SourceClusterID),
		DestinationClusterID: strPtr(l.DestinationClusterID),
		RemoteClusterID:      strPtr(l.RemoteClusterID),
		LinkName:             l.Name,
		LinkID:               l.LinkID,
		ClusterLinkID:        l.ClusterLinkID,
		TopicNames:           st.TopicNames,
		LinkError:            string(st.Error),
		LinkErrorMessage:     strPtr(st.ErrorMessage),
		LinkState:            string(st.State),
	}
	for _, cat := range []string{"ACTIVE", "PAUSED", "PENDING", "IN_ERROR", "NOT_APPLICABLE"} {
		if n := st.CategoryCounts[cat]; n > 0 {
			d.CategoryCounts = append(d.CategoryCounts, api.LinkCategory{StateCategory: cat, Count: n})
		}
	}
	if d.TopicNames == nil {
		d.TopicNames = []string{}
	}
	if st.Tasks != nil {
		tasks := make([]api.LinkTask, 0, len(st.Tasks))
		d.Tasks = &tasks
		for _, t := range st.Tasks {
			at := api.LinkTask{TaskName: t.Name, State: string(t.State), Errors: make([]api.LinkTaskError, 0, len(t.Errors))}
			for _, e := range t.Errors {
				at.Errors = append(at.Errors, api.LinkTaskError{ErrorCode: e.Code, ErrorMessage: e.Message})
			}
			tasks = append(tasks, at)
		}
		d.Tasks = &tasks
	}
	return d
}

func (s *Server) listLinks(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	links, err := s.mgr.ListLinks(r.Context(), cluster)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.LinkList{Kind: "KafkaLinkDataList", Metadata: api.CollectionMetadata{Self: s.base(r) + "/clusters/" + cluster + "/links"}, Data: make([]api.Link, 0, len(links))}
	for _, st := range links {
		out.Data = append(out.Data, s.linkData(r, st))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getLink(w http.ResponseWriter, r *http.Request) {
	cluster, name := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name")
	includeTasks, err := queryBool(r, "include_tasks", false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.mgr.GetLink(r.Context(), cluster, name, includeTasks)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.linkData(r, st))
}

func (s *Server) createLink(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	q, err := queryBools(r, map[string]bool{"validate_only": false, "validate_link": true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body api.CreateLinkRequest
	if err := decode(r, &body, false); err != nil {
		s.fail(w, r, err)
		return
	}
	configs := make(map[string]string, len(body.Configs))
	for i, c := range body.Configs {
		if c.Name == "" {
			s.fail(w, r, linkemu.Errorf(linkemu.EINVALID, "configs[%d].name is required.", i))
			return
		}
		if c.Value == nil {
			s.fail(w, r, linkemu.Errorf(linkemu.EINVALID, "configs[%d] (%s) has no value.", i, c.Name))
			return
		}
		configs[c.Name] = *c.Value
	}
	err = s.mgr.CreateLink(r.Context(), cluster, manager.CreateLinkRequest{
		Name:                 r.URL.Query().Get("link_name"),
		SourceClusterID:      body.SourceClusterID,
		DestinationClusterID: body.DestinationClusterID,
		RemoteClusterID:      body.RemoteClusterID,
		ClusterLinkID:        body.ClusterLinkID,
		Configs:              configs,
		ValidateOnly:         q["validate_only"],
		ValidateLink:         q["validate_link"],
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) deleteLink(w http.ResponseWriter, r *http.Request) {
	cluster, name := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name")
	q, err := queryBools(r, map[string]bool{"force": false, "validate_only": false})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.mgr.DeleteLink(r.Context(), cluster, name, q["force"], q["validate_only"]); err != nil {
		s.fail(w, r, err)
		return
	}
	// The spec says 200, "Operation succeeded, no content in the response".
	w.WriteHeader(http.StatusOK)
}

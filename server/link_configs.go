package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
)

func (s *Server) linkConfigRoutes(r chi.Router) {
	r.Get("/links/{link_name}/configs", s.listLinkConfigs)
	r.Put("/links/{link_name}/configs:alter", s.alterLinkConfigs)
	r.Get("/links/{link_name}/configs/{config_name}", s.getLinkConfig)
	r.Put("/links/{link_name}/configs/{config_name}", s.updateLinkConfig)
	r.Delete("/links/{link_name}/configs/{config_name}", s.resetLinkConfig)
}

func (s *Server) linkConfigData(r *http.Request, cluster, link string, e linkemu.ConfigEntry) api.LinkConfig {
	return api.LinkConfig{
		Kind:        "KafkaLinkConfigData",
		Metadata:    api.Metadata{Self: s.base(r) + "/clusters/" + cluster + "/links/" + link + "/configs/" + e.Name},
		ClusterID:   cluster,
		Name:        e.Name,
		Value:       e.Value,
		IsDefault:   e.IsDefault,
		IsReadOnly:  e.ReadOnly,
		IsSensitive: e.Sensitive,
		ReadOnly:    e.ReadOnly,
		Sensitive:   e.Sensitive,
		Source:      e.Source,
		Synonyms:    []string{},
		LinkName:    link,
	}
}

func (s *Server) listLinkConfigs(w http.ResponseWriter, r *http.Request) {
	cluster, link := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name")
	entries, err := s.mgr.LinkConfigs(r.Context(), cluster, link)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.LinkConfigList{Kind: "KafkaLinkConfigDataList", Metadata: api.CollectionMetadata{Self: s.base(r) + "/clusters/" + cluster + "/links/" + link + "/configs"}, Data: []api.LinkConfig{}}
	for _, e := range entries {
		out.Data = append(out.Data, s.linkConfigData(r, cluster, link, e))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getLinkConfig(w http.ResponseWriter, r *http.Request) {
	cluster, link, name := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name"), chi.URLParam(r, "config_name")
	e, err := s.mgr.LinkConfig(r.Context(), cluster, link, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.linkConfigData(r, cluster, link, e))
}

func (s *Server) updateLinkConfig(w http.ResponseWriter, r *http.Request) {
	cluster, link, name := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name"), chi.URLParam(r, "config_name")
	var body api.UpdateConfigRequest
	if err := decode(r, &body, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Value == nil {
		s.fail(w, r, linkemu.Errorf(linkemu.EINVALID, "value is required; to reset %s to its default, send DELETE.", name))
		return
	}
	if err := s.mgr.AlterLinkConfigs(r.Context(), cluster, link, map[string]string{name: *body.Value}, nil, false); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) resetLinkConfig(w http.ResponseWriter, r *http.Request) {
	cluster, link, name := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name"), chi.URLParam(r, "config_name")
	if err := s.mgr.AlterLinkConfigs(r.Context(), cluster, link, nil, []string{name}, false); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) alterLinkConfigs(w http.ResponseWriter, r *http.Request) {
	cluster, link := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name")
	validateOnly, err := queryBool(r, "validate_only", false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body api.AlterConfigBatchRequest
	if err := decode(r, &body, false); err != nil {
		s.fail(w, r, err)
		return
	}
	sets, resets, err := alterEntries(body.Data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.mgr.AlterLinkConfigs(r.Context(), cluster, link, sets, resets, validateOnly || body.ValidateOnly); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

package server

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/manager"
)

func (s *Server) mirrorRoutes(r chi.Router) {
	r.Get("/links/-/mirrors", s.listMirrors)
	r.Get("/links/{link_name}/mirrors", s.listMirrors)
	r.Post("/links/{link_name}/mirrors", s.createMirror)
	r.Get("/links/{link_name}/mirrors/{mirror_topic_name}", s.getMirror)
	for _, a := range []manager.MirrorAction{manager.ActionPause, manager.ActionResume, manager.ActionFailover, manager.ActionPromote,
		manager.ActionReverseAndStart, manager.ActionReverseAndPause, manager.ActionTruncateAndRestore} {
		r.Post("/links/{link_name}/mirrors:"+string(a), s.mirrorAction(a))
	}
	// The names of the 2024 on-prem spec for the reverse actions.
	r.Post("/links/{link_name}/mirrors:promote-local-and-start-remote-mirror", s.mirrorAction(manager.ActionReverseAndStart))
	r.Post("/links/{link_name}/mirrors:promote-local-and-pause-remote-mirror", s.mirrorAction(manager.ActionReverseAndPause))
}

func (s *Server) mirrorData(r *http.Request, cluster string, v *manager.MirrorView, withErrors bool) api.Mirror {
	mr := v.Mirror
	d := api.Mirror{
		Kind:            "KafkaMirrorData",
		Metadata:        api.Metadata{Self: s.base(r) + "/clusters/" + cluster + "/links/" + mr.LinkName + "/mirrors/" + mr.Name, ResourceName: crn("kafka", cluster, "link", mr.LinkName, "mirror", mr.Name)},
		LinkName:        mr.LinkName,
		MirrorTopicName: mr.Name,
		SourceTopicName: mr.SourceTopic,
		NumPartitions:   len(v.Lags),
		MirrorLags:      mirrorLags(v.Lags),
		MirrorStatus:    string(v.Status),
		StateTimeMs:     v.StateTime.UnixMilli(),
	}
	if v.TopicError != "" {
		d.MirrorTopicError = string(v.TopicError)
	}
	if withErrors {
		d.MirrorStateTransitionErrors = []api.MirrorStateTransitionError{}
		for _, e := range v.TransitionErrors {
			d.MirrorStateTransitionErrors = append(d.MirrorStateTransitionErrors, api.MirrorStateTransitionError{ErrorCode: e.Code, ErrorMessage: e.Message})
		}
	}
	return d
}

func mirrorLags(lags []manager.PartitionLag) []api.MirrorLag {
	out := make([]api.MirrorLag, 0, len(lags))
	for _, l := range lags {
		out = append(out, api.MirrorLag{Partition: l.Partition, Lag: l.Lag, LastSourceFetchOffset: l.LastSourceFetchOffset})
	}
	return out
}

func (s *Server) listMirrors(w http.ResponseWriter, r *http.Request) {
	cluster, link := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name")
	status := linkemu.MirrorStatus(strings.ToUpper(r.URL.Query().Get("mirror_status")))
	if status != "" && !slices.Contains(linkemu.MirrorStatuses, status) {
		s.fail(w, r, linkemu.Errorf(linkemu.EINVALID, "Invalid mirror_status %q: use one of %s.", r.URL.Query().Get("mirror_status"), joinStatuses()))
		return
	}
	views, err := s.mgr.ListMirrors(r.Context(), cluster, link, status)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	self := s.base(r) + "/clusters/" + cluster + "/links/" + orDash(link) + "/mirrors"
	out := api.MirrorList{Kind: "KafkaMirrorDataList", Metadata: api.CollectionMetadata{Self: self}, Data: []api.Mirror{}}
	for _, v := range views {
		out.Data = append(out.Data, s.mirrorData(r, cluster, v, false))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getMirror(w http.ResponseWriter, r *http.Request) {
	cluster, link, name := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name"), chi.URLParam(r, "mirror_topic_name")
	withErrors, err := queryBool(r, "include_state_transition_errors", false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.mgr.GetMirror(r.Context(), cluster, link, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.mirrorData(r, cluster, v, withErrors))
}

func (s *Server) createMirror(w http.ResponseWriter, r *http.Request) {
	cluster, link := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name")
	var body api.CreateMirrorTopicRequest
	rf := linkemu.MirrorReplicationFactorRange
	if err := decode(r, &body, false, intFields{"replication_factor": rf}); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := errors.Join(
		linkemu.ValidateTopicName("source_topic_name", body.SourceTopicName),
		checkInt("replication_factor", body.ReplicationFactor, rf),
	); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.MirrorTopicName != "" {
		if err := linkemu.ValidateTopicName("mirror_topic_name", body.MirrorTopicName); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	req := manager.CreateMirrorRequest{SourceTopic: body.SourceTopicName, MirrorName: body.MirrorTopicName, Configs: map[string]string{}}
	if body.ReplicationFactor != nil {
		req.ReplicationFactor = *body.ReplicationFactor
	}
	for i, c := range body.Configs {
		if c.Name == "" || c.Value == nil {
			s.fail(w, r, linkemu.Errorf(linkemu.EINVALID, "configs[%d] needs a name and a value.", i))
			return
		}
		req.Configs[c.Name] = *c.Value
	}
	if err := s.mgr.CreateMirror(r.Context(), cluster, link, req); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

// actionKinds are the kinds of the action responses; Confluent documents
// only KafkaPromoteMirror, so the others follow its pattern.
var actionKinds = map[manager.MirrorAction]string{
	manager.ActionPause:              "KafkaPauseMirror",
	manager.ActionResume:             "KafkaResumeMirror",
	manager.ActionFailover:           "KafkaFailoverMirror",
	manager.ActionPromote:            "KafkaPromoteMirror",
	manager.ActionReverseAndStart:    "KafkaReverseAndStartMirror",
	manager.ActionReverseAndPause:    "KafkaReverseAndPauseMirror",
	manager.ActionTruncateAndRestore: "KafkaTruncateAndRestoreMirror",
}

func (s *Server) mirrorAction(action manager.MirrorAction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cluster, link := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name")
		q, err := queryBools(r, map[string]bool{"validate_only": false, "include_partition_level_truncation_data": false})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var body api.AlterMirrorsRequest
		if err := decode(r, &body, false); err != nil {
			s.fail(w, r, err)
			return
		}
		results, err := s.mgr.MirrorAction(r.Context(), cluster, link, action, manager.ActionRequest{
			Names: body.MirrorTopicNames, Pattern: body.MirrorTopicNamePattern, ValidateOnly: q["validate_only"],
		})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		base := s.base(r) + "/clusters/" + cluster + "/links/" + link + "/mirrors"
		out := api.AlterMirrorStatusList{Kind: actionKinds[action], Metadata: api.CollectionMetadata{Self: base}, Data: []api.AlterMirrorStatus{}}
		for _, res := range results {
			out.Data = append(out.Data, alterMirrorStatus(base, cluster, link, res, q["include_partition_level_truncation_data"]))
		}
		writeJSON(w, r, http.StatusOK, out)
	}
}

// alterMirrorStatus is one per-topic result. partition_level_truncation_data
// lists every partition, sorted, when asked for (the CLI indexes it by
// partition), and is empty otherwise.
func alterMirrorStatus(base, cluster, link string, res manager.ActionResult, withTruncation bool) api.AlterMirrorStatus {
	d := api.AlterMirrorStatus{
		Kind:                         "AlterMirrorsData",
		Metadata:                     api.Metadata{Self: base + "/" + res.Mirror, ResourceName: crn("kafka", cluster, "link", link, "mirror", res.Mirror)},
		MirrorTopicName:              res.Mirror,
		MirrorLags:                   mirrorLags(res.Lags),
		MessagesTruncated:            res.MessagesTruncated,
		PartitionLevelTruncationData: []api.PartitionTruncation{},
	}
	if withTruncation {
		for _, p := range res.Truncation {
			d.PartitionLevelTruncationData = append(d.PartitionLevelTruncationData, api.PartitionTruncation{PartitionID: p.Partition, OffsetTruncatedTo: p.OffsetTruncatedTo, MessagesTruncated: p.MessagesTruncated})
		}
	}
	if res.Err != nil {
		code := statusOf(res.Err)
		msg := linkemu.ErrorMessage(res.Err)
		d.ErrorCode, d.ErrorMessage = &code, &msg
	}
	return d
}

func orDash(link string) string {
	if link == "" {
		return "-"
	}
	return link
}

func joinStatuses() string {
	var out []string
	for _, st := range linkemu.MirrorStatuses {
		out = append(out, string(st))
	}
	return strings.Join(out, ", ")
}

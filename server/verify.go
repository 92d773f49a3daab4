package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/verify"
	"github.com/twmb/franz-go/pkg/kgo"
)

// The proof of exactness: POST
// /emulator/v1/clusters/{cluster_id}/links/{link_name}/mirrors/{mirror_topic_name}:verify
// compares a mirror topic with its source partition by partition (package
// verify) and answers the verdict, with what it did not check.

// verifyTimeout bounds one verification.
const verifyTimeout = 5 * time.Minute

// mirrorVerification is the answer of the verify route.
type mirrorVerification struct {
	Kind            string `json:"kind"`
	ClusterID       string `json:"cluster_id"`
	LinkName        string `json:"link_name"`
	MirrorTopicName string `json:"mirror_topic_name"`
	MirrorStatus    string `json:"mirror_status"`
	SourceClusterID string `json:"source_cluster_id"`
	SourceTopicName string `json:"source_topic_name"`
	*verify.Report
}

func (s *Server) verifyRoutes(r chi.Router) {
	r.Post("/clusters/{cluster_id}/links/{link_name}/mirrors/{mirror_topic_name}:verify", s.verifyMirror)
}

func (s *Server) verifyMirror(w http.ResponseWriter, r *http.Request) {
	cluster, link, topic := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "link_name"), chi.URLParam(r, "mirror_topic_name")
	ctx, cancel := context.WithTimeout(r.Context(), verifyTimeout)
	defer cancel()
	ls, err := s.mgr.GetLink(ctx, cluster, link, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mv, err := s.mgr.GetMirror(ctx, cluster, link, topic)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	dstCluster, err := s.mgr.Clusters().Get(cluster)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	srcID := ls.Link.RemoteID()
	srcConn, err := s.sourceConn(ls.Link)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	src, err := broker.NewClient(srcConn, kgo.ClientID("linkemu-verify"))
	if err != nil {
		s.fail(w, r, linkemu.Errorf(linkemu.EINVALID, "Cannot connect to source cluster %s: %v", srcID, err))
		return
	}
	defer src.Close()
	dst, err := broker.NewClient(dstCluster.Conn(), kgo.ClientID("linkemu-verify"))
	if err != nil {
		s.fail(w, r, linkemu.Errorf(linkemu.EINTERNAL, "Cannot connect to cluster %s: %v", cluster, err))
		return
	}
	defer dst.Close()
	rep, err := verify.Mirror(ctx, verify.Side{Client: src, Topic: mv.Mirror.SourceTopic}, verify.Side{Client: dst, Topic: topic}, verify.Options{})
	if err != nil {
		s.fail(w, r, linkemu.Errorf(linkemu.EUNAVAILABLE, "Cannot verify mirror topic '%s' against %s on cluster %s: %v", topic, mv.Mirror.SourceTopic, srcID, err))
		return
	}
	for i, stop := range mv.Mirror.StopOffsets {
		if i < len(rep.Partitions) && stop < rep.Partitions[i].Mirror.End {
			p := &rep.Partitions[i]
			p.NotChecked = append(p.NotChecked, fmt.Sprintf("the mirror stopped at offset %d (failover or promote): records from there on were written to it directly and need not match the source", stop))
		}
	}
	writeJSON(w, r, http.StatusOK, mirrorVerification{
		Kind: "MirrorVerification", ClusterID: cluster, LinkName: link, MirrorTopicName: topic,
		MirrorStatus: string(mv.Status), SourceClusterID: srcID, SourceTopicName: mv.Mirror.SourceTopic, Report: rep,
	})
}

// sourceConn is how verification reaches a link's source cluster: with the
// emulator's own connection if it serves the cluster, else with the link's.
func (s *Server) sourceConn(l *linkemu.Link) (broker.ConnConfig, error) {
	if c, err := s.mgr.Clusters().Get(l.RemoteID()); err == nil {
		return c.Conn(), nil
	}
	bs := l.ConfigList(linkemu.CfgBootstrapServers)
	if len(bs) == 0 {
		return broker.ConnConfig{}, linkemu.Errorf(linkemu.EINVALID, "Cannot verify: source cluster %s is not served by this emulator and link '%s' has no %s.", l.RemoteID(), l.Name, linkemu.CfgBootstrapServers)
	}
	return s.mgr.Clusters().LinkConn(l, "", bs)
}

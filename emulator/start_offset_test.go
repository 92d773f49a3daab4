package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/emulator"
)

// TestLatestStartIsPinnedAtCreation creates a mirror with
// mirror.start.offset.spec=latest and produces right after the creation
// answered: every one of those records is mirrored, none from before.
func TestLatestStartIsPinnedAtCreation(t *testing.T) {
	ctx := context.Background()
	emu := start(t, emulator.Options{})
	rest := newREST(t, emu.RESTURL)
	east, _ := emu.Cluster("lkc-east")
	west, _ := emu.Cluster("lkc-west")
	rest.must(http.StatusNoContent, http.MethodPost, linksPath+"?link_name=east-to-west", map[string]any{
		"source_cluster_id": "lkc-east",
		"configs":           []map[string]any{{"name": "mirror.start.offset.spec", "value": "latest"}},
	})
	rest.must(http.StatusCreated, http.MethodPost, "/kafka/v3/clusters/lkc-east/topics", map[string]any{"topic_name": "orders", "partitions_count": 1})
	var before, after []string
	for i := range 50 {
		before = append(before, fmt.Sprintf("before-%d", i))
	}
	for i := range 200 {
		after = append(after, fmt.Sprintf("after-%d", i))
	}
	produce(ctx, t, east.Bootstrap, "orders", before...)
	eventually(t, "link ACTIVE", func() bool { return rest.linkState("lkc-west", "east-to-west") == "ACTIVE" })
	rest.must(http.StatusNoContent, http.MethodPost, mirrorsPath, map[string]any{"source_topic_name": "orders"})
	produce(ctx, t, east.Bootstrap, "orders", after...)
	// Filler records (no value) may show below the start offset until
	// the mirror's log start offset moves up to it.
	cl, err := kgo.NewClient(kgo.SeedBrokers(west.Bootstrap), kgo.ConsumeTopics("orders"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var got []string
	for len(got) < len(after) && cctx.Err() == nil {
		cl.PollFetches(cctx).EachRecord(func(r *kgo.Record) {
			if len(r.Value) > 0 {
				got = append(got, string(r.Value))
			}
		})
	}
	if !slices.Equal(got, after) {
		t.Errorf("the mirror holds %d records (%.60q...), want the %d produced after the creation answered", len(got), got, len(after))
	}
}

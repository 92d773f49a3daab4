package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// verification is the answer of the verify route, as tests read it.
type verification struct {
	Kind            string   `json:"kind"`
	Equal           bool     `json:"equal"`
	MirrorStatus    string   `json:"mirror_status"`
	SourceClusterID string   `json:"source_cluster_id"`
	SourceTopicName string   `json:"source_topic_name"`
	RecordsCompared int64    `json:"records_compared"`
	NotChecked      []string `json:"not_checked"`
	Partitions      []struct {
		Partition       int32  `json:"partition"`
		Result          string `json:"result"`
		CheckedFrom     int64  `json:"checked_from_offset"`
		CheckedTo       int64  `json:"checked_to_offset"`
		RecordsCompared int64  `json:"records_compared"`
		MarkersCompared int64  `json:"markers_compared"`
		FirstDifference *struct {
			Offset int64
			Field  string
			Source string
			Mirror string
		} `json:"first_difference"`
		NotChecked []string `json:"not_checked"`
	}
}

func (l *lab) verify(t *testing.T, topic string) verification {
	t.Helper()
	return l.verifyOn(t, "lkc-west", "east-to-west", topic)
}

// verifyOn proves the mirror topic of link on cluster.
func (l *lab) verifyOn(t *testing.T, cluster, link, topic string) verification {
	t.Helper()
	var v verification
	l.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/"+cluster+"/links/"+link+"/mirrors/"+topic+":verify", nil).JSON(t, &v)
	return v
}

// TestVerifyRoute proves an exact mirror equal, then finds a record
// written to the mirror after failover at its partition and offset.
func TestVerifyRoute(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 3)
	east := client(t, l.Bootstrap("lkc-east"), kafkatest.Partitioned())
	for p := range int32(3) {
		kafkatest.Produce(t, east, "orders", kafkatest.ToPartition(kafkatest.WithHeaders(kafkatest.Keyed(40+10*int(p), 7)), p)...)
	}
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "orders"})
	kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)

	v := l.verify(t, "orders")
	if !v.Equal || v.Kind != "MirrorVerification" || v.SourceClusterID != "lkc-east" || v.SourceTopicName != "orders" || v.RecordsCompared != 40+50+60 || len(v.Partitions) != 3 {
		t.Fatalf("verify of an exact mirror: %+v", v)
	}
	for _, p := range v.Partitions {
		if want := int64(40 + 10*int(p.Partition)); p.Result != "EQUAL" || p.CheckedFrom != 0 || p.CheckedTo != want || p.RecordsCompared != want || p.FirstDifference != nil {
			t.Errorf("partition %d: %+v, want EQUAL over [0, %d)", p.Partition, p, want)
		}
	}
	if len(v.NotChecked) == 0 || !strings.Contains(v.NotChecked[0], "after the snapshot") {
		t.Errorf("not_checked %q does not name the records after the snapshot", v.NotChecked)
	}

	l.action(t, "failover", "orders")
	l.waitStatus(t, "orders", "STOPPED")
	west := client(t, l.Bootstrap("lkc-west"), kafkatest.Partitioned())
	kafkatest.Produce(t, west, "orders", &kgo.Record{Partition: 1, Key: []byte("after-failover"), Value: []byte("written to the mirror")})

	v = l.verify(t, "orders")
	if v.Equal || v.MirrorStatus != "STOPPED" {
		t.Fatalf("verify after a write to the failed-over mirror: equal %v, status %s", v.Equal, v.MirrorStatus)
	}
	for _, p := range v.Partitions {
		if p.Partition != 1 {
			if p.Result != "EQUAL" {
				t.Errorf("partition %d: %s, want EQUAL", p.Partition, p.Result)
			}
			continue
		}
		d := p.FirstDifference
		if p.Result != "DIFFERENT" || d == nil || d.Offset != 50 || d.Field != "extra" || !strings.Contains(d.Mirror, "after-failover") {
			t.Errorf("partition 1: %s, first difference %+v; want DIFFERENT, extra record at offset 50", p.Result, d)
		}
		if !strings.Contains(strings.Join(p.NotChecked, "\n"), "the mirror stopped at offset 50") {
			t.Errorf("partition 1 not_checked %q does not name the stop offset", p.NotChecked)
		}
	}
}

// TestVerifyTransactionalSource checks a mirror of committed and aborted
// transactions, markers included, is proved equal.
func TestVerifyTransactionalSource(t *testing.T) {
	l := newLab(t)
	l.topic(t, "payments", 2)
	tx := client(t, l.Bootstrap("lkc-east"), kgo.TransactionalID("pay"), kafkatest.Partitioned())
	for i := range 4 {
		kafkatest.RunTxn(t, tx, "payments", kafkatest.Txn{Records: kafkatest.ToPartition(kafkatest.Plain(5, 10), int32(i%2)), Commit: i%2 == 0})
	}
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "payments"})
	kafkatest.WaitExact(t, l.east, l.west, "payments", "payments", apitest.Timeout)

	v := l.verify(t, "payments")
	if !v.Equal {
		t.Fatalf("verify of a transactional mirror: %+v", v)
	}
	for _, p := range v.Partitions {
		// Two transactions of 5 records and a marker each per partition.
		if p.Result != "EQUAL" || p.CheckedTo != 12 || p.RecordsCompared != 10 || p.MarkersCompared != 2 {
			t.Errorf("partition %d: %+v, want EQUAL, 10 records and 2 markers over [0, 12)", p.Partition, p)
		}
	}
}

// TestVerifyErrors checks the route's errors are the API's.
func TestVerifyErrors(t *testing.T) {
	l := newLab(t)
	r := l.Do(http.MethodPost, "/emulator/v1/clusters/lkc-west/links/east-to-west/mirrors/nope:verify", nil)
	if r.Status != 404 || !strings.Contains(string(r.Body), `"error_code":404`) {
		t.Errorf("verify of a missing mirror: %d %s", r.Status, r.Body)
	}
	r = l.Do(http.MethodPost, "/emulator/v1/clusters/lkc-west/links/nope/mirrors/orders:verify", nil)
	if r.Status != 404 {
		t.Errorf("verify over a missing link: %d %s", r.Status, r.Body)
	}
}

// TestVerifyMirrorStartsLater checks a mirror that starts at the source's
// latest offset is proved from its own log start, and says what it skipped.
func TestVerifyMirrorStartsLater(t *testing.T) {
	l := newLab(t, map[string]string{"mirror.start.offset.spec": "latest"})
	l.topic(t, "events", 1)
	kafkatest.Produce(t, l.east, "events", kafkatest.Plain(20, 0)...)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "events"})
	adm := kadm.NewClient(l.west)
	apitest.Eventually(t, apitest.Timeout, "the mirror starts at offset 20", func() bool {
		starts, err := adm.ListStartOffsets(context.Background(), "events")
		o, _ := starts.Lookup("events", 0)
		return err == nil && o.Err == nil && o.Offset == 20
	})
	kafkatest.Produce(t, l.east, "events", kafkatest.Plain(5, 0)...)
	kafkatest.WaitExact(t, l.east, l.west, "events", "events", apitest.Timeout, kafkatest.FromMirrorLogStart())

	v := l.verify(t, "events")
	p := v.Partitions[0]
	if !v.Equal || p.Result != "EQUAL" || p.CheckedFrom != 20 || p.CheckedTo != 25 || p.RecordsCompared != 5 {
		t.Fatalf("verify of a mirror started at latest: %+v", v)
	}
	if len(p.NotChecked) != 1 || !strings.Contains(p.NotChecked[0], "offsets 0 to 19, below the mirror's log start offset") {
		t.Errorf("not_checked %q does not name the offsets below the mirror's start", p.NotChecked)
	}
}

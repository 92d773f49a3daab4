package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/demo"
	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kgo"
)

func runner(t *testing.T) *demo.Runner {
	t.Helper()
	c := kafkatest.NewCluster(t)
	r := demo.NewRunner(demo.Config{Dial: func(cluster string, opts ...kgo.Opt) (*kgo.Client, error) {
		return kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(c.Addr())}, opts...)...)
	}})
	t.Cleanup(r.Close)
	return r
}

// TestSpecBounds checks every bound is enforced with a message that says
// what is allowed.
func TestSpecBounds(t *testing.T) {
	r := runner(t)
	for _, tt := range []struct {
		name string
		spec demo.Spec
		want string
	}{
		{"no cluster", demo.Spec{Topic: "t"}, "cluster_id is required"},
		{"no topic", demo.Spec{ClusterID: "c"}, "topic is required"},
		{"rate", demo.Spec{ClusterID: "c", Topic: "t", RecordsPerSecond: demo.MaxRate + 1}, "records_per_second must be between 1 and 5000"},
		{"records", demo.Spec{ClusterID: "c", Topic: "t", MaxRecords: -1}, "max_records must be between 1 and 10000000"},
		{"duration", demo.Spec{ClusterID: "c", Topic: "t", DurationSeconds: 3601}, "duration_seconds must be between 1 and 3600"},
		{"partitions", demo.Spec{ClusterID: "c", Topic: "t", Partitions: 65}, "partitions must be between 1 and 64"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Start(context.Background(), tt.spec)
			if linkemu.ErrorCode(err) != linkemu.EINVALID || !strings.Contains(linkemu.ErrorMessage(err), tt.want) {
				t.Errorf("Start(%+v) = %v, want EINVALID %q", tt.spec, err, tt.want)
			}
		})
	}
}

// TestCloseStopsRuns checks Close ends every running run and waits for it.
func TestCloseStopsRuns(t *testing.T) {
	r := runner(t)
	st, err := r.Start(context.Background(), demo.Spec{ClusterID: "c", Topic: "t", RecordsPerSecond: 100})
	if err != nil {
		t.Fatal(err)
	}
	if st.State != demo.Running || st.ConsumerGroup != "linkemu-demo-t" || st.MaxRecords != 100_000 || st.DurationSeconds != 600 {
		t.Errorf("started %+v", st)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, _ := r.Get(st.ID)
		if got.Produced > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing produced: %+v", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.Close()
	got, _ := r.Get(st.ID)
	if got.State != demo.Stopped || got.EndedAt == nil || got.Reason != "the emulator shut down" {
		t.Errorf("after Close: %+v", got)
	}
	if _, err := r.Start(context.Background(), demo.Spec{ClusterID: "c", Topic: "u"}); linkemu.ErrorCode(err) != linkemu.EUNAVAILABLE {
		t.Errorf("Start after Close: %v", err)
	}
}

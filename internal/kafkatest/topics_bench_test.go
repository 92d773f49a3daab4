package kafkatest

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"
)

// BenchmarkKfakeTopicCreateDelete creates 500 topics one request at a time
// on a cluster with a data dir, then deletes them one at a time: the cost
// of storing the cluster's topics on every change (linkemu's kfake change
// "topics.log"), on a cluster without other topics and on one with 2,000.
// It reports the wall time and the process CPU time (client and cluster)
// of one create and of one delete.
func BenchmarkKfakeTopicCreateDelete(b *testing.B) {
	for _, existing := range []int{0, 2000} {
		b.Run(fmt.Sprintf("existing=%d", existing), func(b *testing.B) {
			benchTopicCreateDelete(b, existing)
		})
	}
}

func benchTopicCreateDelete(b *testing.B, existing int) {
	const n = 500
	c := NewCluster(b, WithDataDir(b.TempDir()))
	adm := c.Admin()
	ctx := context.Background()
	if existing > 0 {
		names := make([]string, existing)
		for i := range names {
			names[i] = fmt.Sprintf("existing-%d", i)
		}
		if _, err := adm.CreateTopics(ctx, 1, 1, nil, names...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	var createWall, deleteWall, createCPU, deleteCPU time.Duration
	for round := range b.N {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("bench-%d-%d", round, i)
		}
		start, cpu := time.Now(), processCPU()
		for _, name := range names {
			if _, err := adm.CreateTopic(ctx, 1, 1, nil, name); err != nil {
				b.Fatal(err)
			}
		}
		createWall += time.Since(start)
		createCPU += processCPU() - cpu
		start, cpu = time.Now(), processCPU()
		for _, name := range names {
			if _, err := adm.DeleteTopic(ctx, name); err != nil {
				b.Fatal(err)
			}
		}
		deleteWall += time.Since(start)
		deleteCPU += processCPU() - cpu
	}
	ops := float64(b.N * n)
	b.ReportMetric(float64(createWall.Microseconds())/ops, "µs/create")
	b.ReportMetric(float64(createCPU.Microseconds())/ops, "cpu-µs/create")
	b.ReportMetric(float64(deleteWall.Microseconds())/ops, "µs/delete")
	b.ReportMetric(float64(deleteCPU.Microseconds())/ops, "cpu-µs/delete")
}

// processCPU returns the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

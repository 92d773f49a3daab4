package replication

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// background produces batches of plain, keyed and transactional records
// until stopped, so that workers stop and start mid-stream.
type background struct {
	stop chan struct{}
	wg   sync.WaitGroup
}

func produceInBackground(t *testing.T, e *env) *background {
	b := &background{stop: make(chan struct{})}
	tx := e.src.Client(kgo.TransactionalID("bg"), kafkatest.Partitioned())
	b.wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-b.stop:
				return
			default:
			}
			p := int32(i % 2)
			kafkatest.Produce(t, e.srcCl, "t", kafkatest.ToPartition(kafkatest.Keyed(20, 7), p)...)
			kafkatest.RunTxn(t, tx, "t", kafkatest.Txn{Records: kafkatest.ToPartition(kafkatest.Plain(3, 50), p), Commit: i%3 != 0})
		}
	})
	return b
}

func (b *background) finish() {
	close(b.stop)
	b.wg.Wait()
}

// progressed is a condition: the mirror copied at least n records of
// partition 0.
func progressed(w *Worker, n int64) func() error {
	return func() error {
		st, ok := w.Status("t")
		if !ok || len(st.Partitions) == 0 || st.Partitions[0].LogEndOffset < n {
			return fmt.Errorf("not yet %d records copied: %+v", n, st)
		}
		return nil
	}
}

// TestRestart stops workers mid-stream and starts new ones on the same
// store: cleanly, and abruptly by closing the worker's clients under it.
// The mirror ends exact, without duplicates or gaps.
func TestRestart(t *testing.T) {
	for _, crash := range []bool{false, true} {
		t.Run(map[bool]string{false: "stop", true: "crash"}[crash], func(t *testing.T) {
			e := newEnv(t)
			e.topic("t", 2, nil)
			bg := produceInBackground(t, e)
			var last *Worker
			for round := range 3 {
				w, src, dst := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
				eventually(t, waitLong, progressed(w, int64(50*(round+1))))
				if crash {
					src.Close()
					dst.Close()
				}
				w.Stop()
				last = w
			}
			bg.finish()
			_ = last
			w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
			eventually(t, waitLong, e.synced(w, "t", 2))
			kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")
		})
	}
}

// TestRestartInOpenTransaction stops the worker while a source transaction
// is open and replicated: the next worker takes over the destination
// transaction and ends it with the source's marker instead of aborting it.
func TestRestartInOpenTransaction(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 1, nil)
	tx := e.src.Client(kgo.TransactionalID("open"), kafkatest.Partitioned())
	if err := tx.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	kafkatest.Produce(t, tx, "t", kafkatest.Plain(3, 10)...)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
	eventually(t, waitLong, e.synced(w, "t", 1))
	w.Stop()

	kafkatest.Produce(t, tx, "t", kafkatest.Plain(2, 10)...)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(1, 10)...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tx.EndTransaction(ctx, kgo.TryCommit); err != nil {
		t.Fatal(err)
	}
	w2, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
	eventually(t, waitLong, e.synced(w2, "t", 1))
	kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")
}

// TestPauseResume checks that a paused mirror copies nothing while its lag
// follows the source, and catches up once resumed.
func TestPauseResume(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 1, nil)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(10, 10)...)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
	eventually(t, waitLong, e.synced(w, "t", 1))

	pause(t, w, true)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(25, 10)...)
	eventually(t, waitLong, func() error {
		st, _ := w.Status("t")
		if p := st.Partitions[0]; p.Lag != 25 || p.LogEndOffset != 10 {
			return fmt.Errorf("paused partition: lag %d, log end offset %d; want 25, 10", p.Lag, p.LogEndOffset)
		}
		return nil
	})

	w.SetMirrors([]Mirror{{Name: "t", SourceTopic: "t"}})
	eventually(t, waitLong, e.synced(w, "t", 1))
	kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")
}

// TestStopMirror checks that stopping a mirror returns its log end offsets,
// aborts the destination transaction an open source transaction left, and
// copies nothing more.
func TestStopMirror(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 2, nil)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(7, 10)...)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.ToPartition(kafkatest.Plain(3, 10), 1)...)
	tx := e.src.Client(kgo.TransactionalID("open"), kafkatest.Partitioned())
	if err := tx.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	kafkatest.Produce(t, tx, "t", kafkatest.Plain(2, 10)...)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
	eventually(t, waitLong, e.synced(w, "t", 2))

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stops, err := w.StopMirror(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	// Partition 0: 7 records, 2 of the open transaction, and its abort marker.
	if want := []int64{10, 3}; fmt.Sprint(stops) != fmt.Sprint(want) {
		t.Fatalf("stop offsets = %v, want %v", stops, want)
	}
	ends, err := e.dst.Admin().ListEndOffsets(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	committed, err := e.dst.Admin().ListCommittedOffsets(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	for p, stop := range stops {
		end, _ := ends.Lookup("t", int32(p))
		lso, _ := committed.Lookup("t", int32(p))
		if end.Offset != stop || lso.Offset != stop {
			t.Errorf("partition %d: log end offset %d, last stable offset %d; want both %d", p, end.Offset, lso.Offset, stop)
		}
	}
	if _, ok := w.Status("t"); ok {
		t.Fatal("the stopped mirror still has a status")
	}
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(5, 10)...)
	time.Sleep(300 * time.Millisecond) // a stopped mirror must stay still
	ends2, _ := e.dst.Admin().ListEndOffsets(ctx, "t")
	if e0, _ := ends2.Lookup("t", 0); e0.Offset != stops[0] {
		t.Fatalf("the stopped mirror moved from %d to %d", stops[0], e0.Offset)
	}
	if _, err := w.StopMirror(ctx, "t"); linkemu.ErrorCode(err) != linkemu.ENOTFOUND {
		t.Fatalf("stopping a stopped mirror: %v, want not found", err)
	}
}

// TestCatchUp checks that CatchUp returns once the mirror holds everything
// the source held at the call, and fails fast without the source.
func TestCatchUp(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 2, nil)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
	eventually(t, waitLong, running(w, "t", 2))
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(500, 100)...)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.ToPartition(kafkatest.Plain(300, 100), 1)...)

	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	if err := w.CatchUp(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")

	e.src.Close()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel2()
	start := time.Now()
	err := w.CatchUp(ctx2, "t")
	if linkemu.ErrorCode(err) != linkemu.EUNAVAILABLE {
		t.Fatalf("CatchUp without the source = %v, want an unavailable error", err)
	}
	t.Logf("CatchUp failed after %v: %v", time.Since(start), err)
}

package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// tick is how often a run produces the records due.
const tick = 100 * time.Millisecond

// deliveryTimeout is how long a record may retry, e.g. through an outage
// drill of its cluster, before its run fails.
const deliveryTimeout = 2 * time.Minute

// run is one demo run: a producer loop and, optionally, a group consumer.
type run struct {
	id   string
	spec Spec
	now  func() time.Time
	log  *slog.Logger

	prod, cons *kgo.Client
	ctx        context.Context
	cancel     context.CancelFunc
	done       chan struct{}

	mu        sync.Mutex
	st        Status
	consumers sync.WaitGroup
}

func (r *Runner) newRun(ctx context.Context, id string, spec Spec) (*run, error) {
	prod, err := r.cfg.Dial(spec.ClusterID, kgo.ClientID("linkemu-demo"), kgo.ProducerLinger(5*time.Millisecond), kgo.RecordDeliveryTimeout(deliveryTimeout))
	if err != nil {
		return nil, err
	}
	created, err := ensureTopic(ctx, prod, spec)
	if err != nil {
		prod.Close()
		return nil, err
	}
	x := &run{id: id, spec: spec, now: r.cfg.Now, log: r.log, prod: prod, done: make(chan struct{})}
	if spec.ConsumerGroup != "" {
		x.cons, err = r.cfg.Dial(spec.ClusterID, kgo.ClientID("linkemu-demo"), kgo.ConsumerGroup(spec.ConsumerGroup), kgo.ConsumeTopics(spec.Topic))
		if err != nil {
			prod.Close()
			return nil, err
		}
	}
	x.ctx, x.cancel = context.WithCancel(context.Background())
	x.st = Status{ID: id, Spec: spec, State: Running, StartedAt: r.cfg.Now().UTC(), TopicCreated: created}
	return x, nil
}

// ensureTopic creates the run's topic if it is missing.
func ensureTopic(ctx context.Context, cl *kgo.Client, spec Spec) (bool, error) {
	adm := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	topics, err := adm.ListTopics(ctx, spec.Topic)
	if err != nil {
		return false, linkemu.Errorf(linkemu.EUNAVAILABLE, "Cannot reach cluster %s: %v", spec.ClusterID, err)
	}
	if topics.Has(spec.Topic) {
		return false, nil
	}
	resp, err := adm.CreateTopic(ctx, spec.Partitions, -1, nil, spec.Topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		return false, linkemu.Errorf(linkemu.EINVALID, "Cannot create topic '%s' on cluster %s for demo traffic: %v", spec.Topic, spec.ClusterID, err)
	}
	return err == nil, nil
}

func (x *run) start() {
	if x.cons != nil {
		x.consumers.Add(1)
		go x.consume()
	}
	go x.loop()
}

// loop produces the records due every tick until the run ends.
func (x *run) loop() {
	defer x.finish()
	t := time.NewTicker(tick)
	defer t.Stop()
	started := x.now()
	deadline := started.Add(time.Duration(x.spec.DurationSeconds) * time.Second)
	perTick := float64(x.spec.RecordsPerSecond) * tick.Seconds()
	carry, seq := 0.0, int64(0)
	for {
		select {
		case <-x.ctx.Done():
			return
		case <-t.C:
		}
		if !x.now().Before(deadline) {
			x.end(Finished, fmt.Sprintf("ran for %d s", x.spec.DurationSeconds))
			return
		}
		carry += perTick
		n := min(int64(carry), x.spec.MaxRecords-seq)
		carry -= float64(int64(carry))
		if n <= 0 {
			continue
		}
		recs := make([]*kgo.Record, n)
		for i := range recs {
			recs[i] = x.record(seq + int64(i))
		}
		seq += n
		results := x.prod.ProduceSync(x.ctx, recs...)
		ok := int64(0)
		var firstErr error
		for _, res := range results {
			if res.Err == nil {
				ok++
			} else if firstErr == nil {
				firstErr = res.Err
			}
		}
		x.mu.Lock()
		x.st.Produced += ok
		x.mu.Unlock()
		switch {
		case firstErr != nil && x.ctx.Err() != nil:
			return
		case firstErr != nil:
			x.end(Failed, fmt.Sprintf("writing to topic '%s' on cluster %s failed: %v", x.spec.Topic, x.spec.ClusterID, firstErr))
			x.log.Warn("demo traffic failed", "run", x.id, "err", firstErr)
			return
		case seq >= x.spec.MaxRecords:
			x.end(Finished, fmt.Sprintf("produced %d records", x.spec.MaxRecords))
			return
		}
	}
}

// demoValue is the value of a demo record.
type demoValue struct {
	Demo       bool   `json:"linkemu_demo"`
	Run        string `json:"run"`
	Seq        int64  `json:"seq"`
	ProducedAt string `json:"produced_at"`
}

func (x *run) record(seq int64) *kgo.Record {
	v, _ := json.Marshal(demoValue{Demo: true, Run: x.id, Seq: seq, ProducedAt: x.now().UTC().Format(time.RFC3339Nano)})
	return &kgo.Record{
		Topic: x.spec.Topic,
		Key:   fmt.Appendf(nil, "linkemu-demo-%s-%d", x.id, seq),
		Value: v,
		Headers: []kgo.RecordHeader{
			{Key: HeaderDemo, Value: []byte("true")},
			{Key: HeaderRun, Value: []byte(x.id)},
		},
	}
}

// consume counts the records the run's group reads until the run ends.
func (x *run) consume() {
	defer x.consumers.Done()
	for {
		fs := x.cons.PollFetches(x.ctx)
		if x.ctx.Err() != nil {
			return
		}
		var errText string
		fs.EachError(func(_ string, _ int32, err error) {
			if !errors.Is(err, context.Canceled) {
				errText = err.Error()
			}
		})
		n := int64(fs.NumRecords())
		x.mu.Lock()
		x.st.Consumed += n
		if errText != "" {
			x.st.ConsumerError = errText
		}
		x.mu.Unlock()
	}
}

// end records how the run ended; the first call wins.
func (x *run) end(state, reason string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.st.State != Running {
		return
	}
	t := x.now().UTC()
	x.st.State, x.st.Reason, x.st.EndedAt = state, reason, &t
}

// finish stops the consumer, commits its offsets and closes the clients.
func (x *run) finish() {
	defer close(x.done)
	x.end(Stopped, "stopped")
	x.cancel()
	x.consumers.Wait()
	if x.cons != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := x.cons.CommitUncommittedOffsets(ctx); err != nil {
			x.mu.Lock()
			x.st.ConsumerError = err.Error()
			x.mu.Unlock()
		}
		cancel()
		x.cons.Close()
	}
	x.prod.Close()
	x.log.Info("demo traffic ended", "run", x.id, "state", x.status().State)
}

// stop ends the run if it runs and waits for its worker.
func (x *run) stop(state, reason string) {
	x.end(state, reason)
	x.cancel()
	<-x.done
}

// close releases a run that never started.
func (x *run) close() {
	x.cancel()
	if x.cons != nil {
		x.cons.Close()
	}
	x.prod.Close()
}

func (x *run) ended() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.st.State != Running
}

func (x *run) status() Status {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.st
}

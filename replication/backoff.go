package replication

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	linkemu "github.com/linkemu/linkemu"
)

// backoff is a capped exponential backoff with jitter. The zero value is
// unusable; set min and max.
type backoff struct {
	min, max time.Duration
	cur      time.Duration
}

// next returns the next wait: min, then doubling up to max, each with up to
// 20% jitter so that partitions failing together do not retry in lockstep.
func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(b.cur*2, b.max)
	}
	return b.cur - time.Duration(rand.Int64N(int64(b.cur)/5+1))
}

func (b *backoff) reset() { b.cur = 0 }

// sleep waits d or until ctx is done, and reports whether the full wait
// elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// topicError is a condition that stops a mirror from copying until an
// operator acts; the manager shows Code as the mirror_topic_error.
type topicError struct {
	Code linkemu.MirrorTopicError
	Err  error
	at   time.Time // when the mirror failed with it
}

func (e *topicError) Error() string { return fmt.Sprintf("%s: %v", e.Code, e.Err) }
func (e *topicError) Unwrap() error { return e.Err }

func topicErrorf(code linkemu.MirrorTopicError, format string, args ...any) *topicError {
	return &topicError{Code: code, Err: fmt.Errorf(format, args...)}
}

// PartitionLimitError is the cause of a mirror stopped because its source
// topic grew past Config.MaxPartitions: Source partitions, of which the
// mirror has Mirror, and at most Limit allowed. MirrorStatus.Err wraps it.
type PartitionLimitError struct {
	SourceTopic           string
	Source, Mirror, Limit int
}

func (e *PartitionLimitError) Error() string {
	return fmt.Sprintf("source topic %q grew to %d partitions, more than the %d a topic may have on the destination; the mirror keeps its %d partitions and stopped copying",
		e.SourceTopic, e.Source, e.Limit, e.Mirror)
}

// errStopping aborts an operation because its partition is stopping.
var errStopping = errors.New("partition is stopping")

// isSourceDown reports whether err from a source request means the source
// cluster could not be reached, as opposed to a Kafka error code it answered.
func isSourceDown(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var ke *kerr.Error
	return !errors.As(err, &ke)
}

// codeErr returns the Kafka error for a response error code, with the
// broker's message when there is one.
func codeErr(code int16, msg *string) error {
	err := kerr.ErrorForCode(code)
	if err == nil || msg == nil || *msg == "" {
		return err
	}
	return fmt.Errorf("%w: %s", err, *msg)
}

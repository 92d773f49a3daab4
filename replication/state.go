package replication

import (
	"encoding/json"
	"fmt"
	"sync"
)

// StateStore persists what a worker must remember about a mirror across
// restarts, as one opaque JSON document per (link, mirror topic). The worker
// writes rarely: when it first sees a mirror or partition, when it settles a
// partition's start offset, and when it adds an offset map breakpoint. It
// never writes per batch. A nil document from Load means "nothing stored".
//
// The store/ package implements it over bbolt; MemoryStore serves tests.
type StateStore interface {
	LoadReplicationState(link, mirror string) ([]byte, error)
	SaveReplicationState(link, mirror string, doc []byte) error
	DeleteReplicationState(link, mirror string) error
}

// mirrorDoc is the persisted state of one mirror topic.
type mirrorDoc struct {
	// SourceTopicID is the source topic's ID when the mirror first saw it;
	// a different ID later means the topic was deleted and recreated.
	SourceTopicID string `json:"source_topic_id,omitempty"` // hex
	// Partitions holds each partition's state, by partition number.
	Partitions map[int32]*partitionDoc `json:"partitions,omitempty"`
}

// partitionDoc is the persisted state of one mirror partition.
type partitionDoc struct {
	// StartOffset is the log start offset the destination partition must
	// have: the source offset replication started from, or the source's
	// log start offset after the source deleted records the mirror had
	// not copied yet.
	StartOffset int64 `json:"start_offset"`
	// Map holds the offset map breakpoints; empty for an exact partition.
	Map OffsetMap `json:"map,omitempty"`
}

func loadDoc(s StateStore, link, mirror string) (*mirrorDoc, error) {
	raw, err := s.LoadReplicationState(link, mirror)
	if err != nil {
		return nil, fmt.Errorf("loading replication state of mirror %q: %w", mirror, err)
	}
	d := &mirrorDoc{}
	if raw != nil {
		if err := json.Unmarshal(raw, d); err != nil {
			return nil, fmt.Errorf("decoding replication state of mirror %q: %w", mirror, err)
		}
	}
	if d.Partitions == nil {
		d.Partitions = make(map[int32]*partitionDoc)
	}
	return d, nil
}

// encodeDoc encodes a mirror document for saveDoc.
func encodeDoc(d *mirrorDoc) ([]byte, error) { return json.Marshal(d) }

// saveDoc persists an encoded mirror document.
func saveDoc(s StateStore, link, mirror string, raw []byte) error {
	if err := s.SaveReplicationState(link, mirror, raw); err != nil {
		return fmt.Errorf("saving replication state of mirror %q: %w", mirror, err)
	}
	return nil
}

// MemoryStore is a StateStore in memory, for tests and for running without a
// database. It is safe for concurrent use.
type MemoryStore struct {
	mu   sync.Mutex
	docs map[[2]string][]byte
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{docs: make(map[[2]string][]byte)}
}

// LoadReplicationState implements StateStore.
func (s *MemoryStore) LoadReplicationState(link, mirror string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.docs[[2]string{link, mirror}]...), nil
}

// SaveReplicationState implements StateStore.
func (s *MemoryStore) SaveReplicationState(link, mirror string, doc []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[[2]string{link, mirror}] = append([]byte(nil), doc...)
	return nil
}

// DeleteReplicationState implements StateStore.
func (s *MemoryStore) DeleteReplicationState(link, mirror string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.docs, [2]string{link, mirror})
	return nil
}

package manager

import "github.com/linkemu/linkemu/store"

// replicationStore keeps a link side's replication documents
// (replication.StateStore) in the store's "replication/<cluster>" namespace,
// one document per link and mirror topic.
type replicationStore struct {
	s       *store.Store
	cluster string
}

func (r replicationStore) ns(link string) []string { return []string{"replication", r.cluster, link} }

func (r replicationStore) LoadReplicationState(link, mirror string) ([]byte, error) {
	var out []byte
	err := r.s.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.KVGet(r.ns(link), mirror)
		return err
	})
	return out, err
}

func (r replicationStore) SaveReplicationState(link, mirror string, doc []byte) error {
	return r.s.Update(func(tx *store.Tx) error { return tx.KVPut(r.ns(link), mirror, doc) })
}

func (r replicationStore) DeleteReplicationState(link, mirror string) error {
	return r.s.Update(func(tx *store.Tx) error { return tx.KVDelete(r.ns(link), mirror) })
}

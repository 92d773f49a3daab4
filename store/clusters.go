package store

import (
	"encoding/json"
	"time"
)

// ClusterRecord is what the store remembers of a cluster the emulator served.
type ClusterRecord struct {
	ID        string    `json:"id"`
	Bootstrap []string  `json:"bootstrap"`
	Embedded  bool      `json:"embedded"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// Cluster returns the record of cluster id, or nil.
func (t *Tx) Cluster(id string) (*ClusterRecord, error) {
	v := t.tx.Bucket(bucketClusters).Get([]byte(id))
	if v == nil {
		return nil, nil
	}
	var r ClusterRecord
	return &r, json.Unmarshal(v, &r)
}

// PutCluster creates or replaces a cluster record.
func (t *Tx) PutCluster(r *ClusterRecord) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketClusters).Put([]byte(r.ID), v)
}

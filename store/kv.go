package store

// The workers bucket gives each worker package a namespace of raw keys and
// values under workers/<namespace...>. The packages that own the data decide
// its encoding; adapters in this package implement their store interfaces.

// KVGet returns the value of key in the namespace, or nil.
func (t *Tx) KVGet(ns []string, key string) ([]byte, error) {
	b, err := t.nested(false, bucketWorkers, ns...)
	if err != nil || b == nil {
		return nil, err
	}
	v := b.Get([]byte(key))
	if v == nil {
		return nil, nil
	}
	return append([]byte(nil), v...), nil
}

// KVPut sets key in the namespace, creating the namespace if needed.
func (t *Tx) KVPut(ns []string, key string, value []byte) error {
	b, err := t.nested(true, bucketWorkers, ns...)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), value)
}

// KVDelete removes key from the namespace.
func (t *Tx) KVDelete(ns []string, key string) error {
	b, err := t.nested(false, bucketWorkers, ns...)
	if err != nil || b == nil {
		return err
	}
	return b.Delete([]byte(key))
}

// KVForEach calls fn for every key and value of the namespace, in key order.
func (t *Tx) KVForEach(ns []string, fn func(key string, value []byte) error) error {
	b, err := t.nested(false, bucketWorkers, ns...)
	if err != nil || b == nil {
		return err
	}
	return b.ForEach(func(k, v []byte) error {
		if v == nil { // a nested namespace
			return nil
		}
		return fn(string(k), v)
	})
}

// KVDropNamespace removes a namespace and everything under it.
func (t *Tx) KVDropNamespace(ns []string) error {
	if len(ns) == 0 {
		return nil
	}
	parent, err := t.nested(false, bucketWorkers, ns[:len(ns)-1]...)
	if err != nil || parent == nil {
		return err
	}
	last := []byte(ns[len(ns)-1])
	if parent.Bucket(last) == nil {
		return nil
	}
	return parent.DeleteBucket(last)
}

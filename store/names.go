package store

// names returns the keys of cluster's bucket under top: the names of its
// links or mirror topics, for "did you mean" hints. A read error gives
// none: a hint is never worth failing a lookup for.
func (t *Tx) names(top []byte, cluster string) []string {
	b, err := t.nested(false, top, cluster)
	if err != nil || b == nil {
		return nil
	}
	var out []string
	_ = b.ForEach(func(k, _ []byte) error {
		out = append(out, string(k))
		return nil
	})
	return out
}

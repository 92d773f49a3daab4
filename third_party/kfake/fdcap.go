package kfake

import "container/list"

// linkemu: a bound on open log files.
//
// A partition with data keeps its active segment and index open (two file
// descriptors) plus a read handle per sealed segment it served reads from,
// until shutdown. 10,000 partitions on the two clusters of one process need
// 40,000 descriptors, past common limits (Produce then fails with
// UNKNOWN_SERVER_ERROR). A cluster now keeps the files of at most
// maxOpenPartitions partitions open, closing the least recently used
// partition's; they reopen on its next read or write, which the code
// already did for closed handles. All of this runs in the cluster's run
// goroutine, like every other file access, so it needs no lock.

// maxOpenPartitions bounds the partitions whose files one cluster keeps
// open: about 4,100 descriptors plus sealed-segment read handles.
const maxOpenPartitions = 2048

// openFiles is the recency list of partitions with open files.
type openFiles struct {
	lru   list.List
	elems map[*partData]*list.Element
}

// touchFiles marks pd's files as just used, closing the files of the least
// recently used partitions past the bound.
func (c *Cluster) touchFiles(pd *partData) {
	o := &c.openFiles
	if o.elems == nil {
		o.elems = make(map[*partData]*list.Element)
	}
	if e, ok := o.elems[pd]; ok {
		o.lru.MoveToFront(e)
		return
	}
	o.elems[pd] = o.lru.PushFront(pd)
	for o.lru.Len() > maxOpenPartitions {
		e := o.lru.Back()
		old := o.lru.Remove(e).(*partData)
		delete(o.elems, old)
		old.closeAllFiles(c.cfg.syncWrites)
	}
}

// forgetFiles drops pd, whose files are closed, from the recency list.
func (c *Cluster) forgetFiles(pd *partData) {
	if e, ok := c.openFiles.elems[pd]; ok {
		c.openFiles.lru.Remove(e)
		delete(c.openFiles.elems, pd)
	}
}

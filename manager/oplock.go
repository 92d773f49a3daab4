package manager

import "context"

// opLock serializes the manager's state-changing operations. Unlike a
// sync.Mutex it can be waited for with a context, so that a link worker
// calling back into the manager (auto-create) gives up when the link stops
// instead of deadlocking with the operation that stops it.
type opLock chan struct{}

func newOpLock() opLock { return make(opLock, 1) }

// Lock takes the lock.
func (l opLock) Lock() { l <- struct{}{} }

// Unlock releases the lock.
func (l opLock) Unlock() { <-l }

// LockContext takes the lock unless ctx ends first.
func (l opLock) LockContext(ctx context.Context) error {
	select {
	case l <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

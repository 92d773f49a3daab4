// Package blackhole is a TCP listener that accepts every connection and
// never answers: the remote cluster of a link that hangs, for the tests and
// the benchmark that check nothing waits for such a link.
package blackhole

import (
	"net"
	"sync"
)

// Listener holds every connection it accepts, unanswered, until Close.
type Listener struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

// Listen starts a Listener on a free loopback port.
func Listen() (*Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	l := &Listener{ln: ln}
	go l.accept()
	return l, nil
}

func (l *Listener) accept() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		l.mu.Lock()
		l.conns = append(l.conns, c)
		l.mu.Unlock()
	}
}

// Addr is the listener's host:port.
func (l *Listener) Addr() string { return l.ln.Addr().String() }

// Close stops accepting and closes every held connection.
func (l *Listener) Close() {
	l.ln.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		c.Close()
	}
}

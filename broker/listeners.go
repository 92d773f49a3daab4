package broker

import (
	"bufio"
	"crypto/tls"
	"net"
	"sync"
	"time"
)

// tlsRecordHandshake is the first byte of every TLS connection: the record
// type of the ClientHello. A Kafka request starts with its 4-byte size, whose
// first byte is 0x16 only for requests over 369 MB, which no broker accepts.
const tlsRecordHandshake = 0x16

// sniffTimeout bounds how long a new connection on the plaintext port may
// stay silent before it is dropped. Kafka clients speak first.
const sniffTimeout = 10 * time.Second

// listenerPair feeds kfake's two listeners of one broker: the plaintext one,
// and the SASL_SSL one. The SASL_SSL side receives the connections to the
// SASL_SSL port and also the TLS connections made to the plaintext port, told
// apart by their first byte, so that a client configured for SASL_SSL works
// with either address. Each side is a net.Listener kfake accepts from.
type listenerPair struct {
	plain, sasl *chanListener
	tlsConfig   *tls.Config

	mu      sync.Mutex
	pending map[net.Conn]struct{} // connections being sniffed
	closed  bool
	wg      sync.WaitGroup
}

// newListenerPair serves plainLn and saslLn (a raw TCP listener; TLS is
// added here) and reports the advertised addresses as the sides' Addr.
func newListenerPair(plainLn, saslLn net.Listener, plainAddr, saslAddr string, tc *tls.Config) *listenerPair {
	p := &listenerPair{tlsConfig: tc, pending: make(map[net.Conn]struct{})}
	p.plain = newChanListener(advertisedAddr(plainAddr), plainLn, p)
	p.sasl = newChanListener(advertisedAddr(saslAddr), saslLn, p)
	p.wg.Add(2)
	go p.acceptPlain(plainLn)
	go p.acceptTLS(saslLn)
	return p
}

func (p *listenerPair) acceptPlain(ln net.Listener) {
	defer p.wg.Done()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		if !p.track(conn) {
			conn.Close()
			return
		}
		p.wg.Add(1)
		go p.sniff(conn)
	}
}

func (p *listenerPair) acceptTLS(ln net.Listener) {
	defer p.wg.Done()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		p.sasl.deliver(tls.Server(conn, p.tlsConfig))
	}
}

// sniff reads the first byte of conn and hands it to the side it speaks.
func (p *listenerPair) sniff(conn net.Conn) {
	defer p.wg.Done()
	defer p.untrack(conn)
	_ = conn.SetReadDeadline(time.Now().Add(sniffTimeout))
	r := bufio.NewReader(conn)
	first, err := r.Peek(1)
	if err != nil {
		conn.Close()
		return
	}
	_ = conn.SetReadDeadline(time.Time{})
	pc := &peekedConn{Conn: conn, r: r}
	if first[0] == tlsRecordHandshake {
		p.sasl.deliver(tls.Server(pc, p.tlsConfig))
		return
	}
	p.plain.deliver(pc)
}

func (p *listenerPair) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.pending[c] = struct{}{}
	return true
}

func (p *listenerPair) untrack(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.pending, c)
}

// closeAll stops both sides: kfake closes each side; the first close ends
// the pair, drops the connections still being sniffed and waits for every
// goroutine of the pair.
func (p *listenerPair) closeAll() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	for c := range p.pending {
		c.Close()
	}
	p.mu.Unlock()
	p.plain.shut()
	p.sasl.shut()
	p.wg.Wait()
}

// chanListener is one side of a listenerPair.
type chanListener struct {
	addr  net.Addr
	raw   net.Listener
	pair  *listenerPair
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newChanListener(addr net.Addr, raw net.Listener, pair *listenerPair) *chanListener {
	return &chanListener{addr: addr, raw: raw, pair: pair, conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close closes the whole pair: kfake closes both sides of a broker anyway.
func (l *chanListener) Close() error {
	l.pair.closeAll()
	return nil
}

func (l *chanListener) Addr() net.Addr { return l.addr }

func (l *chanListener) shut() {
	l.once.Do(func() {
		close(l.done)
		l.raw.Close()
	})
}

// deliver hands conn to kfake's accept loop, or closes it once the side is
// closed.
func (l *chanListener) deliver(conn net.Conn) {
	select {
	case l.conns <- conn:
	case <-l.done:
		conn.Close()
	}
}

// peekedConn is a connection whose first bytes were read ahead.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

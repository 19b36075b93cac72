// Package dnstest is a DNS server for tests, on loopback: UDP and TCP on
// one port, and the same answers over DNS-over-HTTPS (RFC 8484) as an
// http.Handler. Each name has a fixed Answer that can also drop, delay,
// truncate (forcing TCP) or fail, to play a misbehaving IP echo.
package dnstest

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// Answer is how the server answers one name.
type Answer struct {
	// Text is the answer: an address for A and AAAA queries (an address of
	// the other family answers nothing), any text for TXT.
	Text string
	// Chaos: the name exists in class CH only (whoami.cloudflare), else
	// in class IN only; the other class is REFUSED.
	Chaos bool
	// Drop: never answer (a firewall, a dead server).
	Drop bool
	// Delay: answer this late.
	Delay time.Duration
	// Truncate: over UDP, answer with TC set and no records, so the client
	// must ask again over TCP.
	Truncate bool
	// RCode: answer with this error instead (SERVFAIL, REFUSED…).
	RCode dnsmessage.RCode
}

// Server answers the names it was created with; other names get NXDOMAIN.
type Server struct {
	// Addr is the UDP and TCP address, such as 127.0.0.1:PORT.
	Addr    netip.AddrPort
	UDPHits atomic.Int32 // queries received over UDP
	TCPHits atomic.Int32 // queries received over TCP
	DoHHits atomic.Int32 // queries received over HTTP

	mu      sync.Mutex
	answers map[string]Answer
	udp     net.PacketConn
	tcp     net.Listener
	done    chan struct{}
	closing sync.Once
	wg      sync.WaitGroup
}

// New starts a server on 127.0.0.1 for answers (names without the final
// dot, any case).
func New(answers map[string]Answer) (*Server, error) { return Listen("127.0.0.1", answers) }

// Listen is New on another loopback address, such as ::1.
func Listen(host string, answers map[string]Answer) (*Server, error) {
	s := &Server{answers: map[string]Answer{}, done: make(chan struct{})}
	for n, a := range answers {
		s.answers[strings.ToLower(strings.TrimSuffix(n, "."))] = a
	}
	var err error
	// The TCP port must equal the UDP one; another process may hold it.
	for range 20 {
		if s.udp, err = net.ListenPacket("udp", net.JoinHostPort(host, "0")); err != nil {
			return nil, err
		}
		s.Addr = s.udp.LocalAddr().(*net.UDPAddr).AddrPort()
		if s.tcp, err = net.Listen("tcp", s.Addr.String()); err == nil {
			break
		}
		s.udp.Close()
	}
	if err != nil {
		return nil, err
	}
	s.wg.Add(2)
	go s.serveUDP()
	go s.serveTCP()
	return s, nil
}

// Start is Listen for a test: the server stops when the test ends, and
// the test is skipped where nothing can listen on host.
func Start(t testing.TB, host string, answers map[string]Answer) *Server {
	t.Helper()
	s, err := Listen(host, answers)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", host, err)
	}
	t.Cleanup(s.Close)
	return s
}

// Set changes (or adds) the answer for name: the address "moved".
func (s *Server) Set(name string, a Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[strings.ToLower(strings.TrimSuffix(name, "."))] = a
}

// Close stops the server and waits for its goroutines. Closing twice is
// harmless.
func (s *Server) Close() {
	s.closing.Do(func() {
		close(s.done)
		s.udp.Close()
		s.tcp.Close()
	})
	s.wg.Wait()
}

func (s *Server) serveUDP() {
	defer s.wg.Done()
	buf := make([]byte, 65535)
	for {
		n, from, err := s.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		s.UDPHits.Add(1)
		q := append([]byte(nil), buf[:n]...)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if reply := s.reply(q, true); reply != nil {
				_, _ = s.udp.WriteTo(reply, from)
			}
		}()
	}
}

func (s *Server) serveTCP() {
	defer s.wg.Done()
	for {
		c, err := s.tcp.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				select {
				case <-s.done:
					c.Close()
				case <-stop:
				}
			}()
			var n [2]byte
			if _, err := io.ReadFull(c, n[:]); err != nil {
				return
			}
			q := make([]byte, binary.BigEndian.Uint16(n[:]))
			if _, err := io.ReadFull(c, q); err != nil {
				return
			}
			s.TCPHits.Add(1)
			if reply := s.reply(q, false); reply != nil {
				_, _ = c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(reply))), reply...))
			}
		}()
	}
}

// ServeHTTP answers DNS-over-HTTPS queries: POST with an
// application/dns-message body, or GET with ?dns=.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.DoHHits.Add(1)
	var q []byte
	var err error
	switch r.Method {
	case http.MethodPost:
		if r.Header.Get("Content-Type") != "application/dns-message" {
			http.Error(w, "want application/dns-message", http.StatusUnsupportedMediaType)
			return
		}
		q, err = io.ReadAll(io.LimitReader(r.Body, 65535))
	case http.MethodGet:
		q, err = base64.RawURLEncoding.DecodeString(r.URL.Query().Get("dns"))
	default:
		err = errors.New("method not allowed")
	}
	if err != nil || len(q) == 0 {
		http.Error(w, "bad query", http.StatusBadRequest)
		return
	}
	reply := s.reply(q, false)
	if reply == nil {
		<-r.Context().Done() // a dropped query: the client gives up
		return
	}
	w.Header().Set("Content-Type", "application/dns-message")
	_, _ = w.Write(reply)
}

// reply builds the answer to query, or nil to drop it.
func (s *Server) reply(query []byte, udp bool) []byte {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil
	}
	q, err := p.Question()
	if err != nil {
		return nil
	}
	s.mu.Lock()
	a, known := s.answers[strings.ToLower(strings.TrimSuffix(q.Name.String(), "."))]
	s.mu.Unlock()
	if a.Drop {
		return nil
	}
	if a.Delay > 0 {
		select {
		case <-time.After(a.Delay):
		case <-s.done:
			return nil
		}
	}
	rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired}
	switch {
	case !known:
		rh.RCode = dnsmessage.RCodeNameError
	case a.RCode != dnsmessage.RCodeSuccess:
		rh.RCode = a.RCode
	case a.Chaos != (q.Class == dnsmessage.ClassCHAOS):
		rh.RCode = dnsmessage.RCodeRefused
	case a.Truncate && udp:
		rh.Truncated = true
	}
	b := dnsmessage.NewBuilder(nil, rh)
	b.EnableCompression()
	_ = b.StartQuestions()
	_ = b.Question(q)
	_ = b.StartAnswers()
	if known && rh.RCode == dnsmessage.RCodeSuccess && !rh.Truncated {
		res := dnsmessage.ResourceHeader{Name: q.Name, Class: q.Class, TTL: 0}
		addr, _ := netip.ParseAddr(a.Text)
		switch {
		case q.Type == dnsmessage.TypeA && addr.Is4():
			_ = b.AResource(res, dnsmessage.AResource{A: addr.As4()})
		case q.Type == dnsmessage.TypeAAAA && addr.Is6():
			_ = b.AAAAResource(res, dnsmessage.AAAAResource{AAAA: addr.As16()})
		case q.Type == dnsmessage.TypeTXT:
			var parts []string
			for t := a.Text; t != ""; {
				n := min(len(t), 255)
				parts, t = append(parts, t[:n]), t[n:]
			}
			_ = b.TXTResource(res, dnsmessage.TXTResource{TXT: parts})
		}
	}
	msg, err := b.Finish()
	if err != nil {
		return nil
	}
	return msg
}

package resolve

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// dnsQuery is the question of a dns: or doh: rule: a name, a type and a
// class, for one family.
type dnsQuery struct {
	fam   Family
	name  string // absolute, with the trailing dot
	typ   uint16
	class uint16
}

// parseQuery reads NAME[?type=…&class=…]. The type defaults to A or AAAA
// by family; TXT answers are searched for an address of the family.
func parseQuery(fam Family, s string) (dnsQuery, error) {
	name, opts, _ := strings.Cut(s, "?")
	name = strings.TrimSpace(name)
	if name == "" {
		return dnsQuery{}, fmt.Errorf("missing the name to ask")
	}
	if !strings.HasSuffix(name, ".") {
		name += "."
	}
	if len(name) > 255 || strings.ContainsAny(name, " /@#") || slices.ContainsFunc(strings.Split(name[:len(name)-1], "."), func(l string) bool { return l == "" || len(l) > 63 }) {
		return dnsQuery{}, fmt.Errorf("%q is not a DNS name", strings.TrimSuffix(name, "."))
	}
	q := dnsQuery{fam: fam, name: name, typ: dnsTypeA, class: dnsClassIN}
	if fam == V6 {
		q.typ = dnsTypeAAAA
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(opts, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.ToUpper(strings.TrimSpace(v))
		if seen[k] {
			return dnsQuery{}, fmt.Errorf("option %q given twice", k)
		}
		seen[k] = true
		switch {
		case k == "type" && v == "TXT":
			q.typ = dnsTypeTXT
		case k == "type" && (v == "A" || v == "AAAA"):
			if (v == "A") != (fam == V4) {
				return dnsQuery{}, fmt.Errorf("type=%s cannot give an %v address", v, fam)
			}
		case k == "class" && v == "CH":
			q.class = dnsClassCH
		case k == "class" && v == "IN":
		case k == "type" || k == "class":
			return dnsQuery{}, fmt.Errorf("unsupported %s %q (type: A, AAAA, TXT; class: IN, CH)", k, v)
		default:
			return dnsQuery{}, fmt.Errorf("unknown option %q (type, class)", k)
		}
	}
	return q, nil
}

// pack builds the query message; id is 0 for DoH (RFC 8484 §4.1).
func (q dnsQuery) pack(id uint16) []byte { return packQuery(id, q.name, q.typ, q.class) }

// errMismatch is an answer to another query (a stray or spoofed datagram).
var errMismatch = errors.New("answer does not match the query")

// errTruncated asks the caller to repeat the query over TCP.
var errTruncated = errors.New("truncated")

// answer checks that msg answers q (id, question, rcode) and returns the
// first address of the family in it: an A/AAAA record for those types,
// else the first address in the TXT strings.
func (q dnsQuery) answer(msg []byte, id uint16) (netip.Addr, error) {
	if len(msg) < dnsHeaderLen {
		return netip.Addr{}, fmt.Errorf("malformed answer: %v", errDNSShort)
	}
	be := binary.BigEndian
	flags := be.Uint16(msg[2:])
	if flags&dnsFlagResponse == 0 || be.Uint16(msg) != id {
		return netip.Addr{}, errMismatch
	}
	if flags&dnsFlagTruncated != 0 {
		return netip.Addr{}, errTruncated
	}
	if rc := int(flags & 0xF); rc != 0 {
		return netip.Addr{}, fmt.Errorf("server answered %v", dnsRCodeName(rc))
	}
	r := dnsReader{msg: msg, off: dnsHeaderLen}
	name, err := r.name()
	typ, _ := r.u16()
	class, cerr := r.u16()
	if be.Uint16(msg[4:]) != 1 || err != nil || cerr != nil || !strings.EqualFold(name, q.name) || typ != q.typ || class != q.class {
		return netip.Addr{}, fmt.Errorf("answer is for another question")
	}
	var texts []string
	for range be.Uint16(msg[6:]) {
		rec, err := r.record()
		if err != nil {
			return netip.Addr{}, fmt.Errorf("malformed answer: %v", err)
		}
		if rec.typ != q.typ {
			continue
		}
		switch rec.typ {
		case dnsTypeA, dnsTypeAAAA:
			a, err := rec.addr()
			if err != nil {
				return netip.Addr{}, fmt.Errorf("malformed answer: %v", err)
			}
			if rec.typ == dnsTypeA || q.fam.Matches(a) {
				return a, nil
			}
		case dnsTypeTXT:
			t, err := rec.txt()
			if err != nil {
				return netip.Addr{}, fmt.Errorf("malformed answer: %v", err)
			}
			texts = append(texts, t)
		}
	}
	// Each TXT record on its own: an address is never split across two.
	for _, t := range texts {
		if a, ok := FirstAddr(q.fam, t); ok {
			return a, nil
		}
	}
	if len(texts) > 0 {
		return netip.Addr{}, fmt.Errorf("%w of the family in the TXT answer %q", ErrNoAddress, clip(strings.Join(texts, " "), 80))
	}
	return netip.Addr{}, fmt.Errorf("%w: no %s record in the answer", ErrNoAddress, dnsTypeName(q.typ))
}

// dnsRule is dns:NAME@SERVER[:PORT][?options]: ask SERVER directly over
// the family's transport (UDP, TCP when the answer is truncated), so that
// an echo name answers with the address the query came from.
type dnsRule struct {
	raw     string
	q       dnsQuery
	host    string // server address or name
	port    string
	timeout time.Duration
	own     []netip.Prefix
}

// errOtherFamily marks a source that can only see the other family's
// address; `public` skips it, a rule of its own is an error.
var errOtherFamily = errors.New("reaches its server over the other address family")

func newDNS(fam Family, raw string, o Options) (*dnsRule, error) {
	spec := strings.TrimSpace(strings.TrimPrefix(raw, "dns:"))
	nameOpts, server, ok := strings.Cut(spec, "@")
	var opts string
	if i := strings.IndexByte(server, '?'); i >= 0 {
		server, opts = server[:i], server[i:]
	}
	if !ok || strings.TrimSpace(server) == "" {
		return nil, fmt.Errorf("rule %q: want dns:NAME@SERVER[:PORT][?type=TXT&class=CH]", raw)
	}
	q, err := parseQuery(fam, nameOpts+opts)
	if err != nil {
		return nil, fmt.Errorf("rule %q: %v", raw, err)
	}
	host, port, err := splitServer(strings.TrimSpace(server))
	if err != nil {
		return nil, fmt.Errorf("rule %q: %v", raw, err)
	}
	r := &dnsRule{raw: raw, q: q, host: host, port: port, timeout: o.timeout(), own: ownRanges(host)}
	if a, err := netip.ParseAddr(host); err == nil && !fam.Matches(a.Unmap()) {
		return r, fmt.Errorf("rule %q: %w", raw, errOtherFamily)
	}
	return r, nil
}

// splitServer reads SERVER[:PORT], with an IPv6 address bare or in
// brackets; the port defaults to 53.
func splitServer(s string) (host, port string, err error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.String(), "53", nil
	}
	if !strings.Contains(s, ":") {
		host, port = s, "53"
	} else if host, port, err = net.SplitHostPort(s); err != nil {
		return "", "", fmt.Errorf("bad server %q", s)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", "", fmt.Errorf("bad port %q", port)
	}
	if host == "" || strings.ContainsAny(host, "/ ?#@[]") {
		return "", "", fmt.Errorf("bad server %q", s)
	}
	return host, port, nil
}

func (r *dnsRule) String() string { return r.raw }
func (r *dnsRule) deps() Deps     { return pollDeps }

// Resolve asks the server once (UDP, then TCP if the answer is truncated).
func (r *dnsRule) Resolve(ctx context.Context) (netip.Addr, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	server, err := r.serverAddr(ctx)
	if err != nil {
		return netip.Addr{}, err
	}
	a, err := r.exchange(ctx, "udp", server)
	if errors.Is(err, errTruncated) {
		a, err = r.exchange(ctx, "tcp", server)
	}
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return netip.Addr{}, fmt.Errorf("%s: no answer within %v", server, r.timeout)
		}
		return netip.Addr{}, err
	}
	return a, checkOwn(a, server.Addr(), r.own)
}

// serverAddr resolves the server name (once per query) to an address of
// the rule's family: the echo must see the address of that family.
func (r *dnsRule) serverAddr(ctx context.Context) (netip.AddrPort, error) {
	port, _ := strconv.Atoi(r.port)
	if a, err := netip.ParseAddr(r.host); err == nil {
		return netip.AddrPortFrom(a.Unmap(), uint16(port)), nil
	}
	network := "ip4"
	if r.q.fam == V6 {
		network = "ip6"
	}
	as, err := net.DefaultResolver.LookupNetIP(ctx, network, r.host)
	if err != nil || len(as) == 0 {
		return netip.AddrPort{}, fmt.Errorf("server %s has no %v address: %v", r.host, r.q.fam, err)
	}
	return netip.AddrPortFrom(as[0].Unmap(), uint16(port)), nil
}

func (r *dnsRule) exchange(ctx context.Context, network string, server netip.AddrPort) (netip.Addr, error) {
	var idb [2]byte
	_, _ = rand.Read(idb[:])
	id := binary.BigEndian.Uint16(idb[:])
	query := r.q.pack(id)
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, server.String())
	if err != nil {
		return netip.Addr{}, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	if network == "tcp" {
		return r.exchangeTCP(conn, query, id, server)
	}
	if _, err := conn.Write(query); err != nil {
		return netip.Addr{}, fmt.Errorf("%s: %w", server, err)
	}
	buf := make([]byte, 1232)
	for {
		// A stray or spoofed datagram with another id is skipped; the
		// deadline bounds the wait.
		n, err := conn.Read(buf)
		if err != nil {
			return netip.Addr{}, fmt.Errorf("%s: %w", server, err)
		}
		a, err := r.q.answer(buf[:n], id)
		if errors.Is(err, errMismatch) {
			continue
		}
		if err != nil && !errors.Is(err, errTruncated) {
			return netip.Addr{}, fmt.Errorf("%s: %w", server, err)
		}
		return a, err
	}
}

func (r *dnsRule) exchangeTCP(conn net.Conn, query []byte, id uint16, server netip.AddrPort) (netip.Addr, error) {
	msg := binary.BigEndian.AppendUint16(nil, uint16(len(query)))
	if _, err := conn.Write(append(msg, query...)); err != nil {
		return netip.Addr{}, fmt.Errorf("%s (TCP): %w", server, err)
	}
	var n [2]byte
	if _, err := io.ReadFull(conn, n[:]); err != nil {
		return netip.Addr{}, fmt.Errorf("%s (TCP): %w", server, err)
	}
	buf := make([]byte, binary.BigEndian.Uint16(n[:]))
	if _, err := io.ReadFull(conn, buf); err != nil {
		return netip.Addr{}, fmt.Errorf("%s (TCP): %w", server, err)
	}
	a, err := r.q.answer(buf, id)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%s (TCP): %w", server, err)
	}
	return a, nil
}

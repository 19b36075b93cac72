package publishtest

import (
	"net/netip"
	"sync"
)

// Hosts is the account of a fake whose service updates host names rather
// than records in zones (dyndns2 servers, HE.net, Duck DNS): each host
// holds at most one A and one AAAA address and belongs to an owner, the
// user or key allowed to update it. The zero value is an empty account;
// it is safe for concurrent use.
type Hosts struct {
	mu    sync.Mutex
	hosts map[string]*host
	tally Tally
}

// Tally is what the updates of held hosts did since the last ResetTally.
type Tally struct {
	Writes    int // updates that changed an address ("good")
	Unchanged int // updates to the address held ("nochg"): the answers a real service counts towards blocking a client for abuse
}

type host struct {
	owner string
	addrs map[string]string // "A"/"AAAA" → address
}

// AddHost creates a host name belonging to owner, as a user does in the
// service's control panel. It holds no address yet.
func (h *Hosts) AddHost(name, owner string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hosts == nil {
		h.hosts = map[string]*host{}
	}
	h.hosts[name] = &host{owner: owner, addrs: map[string]string{}}
}

// Owner returns the owner of a host, and whether the account holds it.
func (h *Hosts) Owner(name string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if x, ok := h.hosts[name]; ok {
		return x.owner, true
	}
	return "", false
}

// SetAddr gives an existing host an address (of the matching record type)
// without counting it in the Tally. It panics for an unknown host or a bad
// address: a mistake in the test.
func (h *Hosts) SetAddr(name, addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	a := netip.MustParseAddr(addr)
	h.hosts[name].addrs[TypeOf(a)] = a.String()
}

// Addr returns the address of name's typ ("A" or "AAAA") record, "" when
// it has none.
func (h *Hosts) Addr(name, typ string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if x, ok := h.hosts[name]; ok {
		return x.addrs[typ]
	}
	return ""
}

// Values is Addr as a Service's Values sees it.
func (h *Hosts) Values(name, typ string) []string {
	if a := h.Addr(name, typ); a != "" {
		return []string{a}
	}
	return nil
}

// Update sets the address of a held host's typ record ("" clears it) and
// reports whether that changed it, counting the update in the Tally.
func (h *Hosts) Update(name, typ, addr string) (changed bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	x := h.hosts[name]
	switch {
	case x == nil:
		return false
	case x.addrs[typ] == addr:
		h.tally.Unchanged++
		return false
	}
	x.addrs[typ] = addr
	h.tally.Writes++
	return true
}

// Tally returns what the updates did since the last ResetTally.
func (h *Hosts) Tally() Tally {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.tally
}

// ResetTally starts the Tally again; hosts stay.
func (h *Hosts) ResetTally() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tally = Tally{}
}

// TypeOf is the record type of an address: A or AAAA.
func TypeOf(a netip.Addr) string {
	if a.Is4() {
		return "A"
	}
	return "AAAA"
}

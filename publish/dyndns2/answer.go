package dyndns2

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// ServerTroubleWait is how long a client must stay away after a "911" or
// "dnserr" answer: No-IP's documentation says to retry "no sooner than 30
// minutes", and Dyn lists both codes as server-side trouble.
const ServerTroubleWait = 30 * time.Minute

// maxText bounds the answer text quoted in messages: a proxy's HTML error
// page must not flood the log.
const maxText = 100

// Answer is a dyndns2 server's plain-text reply to an update of one host: a
// return code, optionally followed by the address(es) the host now has
// ("good 192.0.2.1", No-IP's "good 192.0.2.1,2001:db8::1").
type Answer struct {
	Code  string       // lower-case return code: "good", "nochg", "badauth", …; "" when there is none
	Addrs []netip.Addr // the addresses after the code, in order; nil when absent or malformed
	Text  string       // the first line, trimmed and clipped, for messages
}

// ParseAnswer reads an update reply. It never fails: an answer it does not
// understand yields a Code that Err reports as unexpected. Only the first
// line counts, since one request updates one host (a server answers one
// line per host name).
func ParseAnswer(body []byte) Answer {
	line, _, _ := strings.Cut(string(body), "\n")
	line = strings.TrimSpace(line)
	a := Answer{Text: publish.Clip(line, maxText)}
	end := strings.IndexFunc(line, func(c rune) bool { return !isCodeChar(c) })
	if end < 0 {
		end = len(line)
	}
	a.Code = strings.ToLower(line[:end])
	if a.Code == "" {
		return a
	}
	// "good 192.0.2.1" per the protocol; "nochg|192.0.2.1" is seen in the wild.
	rest := strings.TrimLeft(line[end:], " \t|:")
	if f := strings.Fields(rest); len(f) > 0 {
		for _, s := range strings.Split(f[0], ",") {
			if addr, err := netip.ParseAddr(s); err == nil {
				a.Addrs = append(a.Addrs, addr)
			}
		}
	}
	return a
}

func isCodeChar(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '!'
}

// Has reports whether the answer names addr among its addresses.
func (a Answer) Has(addr netip.Addr) bool {
	for _, x := range a.Addrs {
		if x == addr {
			return true
		}
	}
	return false
}

// Err judges the answer to an update that sent the address sent, together
// with its HTTP status; service names the server in messages ("No-IP").
//
// nil means success: "good" or "nochg" under a non-error status. Otherwise
// the return code decides the class, as the protocol defines it: the
// account, host or client is wrong (badauth, nohost, abuse, badagent, …) →
// Permanent, nohost also wrapping publish.ErrCannotCreate; the server is in
// trouble (911, dnserr) → transient, carrying a *publish.StatusError whose
// RetryAfter is at least ServerTroubleWait. Without a known code the HTTP
// status decides (publish.Response.Err, keeping Retry-After), and a 2xx
// answer that is not dyndns2 at all is transient (a captive portal or a
// proxy page, most likely).
func (a Answer) Err(resp *publish.Response, sent netip.Addr, service string) error {
	serr := resp.Err()
	if (a.Code == "good" || a.Code == "nochg") && serr == nil {
		// Dyn's "good 127.0.0.1" to any other address means the update
		// was ignored: the server does not accept this client.
		if a.Code == "good" && len(a.Addrs) == 1 && a.Addrs[0] == netip.AddrFrom4([4]byte{127, 0, 0, 1}) && sent != a.Addrs[0] {
			return publish.Permanent(fmt.Errorf("%s ignored the update (answered %q: it does not accept this client)", service, a.Text))
		}
		return nil
	}
	// A success code under an error status is judged by the status.
	meaning, class := explain(a.Code, service)
	switch {
	case class == unknown && serr != nil && resp.Status == http.StatusUnauthorized:
		return fmt.Errorf("%s rejected the user name or password (id and token): %w", service, serr)
	case class == unknown && serr != nil:
		return serr
	case class == unknown && a.Text == "":
		return fmt.Errorf("empty answer (HTTP %d)", resp.Status)
	case class == unknown:
		return fmt.Errorf("unexpected answer %q (HTTP %d)", a.Text, resp.Status)
	}
	if class == permanent {
		return a.Refused(resp, meaning)
	}
	desc := a.Code + ": " + meaning
	// Server trouble: keep the status error (unwrapped from any Permanent
	// mark, so a Retry-After still counts) but never ask for less than the
	// protocol's wait.
	var se *publish.StatusError
	if !errors.As(serr, &se) {
		se = &publish.StatusError{Code: resp.Status, Status: fmt.Sprintf("%d %s", resp.Status, http.StatusText(resp.Status)), Body: a.Text}
	}
	se.RetryAfter = max(se.RetryAfter, ServerTroubleWait)
	return &troubleError{
		msg: fmt.Sprintf("%s; the protocol asks to wait at least %.0f minutes before the next update", desc, ServerTroubleWait.Minutes()),
		se:  se,
	}
}

// Refused is the permanent error for a return code by which the server
// refuses the update, with meaning saying why: the HTTP status is added
// when it is an error one, and "nohost" wraps publish.ErrCannotCreate (the
// user must create the host).
func (a Answer) Refused(resp *publish.Response, meaning string) error {
	desc := a.Code + ": " + meaning
	if resp.Status >= 400 {
		desc += fmt.Sprintf(" (HTTP %d)", resp.Status)
	}
	if a.Code == "nohost" {
		return publish.Permanent(fmt.Errorf("%s: %w", desc, publish.ErrCannotCreate))
	}
	return publish.Permanent(errors.New(desc))
}

// troubleError is a transient server-side failure. Its message is the
// return code's meaning; it unwraps to the *publish.StatusError that
// carries the long RetryAfter to the caller's backoff.
type troubleError struct {
	msg string
	se  *publish.StatusError
}

func (e *troubleError) Error() string { return e.msg }
func (e *troubleError) Unwrap() error { return e.se }

type class int

const (
	unknown class = iota
	permanent
	trouble
)

// explain says what a dyndns2 return code means for the user and how to
// treat it. Every code the protocol documents is permanent except the two
// that report trouble on the server's side: the Dyn and No-IP
// documentation both say a client must stop updating until the user has
// fixed the problem.
func explain(code, service string) (meaning string, c class) {
	switch code {
	case "badauth":
		return service + " rejected the user name or password (id and token)", permanent
	case "nohost":
		return service + " has no such host name in this account", permanent
	case "notfqdn":
		return "the host name is not a fully qualified domain name", permanent
	case "numhost":
		return "too many host names in one update", permanent
	case "!yours":
		return "the host name belongs to another account", permanent
	case "!donator":
		return service + " refused a feature this account does not have", permanent
	case "badsys":
		return "the update URL's system parameter is not valid", permanent
	case "badagent":
		return service + " refused this client (user agent or HTTP method); updates stop until the configuration changes", permanent
	case "abuse":
		return service + " has blocked updates of this host for abuse; updates stop until the account is checked", permanent
	case "dnserr":
		return service + " reports a DNS error on its side", trouble
	case "911":
		return service + " reports an outage or maintenance on its side", trouble
	}
	return "", unknown
}

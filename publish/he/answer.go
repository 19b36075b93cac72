package he

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// maxText bounds the answer text quoted in messages: a proxy's HTML error
// page must not flood the log.
const maxText = 100

// Answer is HE.net's plain-text reply to an update: a dyndns2 return code,
// optionally followed by the address the host now has ("good 192.0.2.1").
type Answer struct {
	Code string     // lower-case return code: "good", "nochg", "badauth", …; "" when there is none
	Addr netip.Addr // the address after the code; invalid when absent or malformed
	Text string     // the first line, trimmed and clipped, for messages
}

// ParseAnswer reads an update reply. It never fails: an answer it does not
// understand yields a Code that Err reports as unexpected. Only the first
// line counts, since one request updates one host.
func ParseAnswer(body []byte) Answer {
	line, _, _ := strings.Cut(string(body), "\n")
	line = strings.TrimSpace(line)
	a := Answer{Text: clip(line, maxText)}
	end := strings.IndexFunc(line, func(c rune) bool { return !isCodeChar(c) })
	if end < 0 {
		end = len(line)
	}
	a.Code = strings.ToLower(line[:end])
	// Seen in the wild: "good 192.0.2.1", and "nochg|192.0.2.1" reported by users.
	rest := strings.TrimLeft(line[end:], " \t|:")
	if f := strings.Fields(rest); a.Code != "" && len(f) > 0 {
		if addr, err := netip.ParseAddr(f[0]); err == nil {
			a.Addr = addr
		}
	}
	return a
}

func isCodeChar(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '!'
}

// Err judges the answer together with its HTTP status: nil for "good" and
// "nochg" with a non-error status. The return code decides the class (bad
// key, unknown host → Permanent; "abuse", server trouble → transient);
// without a known code the HTTP status does (publish.Response.Err, which
// keeps Retry-After), and a 2xx answer that is not dyndns2 at all is a
// transient error (a captive portal or proxy page, most likely).
func (a Answer) Err(resp *publish.Response) error {
	serr := resp.Err()
	if (a.Code == "good" || a.Code == "nochg") && serr == nil {
		return nil
	}
	// A success code under an error status is judged by the status.
	meaning, permanent, known := explain(a.Code)
	switch {
	case !known && serr != nil:
		return serr
	case !known && a.Text == "":
		return fmt.Errorf("empty answer (HTTP %d)", resp.Status)
	case !known:
		return fmt.Errorf("unexpected answer %q (HTTP %d)", a.Text, resp.Status)
	}
	desc := a.Code + ": " + meaning
	if permanent {
		if resp.Status >= 400 {
			desc += fmt.Sprintf(" (HTTP %d)", resp.Status)
		}
		if a.Code == "nohost" {
			return publish.Permanent(fmt.Errorf("%s: %w", desc, publish.ErrCannotCreate))
		}
		return publish.Permanent(errors.New(desc))
	}
	// Transient code: keep the status error, unwrapped from any Permanent
	// mark, so a Retry-After still reaches the caller.
	var se *publish.StatusError
	if errors.As(serr, &se) {
		return fmt.Errorf("%s: %w", desc, se)
	}
	return errors.New(desc)
}

// explain says what a dyndns2 return code means for the user and whether
// retrying can help. known is false for codes outside the protocol.
func explain(code string) (meaning string, permanent, known bool) {
	switch code {
	case "badauth":
		return "HE.net rejected the DDNS key (wrong token, or dynamic DNS is not enabled for this record)", true, true
	case "nohost":
		return "HE.net has no such record", true, true
	case "notfqdn":
		return "the host name is not a fully qualified domain name", true, true
	case "numhost":
		return "too many hosts in one update", true, true
	case "badagent":
		return "HE.net refused this client", true, true
	case "!donator", "!yours":
		return "HE.net refused the update for this account", true, true
	case "abuse":
		return "HE.net has temporarily blocked updates of this host (too many updates)", false, true
	case "dnserr", "911":
		return "HE.net reports a server-side problem", false, true
	}
	return "", false, false
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary so the quoted text stays valid UTF-8.
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

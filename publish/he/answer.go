package he

import (
	"errors"
	"fmt"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dyndns2"
)

// Answer is HE.net's plain-text reply to an update: a dyndns2 answer
// ("good 192.0.2.1"), judged by HE.net's rules (Err).
type Answer struct{ dyndns2.Answer }

// ParseAnswer reads an update reply as dyndns2.ParseAnswer does: HE.net
// speaks the protocol's return codes, one line for its one host.
func ParseAnswer(body []byte) Answer { return Answer{dyndns2.ParseAnswer(body)} }

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
	if permanent {
		return a.Refused(resp, meaning)
	}
	desc := a.Code + ": " + meaning
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

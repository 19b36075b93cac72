package namesilo

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// NameSilo reply codes this package acts on (API reference, "Response
// Codes"). Every answer is HTTP 200; the outcome is reply.code.
const (
	codeOK           = "300" // successful API operation
	codeBadDomain    = "114" // invalid domain syntax
	codeRegistryDown = "115" // central registry not responding: try again later
	codeNotOurs      = "200" // domain is not active, or does not belong to this user
	codeInternal     = "201" // internal system error
	codeGeneral      = "210" // general error (details in detail)
	codeUnsupported  = "267" // invalid domain name, or unsupported extension/TLD
	codeDNSError     = "280" // DNS modification error (details in detail)
	codeStillRunning = "400" // an earlier request is still processing: re-submit
	codeInvalidKey   = "110" // invalid API key
	codeInvalidUser  = "111" // invalid user
	codeSubAccount   = "112" // API not available to sub-accounts
	codeIPNotAllowed = "113" // API key not usable from this IP address
)

// transientCodes are the answers worth retrying; every other code means
// the request, the key or the account must change first.
var transientCodes = map[string]bool{codeRegistryDown: true, codeInternal: true, codeStillRunning: true}

// authCodes are answers about the API key itself.
var authCodes = map[string]bool{codeInvalidKey: true, codeInvalidUser: true, codeSubAccount: true, codeIPNotAllowed: true}

// call sends GET <endpoint>/api/<operation>?<params + version, type, key>
// and returns the decoded reply, whatever its code: each operation decides
// what a code means. The error covers transport failures, non-2xx HTTP
// answers (429 and 503 keep their Retry-After; NameSilo answers bursts
// with 503) and bodies that are not NameSilo JSON.
func (a *api) call(ctx context.Context, operation string, params publish.Extra) (reply, error) {
	// Protocol parameters last, so that nothing can replace the key.
	params = params.Set("version", 1).Set("type", "json").Set("key", a.s.Token)
	resp, err := a.s.Do(ctx, publish.Request{
		Method: http.MethodGet,
		URL:    a.endpoint + "/api/" + operation + "?" + publish.Form(params),
		Header: http.Header{"Accept": {"application/json"}},
	})
	if err != nil {
		return reply{}, fmt.Errorf("%s: %w", operation, err)
	}
	if err := resp.Err(); err != nil {
		return reply{}, fmt.Errorf("%s: %w", operation, err)
	}
	rep, err := parseReply(resp.Body)
	if err != nil {
		return reply{}, fmt.Errorf("%s: %w", operation, err)
	}
	return rep, nil
}

// apiError turns a reply that is not a success into an error carrying
// NameSilo's code and detail: transient for the codes NameSilo documents
// as "try again", permanent otherwise (bad key, a domain that is not the
// account's, an invalid record).
func (a *api) apiError(operation string, rep reply) error {
	err := fmt.Errorf("%s: API error %s: %s", operation, rep.Code, a.oneLine(string(rep.Detail)))
	switch {
	case transientCodes[string(rep.Code)]:
		return err
	case authCodes[string(rep.Code)]:
		return publish.Permanent(fmt.Errorf("%w (check token = the API key from NameSilo's API Manager)", err))
	}
	return publish.Permanent(err)
}

// oneLine keeps an API message on one log line, and masks the key should
// the service ever echo it.
func (a *api) oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if a.s.Token != "" {
		s = strings.ReplaceAll(s, a.s.Token, publish.Mask(a.s.Token))
	}
	return s
}

package dnspod

import (
	"context"
	"fmt"
	"net/http"

	"github.com/ddns-go/ddns/publish"
)

// DNSPod status codes this package acts on (https://docs.dnspod.cn/api/,
// "共通返回" and each action's list). Every answer is HTTP 200; the
// outcome is in status.code.
const (
	codeOK          = "1"
	codeLoginFailed = "-1"  // wrong id or token
	codeOverLimit   = "-2"  // API usage limit exceeded
	codePaused      = "-99" // "this function is paused, try again later"
	codeUnknown     = "3"   // server-side "unknown error"
	codeDomainID    = "6"   // Domain.Info: no such domain; Record.*: bad domain id
	codeNotOwner    = "8"   // Domain.Info: a domain of another account
	codeRecordID    = "8"   // Record.Modify: no such record
	codeNoRecords   = "10"  // Record.List: the filter matched nothing
)

// call posts one action with params plus the credentials and returns the
// decoded answer, whatever its status code: each action decides what a
// code means. The error covers transport failures, non-2xx HTTP answers
// (429 keeps its Retry-After) and bodies that are not DNSPod JSON.
func (a *api) call(ctx context.Context, action string, params publish.Extra) (answer, error) {
	// Credentials last, so that no extra parameter can replace them.
	params = params.Set("login_token", a.s.ID+","+a.s.Token).Set("format", "json")
	resp, err := a.s.Do(ctx, publish.Request{
		Method: http.MethodPost,
		URL:    a.endpoint + "/" + action,
		Header: http.Header{
			"Content-Type": {"application/x-www-form-urlencoded"},
			"Accept":       {"application/json"},
		},
		Body: []byte(publish.Form(params)),
	})
	if err != nil {
		return answer{}, fmt.Errorf("%s: %w", action, err)
	}
	if err := resp.Err(); err != nil {
		return answer{}, fmt.Errorf("%s: %w", action, err)
	}
	ans, err := parseAnswer(resp.Body)
	if err != nil {
		return answer{}, fmt.Errorf("%s: %w", action, err)
	}
	return ans, nil
}

// apiError turns a non-success status into an error carrying DNSPod's
// code and message. Rate limiting, maintenance and the server's "unknown
// error" are worth retrying; everything else (bad credentials, a locked
// account or domain, an invalid parameter) is permanent. DNSPod asks
// clients to stop at once after a failed login: the account is banned for
// an hour after 30 failures in 5 minutes.
func apiError(action string, ans answer) error {
	err := fmt.Errorf("%s: API error %s: %s", action, ans.Status.Code, publish.OneLine(string(ans.Status.Message), 200))
	switch ans.Status.Code {
	case codeOverLimit, codePaused, codeUnknown:
		return err
	case codeLoginFailed:
		return publish.Permanent(fmt.Errorf("%w (check id = API token ID and token = API token)", err))
	}
	return publish.Permanent(err)
}

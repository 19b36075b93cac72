package dnscom

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
)

// client makes signed calls to the 51dns API.
type client struct {
	s     publish.Settings
	quiet publish.Settings // s without a logger: see call
	base  string           // endpoint without trailing slash
}

func newClient(s publish.Settings) *client {
	quiet := s
	quiet.Log = zerolog.Nop()
	return &client{s: s, quiet: quiet, base: strings.TrimRight(s.Endpoint, "/")}
}

// call signs params, POSTs them to <endpoint>/api/<action>/ and returns the
// answer's data. Errors are prefixed "<action>:"; HTTP errors keep
// their class (a 429 carries Retry-After), an API error is an *APIError,
// classified by classify.
func (c *client) call(ctx context.Context, action string, params publish.Extra) (json.RawMessage, error) {
	_, _, body := Sign(params, c.s.ID, c.s.Token, timestamp(c.s.Now()))
	url := c.base + "/api/" + action + "/"
	// Settings.Do would log the body, and the body carries the signature:
	// it gets a silent logger and the request is logged here, hash hidden.
	c.s.Log.Debug().Msgf("POST %s", url)
	c.s.Log.Debug().Msgf("body: %s", redactHash(body))
	resp, err := c.quiet.Do(ctx, publish.Request{
		Method: http.MethodPost,
		URL:    url,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"application/json"}},
		Body:   []byte(body),
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	c.s.Log.Debug().Msgf("answer %d: %s", resp.Status, snippet(resp.Body))
	if err := resp.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	a, err := parseAnswer(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	if !a.ok() {
		return nil, classify(&APIError{Action: action, Code: text(a.Code), Message: publish.OneLine(text(a.Message), 200)})
	}
	return a.Data, nil
}

// APIError is a reply with a non-zero code: the service understood the
// request and refused it.
type APIError struct {
	Action  string // e.g. "record/create"
	Code    string // the reply's code, as sent
	Message string // the reply's message, on one line
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s: API error %s: %s", e.Action, e.Code, e.Message)
}

// 51dns publishes no machine-readable error classes that we could verify
// (every refusal is HTTP 200 with a code and a Chinese message), so the
// classes are recognised by words of the message. Credentials and
// signature problems must be told apart from "no such domain" because
// zone discovery asks for names that are not zones (see api.ZoneID).
var (
	authWords = []string{"apikey", "api key", "hash", "sign", "签名", "密钥", "secret", "timestamp", "时间戳", "认证", "auth", "token", "login", "登录"}
	busyWords = []string{"频繁", "繁忙", "稍后", "busy", "too many", "frequen", "rate limit", "try again", "timeout", "超时"}
)

// auth reports whether the service refused the credentials or the
// signature (including a clock too far off) rather than the request.
func (e *APIError) auth() bool { return containsAny(e.Message, authWords) }

// busy reports whether the service asked to come back later.
func (e *APIError) busy() bool { return containsAny(e.Message, busyWords) }

// classify marks an API error Permanent unless the service said it was
// busy: a refused request is refused again when repeated.
func classify(e *APIError) error {
	if e.busy() {
		return e
	}
	return publish.Permanent(e)
}

func containsAny(s string, words []string) bool {
	s = strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

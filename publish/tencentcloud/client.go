package tencentcloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// Client calls one Tencent Cloud API 3.0 service (DNSPod, EdgeOne) with
// TC3-signed JSON POSTs. It is shared by the tencentcloud and edgeone
// providers; it never retries (the caller does, with backoff).
type Client struct {
	s       publish.Settings
	url     string // endpoint + "/"
	host    string // signed Host: the endpoint's host[:port]
	service string
	version string
}

// NewClient checks the credentials and the endpoint ("" = defaultEndpoint)
// of a provider called name and returns a client for service at version.
// Errors are one line, prefixed with name, and name what to configure.
func NewClient(name string, s publish.Settings, defaultEndpoint, service, version string) (*Client, error) {
	if strings.TrimSpace(s.ID) == "" {
		return nil, errors.New(name + ": id must be configured (the SecretId of a Tencent Cloud API key)")
	}
	if strings.TrimSpace(s.Token) == "" {
		return nil, errors.New(name + ": token must be configured (the SecretKey of a Tencent Cloud API key)")
	}
	endpoint := s.Endpoint
	if endpoint == "" {
		endpoint = defaultEndpoint
	}
	base, host, ok := splitEndpoint(endpoint)
	if !ok {
		return nil, fmt.Errorf("%s: endpoint %q is not an http(s) URL", name, endpoint)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.HTTP == nil {
		s.HTTP = http.DefaultClient
	}
	return &Client{s: s, url: base + "/", host: host, service: service, version: version}, nil
}

// Call posts action with params, in order, as the JSON body (top-level
// nil values dropped), and returns the answer's Response object. Errors
// start with the action and keep their class:
//   - an API error (Response.Error) is an *APIError, permanent unless its
//     code says to retry (throttling, internal errors, clock skew);
//   - a non-2xx HTTP answer is a *publish.StatusError (429 and 5xx
//     transient, with Retry-After), showing the API's code if it sent one;
//   - a body that is not an API 3.0 answer and transport failures are
//     transient.
//
// They never contain the secret key or the signature.
func (c *Client) Call(ctx context.Context, action string, params publish.Extra) (json.RawMessage, error) {
	body := publish.PyJSON(dropNil(params))
	h, _ := Request{Host: c.host, Service: c.service, Action: action, Version: c.version, Body: body, Time: c.s.Now()}.Sign(c.s.ID, c.s.Token)
	h.Set("Accept", "application/json")
	resp, err := c.s.Do(ctx, publish.Request{Method: http.MethodPost, URL: c.url, Header: h, Body: body, Host: c.host})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, fmt.Errorf("%s: %w", action, statusError(resp))
	}
	out, err := ParseResponse(resp.Body)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && !ae.Transient() {
			err = publish.Permanent(err)
		}
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	return out, nil
}

// statusError classifies a non-2xx answer by its status
// (publish.CheckStatus), replacing the raw body with the API's error code
// and message when the answer carries them. API 3.0 answers errors with
// 200, so these come from gateways and proxies in front of it.
func statusError(resp *publish.Response) error {
	err := resp.Err()
	if err == nil {
		// 1xx and 3xx left over after redirects: never an API answer.
		return publish.Permanent(fmt.Errorf("unexpected HTTP %d answer", resp.Status))
	}
	var se *publish.StatusError
	var ae *APIError
	if _, perr := ParseResponse(resp.Body); errors.As(perr, &ae) && errors.As(err, &se) {
		se.Body = ae.Error()
	}
	return err
}

// dropNil removes top-level nil values, as the original does before
// encoding.
func dropNil(params publish.Extra) publish.Extra {
	out := make(publish.Extra, 0, len(params))
	for _, kv := range params {
		if kv.Value != nil {
			out = append(out, kv)
		}
	}
	return out
}

// splitEndpoint derives the request base (no trailing "/") and the signed
// host from an endpoint URL.
func splitEndpoint(endpoint string) (base, host string, ok bool) {
	scheme, rest, found := strings.Cut(strings.TrimRight(endpoint, "/"), "://")
	if !found || (scheme != "http" && scheme != "https") {
		return "", "", false
	}
	host, _, _ = strings.Cut(rest, "/")
	if host == "" || strings.ContainsAny(rest, "?# ") || strings.Contains(host, "@") {
		return "", "", false
	}
	return scheme + "://" + rest, host, true
}

// APIError is an error answer of API 3.0: HTTP 200 with
// {"Response": {"Error": {"Code", "Message"}, "RequestId"}}.
type APIError struct {
	Code, Message, RequestID string
}

func (e *APIError) Error() string {
	msg := publish.OneLine(e.Code+" "+e.Message, 300)
	switch {
	case badCredentials[e.Code]:
		msg += " (check id = SecretId and token = SecretKey)"
	case e.Code == "AuthFailure.SignatureExpire":
		msg += " (check the system clock)"
	case e.Code == "AuthFailure.UnauthorizedOperation" || strings.HasPrefix(e.Code, "UnauthorizedOperation"):
		msg += " (the API key lacks a CAM permission for this action)"
	}
	return msg
}

// badCredentials are the codes that mean the key pair is wrong.
var badCredentials = map[string]bool{
	"AuthFailure.SecretIdNotFound":     true,
	"AuthFailure.SignatureFailure":     true,
	"AuthFailure.InvalidSecretId":      true,
	"AuthFailure.InvalidAuthorization": true,
}

// Transient reports whether retrying later can help: throttling, the
// service's internal errors and a clock not yet synchronised (routers
// often boot with a wrong clock). Everything else, bad credentials and
// invalid parameters included, needs a person.
func (e *APIError) Transient() bool {
	c := e.Code
	return strings.HasPrefix(c, "RequestLimitExceeded") ||
		strings.HasPrefix(c, "InternalError") ||
		strings.HasPrefix(c, "ServiceUnavailable") ||
		c == "AuthFailure.SignatureExpire" ||
		c == "FailedOperation.UnknowError" || // DNSPod: "no answer, try again later" (sic)
		c == "InvalidParameter.OperateFailed" // DNSPod: "failed, try again later"
}

// Code returns the API error code carried by err, "" if none.
func Code(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// errMalformed marks an answer that is not an API 3.0 answer: an HTML
// page from a proxy, a truncated body. The next attempt may do better.
var errMalformed = errors.New("malformed answer")

// ParseResponse returns the Response object of an API 3.0 answer body, or
// an *APIError when it holds Error, or an error wrapping "malformed
// answer" when the body is not such an answer. It never panics.
func ParseResponse(body []byte) (json.RawMessage, error) {
	var env struct {
		Response json.RawMessage `json:"Response"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%w (%v): %q", errMalformed, err, publish.OneLine(string(body), 80))
	}
	if len(env.Response) == 0 || !bytes.HasPrefix(env.Response, []byte("{")) {
		return nil, fmt.Errorf("%w: no Response object: %q", errMalformed, publish.OneLine(string(body), 80))
	}
	var r struct {
		Error *struct {
			Code    string `json:"Code"`
			Message string `json:"Message"`
		} `json:"Error"`
		RequestID string `json:"RequestId"`
	}
	if err := json.Unmarshal(env.Response, &r); err != nil {
		return nil, fmt.Errorf("%w (%v): %q", errMalformed, err, publish.OneLine(string(body), 80))
	}
	if r.Error != nil {
		if r.Error.Code == "" {
			return nil, fmt.Errorf("%w: an Error without a code: %q", errMalformed, publish.OneLine(string(body), 80))
		}
		return nil, &APIError{Code: r.Error.Code, Message: r.Error.Message, RequestID: r.RequestID}
	}
	return env.Response, nil
}

// Decode parses a Response object (from Call) into v. A mismatch is a
// malformed answer.
func Decode(resp json.RawMessage, v any) error {
	if err := json.Unmarshal(resp, v); err != nil {
		return fmt.Errorf("%w (%v)", errMalformed, err)
	}
	return nil
}

package huaweidns

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// contentType is declared on every request, GETs included: the gateway
// signs it, and the original client sends it that way.
const contentType = "application/json"

// client signs and sends Huawei Cloud DNS API calls.
type client struct {
	s      publish.Settings
	base   string // endpoint without a trailing "/", e.g. https://dns.myhuaweicloud.com
	host   string // signed Host: the endpoint's host[:port]
	prefix string // the endpoint's own path ("" normally); part of the signed path
}

// call is one API request before signing.
type call struct {
	op     string        // what it does, for error messages: "find zone example.com"
	method string        // GET, POST, PUT
	path   string        // below the endpoint, already escaped: /v2/zones
	query  publish.Extra // query parameters (GET); sorted-form encoded
	body   publish.Extra // JSON members (POST, PUT), in order; nil = no body
}

// do signs and sends c. It returns the body of a 2xx answer, or an error
// saying what failed: transport errors and 408/429/5xx are transient (a
// 429's Retry-After is kept), other answers permanent, with the API's own
// error code and message. The error never contains the secret key or the
// signature.
func (cl *client) do(ctx context.Context, c call) ([]byte, error) {
	query := publish.Form(c.query)
	var body []byte
	if c.body != nil {
		body = publish.PyJSON(c.body)
	}
	date := cl.s.Now().UTC().Format(dateFormat)
	sig := sign(cl.s.ID, cl.s.Token, c.method, canonicalURI(cl.prefix+c.path), query,
		[]header{{"content-type", contentType}, {"host", cl.host}, {"x-sdk-date", date}}, body, date)
	url := cl.base + c.path
	if query != "" {
		url += "?" + query
	}
	h := http.Header{}
	h.Set("Content-Type", contentType)
	h.Set("X-Sdk-Date", date)
	h.Set("Authorization", sig.Authorization)
	h.Set("Accept", contentType)
	resp, err := cl.s.Do(ctx, publish.Request{Method: c.method, URL: url, Header: h, Body: body, Host: cl.host})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.op, err)
	}
	if err := check(resp); err != nil {
		return nil, fmt.Errorf("%s: %w", c.op, err)
	}
	return resp.Body, nil
}

// check classifies a non-2xx answer. The status decides permanent versus
// transient (publish.CheckStatus); the API's error code and message replace
// the raw body in the text.
func check(resp *publish.Response) error {
	if resp.Status >= 200 && resp.Status < 300 {
		return nil
	}
	err := resp.Err()
	if err == nil {
		// 1xx and 3xx left over after redirects: the API never sends them.
		return publish.Permanent(fmt.Errorf("unexpected HTTP %d answer", resp.Status))
	}
	var se *publish.StatusError
	if errors.As(err, &se) {
		if msg := parseError(resp.Body); msg != "" {
			se.Body = msg
		}
	}
	return err
}

// isNotFound reports whether err is a 404 answer: the zone or record set
// named by id does not exist (DNS.0302, DNS.0313).
func isNotFound(err error) bool {
	var se *publish.StatusError
	return errors.As(err, &se) && se.Code == http.StatusNotFound
}

// splitEndpoint derives the request base, the signed host and the path
// prefix from an endpoint URL. A trailing "/" is dropped: the original
// would send "//v2/zones" for "https://host/".
func splitEndpoint(endpoint string) (base, host, prefix string, ok bool) {
	scheme, rest, found := strings.Cut(strings.TrimRight(endpoint, "/"), "://")
	if !found || (scheme != "http" && scheme != "https") {
		return "", "", "", false
	}
	host, prefix, _ = strings.Cut(rest, "/")
	if host == "" || strings.ContainsAny(rest, "?# ") || strings.Contains(host, "@") {
		return "", "", "", false
	}
	if prefix != "" {
		prefix = "/" + prefix
	}
	return scheme + "://" + host + prefix, host, prefix, true
}

package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// MaxResponse bounds how much of a provider's answer is read: API answers
// are small, and a misbehaving endpoint must not exhaust a router's memory.
const MaxResponse = 1 << 20

// Request is one provider API call.
type Request struct {
	Method string
	URL    string
	Header http.Header // may be nil
	Body   []byte      // nil = no body
	// Host overrides the Host header (signing providers sign it).
	Host string
}

// Response is a provider's answer, body already read (at most MaxResponse).
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends req with s.HTTP and reads the answer. Transport failures are
// returned as transient errors; the status is the caller's to judge (each
// API has its own error shape), with CheckStatus as the common default.
// Requests and answers are logged at debug level, method, URL and body
// only: headers (signatures, Authorization) are never logged, and the
// token is masked by the log writer.
func (s Settings) Do(ctx context.Context, req Request) (*Response, error) {
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return nil, Permanent(err)
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	if req.Host != "" {
		hr.Host = req.Host
	}
	s.Log.Debug().Msgf("%s %s", req.Method, s.mask(req.URL))
	if len(req.Body) > 0 {
		s.Log.Debug().Msgf("body: %s", s.mask(string(req.Body)))
	}
	resp, err := s.HTTP.Do(hr)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text repeats the URL, query included
		}
		return nil, fmt.Errorf("%s %s: %w", req.Method, hr.URL.Host+hr.URL.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponse))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", req.Method, hr.URL.Host+hr.URL.Path, err)
	}
	s.Log.Debug().Msgf("answer %d: %s", resp.StatusCode, Clip(string(data), 2000))
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// JSON sends one call to a REST API that speaks JSON: body, when not nil,
// encoded as the request's, header as given (credentials, Accept). The
// answer's status is judged by Err, and a 404 matches ErrNotFound too, so
// the zone flow forgets a remembered id the service no longer knows.
// Errors name the method and path (not the base: it may hold a user's
// endpoint).
func (s Settings) JSON(ctx context.Context, method, base, path string, header http.Header, body any) ([]byte, error) {
	req := Request{Method: method, URL: base + path, Header: header.Clone()}
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, Permanent(fmt.Errorf("%s %s: %w", method, path, err))
		}
		req.Body = data
		if req.Header == nil {
			req.Header = http.Header{}
		}
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.Do(ctx, req)
	if err == nil {
		if err = resp.Err(); err != nil && resp.Status == http.StatusNotFound {
			err = fmt.Errorf("%w (%w)", err, ErrNotFound)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return resp.Body, nil
}

// Err returns a *StatusError for this answer, permanent for 4xx other
// than 408 and 429, carrying Retry-After. Providers use it when the API's
// own error field is absent or unknown.
func (r *Response) Err() error {
	return CheckStatus(&http.Response{StatusCode: r.Status, Status: fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status)), Header: r.Header}, r.Body)
}

// mask hides the token in text, in every escaped form, whatever its
// length: the log writer's redactor ignores very short values, a request
// log must not.
func (s Settings) mask(text string) string {
	if s.Token == "" {
		return text
	}
	for _, f := range forms(s.Token) {
		text = strings.ReplaceAll(text, f, Mask(s.Token))
	}
	return text
}

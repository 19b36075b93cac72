package publish

import (
	"errors"
	"net/http"
	"strconv"
	"time"
)

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying: bad credentials, zone not
// found, a 4xx answer other than 408 and 429. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked
// Permanent or says so itself with a Permanent() bool method (as
// httpclient.TrustError does).
func IsPermanent(err error) bool {
	var p *permanentError
	var says interface{ Permanent() bool }
	return errors.As(err, &p) || errors.As(err, &says) && says.Permanent()
}

// StatusError is a non-success HTTP answer from a provider or webhook.
type StatusError struct {
	Code       int
	Status     string        // e.g. "403 Forbidden"
	Body       string        // the start of the body, for the log (already size-limited)
	RetryAfter time.Duration // from a Retry-After header; 0 when absent
}

func (e *StatusError) Error() string {
	if e.Body == "" {
		return "HTTP " + e.Status
	}
	return "HTTP " + e.Status + ": " + e.Body
}

// CheckStatus turns an HTTP answer into nil (2xx and other non-error
// statuses) or a *StatusError, marked Permanent for 4xx answers other than
// 408 and 429. body is the already-read response body.
func CheckStatus(resp *http.Response, body []byte) error {
	c := resp.StatusCode
	if c < 400 {
		return nil
	}
	se := &StatusError{Code: c, Status: resp.Status, Body: firstLine(body, 200)}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		se.RetryAfter = parseRetryAfter(ra, time.Now())
	}
	if c >= 500 || c == http.StatusRequestTimeout || c == http.StatusTooManyRequests {
		return se
	}
	return Permanent(se)
}

// RetryAfter returns the delay a provider asked for, if any error in err's
// chain carries one: a *StatusError, or any error with a RetryDelay method
// (a dyndns2 "911" answer asks for 30 minutes under HTTP 200).
func RetryAfter(err error) time.Duration {
	var d interface{ RetryDelay() time.Duration }
	if errors.As(err, &d) {
		return d.RetryDelay()
	}
	return 0
}

// RetryDelay is the delay the provider asked for (Retry-After).
func (e *StatusError) RetryDelay() time.Duration { return e.RetryAfter }

func parseRetryAfter(v string, now time.Time) time.Duration {
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func firstLine(b []byte, max int) string {
	for i, c := range b {
		if c == '\n' || c == '\r' {
			b = b[:i]
			break
		}
	}
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

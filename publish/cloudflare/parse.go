package cloudflare

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// envelope is the wrapper of every API v4 answer.
type envelope struct {
	Success *bool           `json:"success"`
	Errors  []apiMessage    `json:"errors"`
	Result  json.RawMessage `json:"result"`
}

// apiMessage is one entry of an answer's errors array.
type apiMessage struct {
	Code       int          `json:"code"`
	Message    string       `json:"message"`
	ErrorChain []apiMessage `json:"error_chain"`
}

func (m apiMessage) String() string {
	s := strconv.Itoa(m.Code) + " " + m.Message
	if len(m.ErrorChain) > 0 {
		parts := make([]string, len(m.ErrorChain))
		for i, c := range m.ErrorChain {
			parts[i] = c.String()
		}
		s += " (" + strings.Join(parts, "; ") + ")"
	}
	return s
}

// Error codes with a meaning the client acts on.
const (
	codeRateLimited    = 971   // "Please wait and consider throttling your request speed"
	codeNoRoute        = 7000  // "No route for that URI"
	codeBadIdentifier  = 7003  // "Could not route to …, perhaps your object identifier is invalid?"
	codeRecordNotFound = 81044 // "Record does not exist."
)

// apiError is an answer with success false, whatever its HTTP status.
type apiError struct {
	Status int
	Errors []apiMessage
	// cause is the *publish.StatusError of an HTTP error status (marked
	// Permanent for 4xx other than 408 and 429, carrying Retry-After);
	// nil for a 2xx answer.
	cause error
}

func (e *apiError) Error() string {
	if len(e.Errors) == 0 {
		return fmt.Sprintf("HTTP %d: the API reported failure without an error message", e.Status)
	}
	parts := make([]string, len(e.Errors))
	for i, m := range e.Errors {
		parts[i] = m.String()
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, strings.Join(parts, "; "))
}

func (e *apiError) Unwrap() error { return e.cause }

// has reports whether the answer carried code (at the top level).
func (e *apiError) has(code int) bool {
	for _, m := range e.Errors {
		if m.Code == code {
			return true
		}
	}
	return false
}

// parseAnswer returns the result of a successful answer. Failures are
// classified: HTTP 4xx (other than 408, 429) and 2xx answers with success
// false are permanent; 408, 429 (with Retry-After), 5xx and malformed
// answers are transient. The original reported a 2xx success:false as a
// success; this does not.
func parseAnswer(resp *publish.Response) (json.RawMessage, error) {
	statusErr := resp.Err()
	var env envelope
	if err := json.Unmarshal(resp.Body, &env); err != nil || env.Success == nil {
		if statusErr != nil {
			return nil, statusErr // not the API speaking: a proxy or an error page
		}
		if err == nil {
			err = errors.New(`no "success" member`)
		}
		return nil, fmt.Errorf("malformed answer (HTTP %d): %v", resp.Status, err)
	}
	if *env.Success && statusErr == nil {
		return env.Result, nil
	}
	ae := &apiError{Status: resp.Status, Errors: env.Errors, cause: statusErr}
	if statusErr == nil && !ae.has(codeRateLimited) {
		return nil, publish.Permanent(ae)
	}
	return nil, ae
}

// notFound reports whether err says the zone or record addressed by id
// does not exist (any more).
func notFound(err error) bool {
	var ae *apiError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.Status == 404 || ae.has(codeRecordNotFound) || ae.has(codeBadIdentifier) || ae.has(codeNoRoute)
}

// zoneInfo is the part of a zone the client reads.
type zoneInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// parseZones reads the result of a zones listing.
func parseZones(result json.RawMessage) ([]zoneInfo, error) {
	var zones []zoneInfo
	if err := decode(result, &zones); err != nil {
		return nil, fmt.Errorf("malformed zones listing: %v", err)
	}
	return zones, nil
}

// record is a DNS record as listed: the fields the client reads, plus
// every field raw, for the update's fallbacks and the drift check.
type record struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	Content string `json:"content"`
	TTL     int    `json:"ttl"`
	fields  map[string]json.RawMessage
}

// parseRecords reads the result of a records listing.
func parseRecords(result json.RawMessage) ([]record, error) {
	var raws []json.RawMessage
	if err := decode(result, &raws); err != nil {
		return nil, fmt.Errorf("malformed records listing: %v", err)
	}
	out := make([]record, 0, len(raws))
	for _, raw := range raws {
		var r record
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("malformed record in listing: %v", err)
		}
		if err := json.Unmarshal(raw, &r.fields); err != nil || r.fields == nil {
			return nil, fmt.Errorf("malformed record in listing: %s", publish.Clip(string(raw), 80))
		}
		out = append(out, r)
	}
	return out, nil
}

// parseID reads the id of the record a create returned. A success answer
// without an id still means the record exists; the id is then "".
func parseID(result json.RawMessage) (string, error) {
	var r struct {
		ID string `json:"id"`
	}
	if err := decode(result, &r); err != nil {
		return "", fmt.Errorf("malformed record: %v", err)
	}
	return r.ID, nil
}

// decode unmarshals a result, treating an absent one as empty.
func decode(result json.RawMessage, v any) error {
	if len(result) == 0 {
		return nil
	}
	return json.Unmarshal(result, v)
}

package alidns

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// APIError is an error answer of an Alibaba Cloud API: an HTTP 4xx/5xx
// with a JSON body carrying Code and Message. It wraps the
// *publish.StatusError of the answer, so publish.RetryAfter sees the
// Retry-After header.
type APIError struct {
	Code    string // e.g. "InvalidAccessKeyId.NotFound"
	Message string // the API's own text, on one line
	Status  *publish.StatusError
}

func (e *APIError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("%s (HTTP %d)", e.Code, e.Status.Code)
	}
	return fmt.Sprintf("%s (%s, HTTP %d)", e.Message, e.Code, e.Status.Code)
}

func (e *APIError) Unwrap() error { return e.Status }

// Credentials reports whether the API refused the AccessKey pair itself:
// an unknown or disabled key id, a signature made with another secret.
func (e *APIError) Credentials() bool {
	for _, p := range []string{"InvalidAccessKeyId", "SignatureDoesNotMatch", "IncompleteSignature", "InvalidSecurityToken"} {
		if strings.HasPrefix(e.Code, p) {
			return true
		}
	}
	return false
}

// Transient reports whether trying again later can help: throttling, a
// service hiccup, or a clock that is off (routers often boot before NTP
// has set theirs) or a nonce collision, both fixed by a fresh request.
func (e *APIError) Transient() bool {
	for _, p := range []string{"Throttling", "ServiceUnavailable", "InternalError", "UnknownError", "InvalidTimeStamp", "SignatureNonceUsed"} {
		if strings.HasPrefix(e.Code, p) {
			return true
		}
	}
	c := e.Status.Code
	return c >= 500 || c == 408 || c == 429
}

// Decode reads an answer of an Alibaba Cloud API into out. A 2xx answer
// must be JSON that fits out; malformed JSON is a transient error (a proxy or a
// truncated answer, never a panic). Any other answer becomes an *APIError,
// or a *publish.StatusError when the body has no Code, marked
// publish.Permanent unless it is transient (see APIError.Transient). The
// error text is one line without the request's headers.
func Decode(resp *publish.Response, out any) error {
	if resp.Status >= 200 && resp.Status < 300 {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return fmt.Errorf("malformed answer (HTTP %d): %v", resp.Status, err)
		}
		return nil
	}
	var se *publish.StatusError
	err := resp.Err()
	if !errors.As(err, &se) {
		// 1xx and 3xx leftovers: nothing to read.
		return fmt.Errorf("unexpected answer HTTP %d", resp.Status)
	}
	var body struct{ Code, Message string }
	if json.Unmarshal(resp.Body, &body) != nil || body.Code == "" {
		return err // already permanent for 4xx other than 408 and 429
	}
	ae := &APIError{Code: publish.OneLine(body.Code, 80), Message: publish.OneLine(body.Message, 200), Status: se}
	if ae.Transient() {
		return ae
	}
	return publish.Permanent(ae)
}

// flexInt is a number the API may send as a JSON number or numeric string.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	var s publish.Text
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" {
		*f = 0
		return nil
	}
	n, err := strconv.Atoi(string(s))
	if err != nil {
		return fmt.Errorf("not an integer: %.20s", s)
	}
	*f = flexInt(n)
	return nil
}

// mainAnswer is GetMainDomainName's answer.
type mainAnswer struct {
	DomainName string
	RR         string
}

// record is one element of DescribeSubDomainRecords' DomainRecords.Record.
type record struct {
	RecordId publish.Text
	RR       string
	Value    string
	Line     string
	TTL      flexInt
}

// recordsAnswer is DescribeSubDomainRecords' answer.
type recordsAnswer struct {
	DomainRecords *struct {
		Record []record
	}
}

// recordIDAnswer is AddDomainRecord's and UpdateDomainRecord's answer.
type recordIDAnswer struct {
	RecordId publish.Text
}

// domainsAnswer is DescribeDomains' answer.
type domainsAnswer struct {
	TotalCount flexInt
	Domains    *struct {
		Domain []struct{ DomainName string }
	}
}

// parseMain reads the main domain and host record of GetMainDomainName.
func parseMain(resp *publish.Response) (mainAnswer, error) {
	var a mainAnswer
	if err := Decode(resp, &a); err != nil {
		return a, err
	}
	if a.DomainName == "" || a.RR == "" {
		return a, errors.New("answer has no DomainName or RR")
	}
	a.DomainName = strings.ToLower(a.DomainName)
	return a, nil
}

// parseRecords reads DescribeSubDomainRecords' records, in the API's order.
func parseRecords(resp *publish.Response) ([]publish.Existing, error) {
	var a recordsAnswer
	if err := Decode(resp, &a); err != nil {
		return nil, err
	}
	if a.DomainRecords == nil {
		return nil, errors.New("answer has no DomainRecords")
	}
	out := make([]publish.Existing, 0, len(a.DomainRecords.Record))
	for _, r := range a.DomainRecords.Record {
		if r.RecordId == "" {
			return nil, errors.New("answer has a record without RecordId")
		}
		out = append(out, publish.Existing{ID: string(r.RecordId), Name: r.RR, Value: r.Value, TTL: int(r.TTL), Line: r.Line})
	}
	return out, nil
}

// parseRecordID reads the RecordId that AddDomainRecord and
// UpdateDomainRecord answer on success.
func parseRecordID(resp *publish.Response) (string, error) {
	var a recordIDAnswer
	if err := Decode(resp, &a); err != nil {
		return "", err
	}
	if a.RecordId == "" {
		return "", errors.New("answer has no RecordId")
	}
	return string(a.RecordId), nil
}

// parseDomains reads one page of DescribeDomains: the zone names and the
// total count of matches.
func parseDomains(resp *publish.Response) (names []string, total int, err error) {
	var a domainsAnswer
	if err := Decode(resp, &a); err != nil {
		return nil, 0, err
	}
	if a.Domains == nil {
		return nil, 0, errors.New("answer has no Domains")
	}
	for _, d := range a.Domains.Domain {
		names = append(names, strings.ToLower(d.DomainName))
	}
	return names, int(a.TotalCount), nil
}

package huaweidns

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// defaultLine is the line id of record sets that serve every resolver.
const defaultLine = "default_view"

// recordSet is a record set as the v2.1 API describes it.
type recordSet struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"` // fully qualified, with the trailing dot
	Type    string   `json:"type"`
	TTL     int      `json:"ttl"`
	Records []string `json:"records"`
	Line    string   `json:"line"`
}

// parseZoneID returns the id of the first zone in a GET /v2/zones answer
// whose name is name (without the trailing dot), or "" when there is none.
func parseZoneID(body []byte, name string) (string, error) {
	var a struct {
		Zones []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"zones"`
	}
	if err := decode(body, &a); err != nil {
		return "", err
	}
	for _, z := range a.Zones {
		if z.ID != "" && sameName(z.Name, name) {
			return z.ID, nil
		}
	}
	return "", nil
}

// parseRecords returns the record sets of a GET recordsets answer named
// fqdn with type typ, in the API's order. A record set holding several
// values gets them comma-joined as its Value, so it never looks current
// and the update replaces them with the one address.
func parseRecords(body []byte, fqdn, typ string) ([]publish.Existing, error) {
	var a struct {
		Recordsets []recordSet `json:"recordsets"`
	}
	if err := decode(body, &a); err != nil {
		return nil, err
	}
	var out []publish.Existing
	for _, rs := range a.Recordsets {
		if rs.ID == "" || !sameName(rs.Name, fqdn) || !strings.EqualFold(rs.Type, typ) {
			continue
		}
		out = append(out, publish.Existing{
			ID: rs.ID, Name: rs.Name, Value: strings.Join(rs.Records, ","),
			TTL: rs.TTL, Line: rs.Line,
		})
	}
	return out, nil
}

// parseRecordID returns the id of the record set in a create or update
// answer; an answer without one is a failure, as for the original.
func parseRecordID(body []byte) (string, error) {
	var rs recordSet
	if err := decode(body, &rs); err != nil {
		return "", err
	}
	if rs.ID == "" {
		return "", errors.New("the answer holds no record set id")
	}
	return rs.ID, nil
}

// parseError extracts "CODE message" from an error answer. The API gateway
// answers {"error_code", "error_msg"}, the DNS service {"code", "message"};
// both are accepted. It returns "" when the body is neither.
func parseError(body []byte) string {
	var a struct {
		ErrorCode string `json:"error_code"`
		ErrorMsg  string `json:"error_msg"`
		Code      string `json:"code"`
		Message   string `json:"message"`
	}
	if json.Unmarshal(body, &a) != nil {
		return ""
	}
	code, msg := a.ErrorCode, a.ErrorMsg
	if code == "" && msg == "" {
		code, msg = a.Code, a.Message
	}
	return publish.OneLine(strings.TrimSpace(code+" "+msg), 300)
}

// decode parses a 2xx answer; malformed JSON is a transient failure (a
// proxy's error page, a truncated answer), reported with the body's start.
func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("malformed answer (%v): %q", err, publish.OneLine(string(body), 80))
	}
	return nil
}

// sameName compares DNS names case-insensitively, ignoring a trailing dot.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

package cloudns

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/ddns-go/ddns/publish"
)

// errMalformed marks an answer that is not ClouDNS JSON of the expected
// shape: an HTML error page from a proxy, a truncated body. Such answers
// are transient: the next attempt may reach the API.
var errMalformed = errors.New("malformed answer")

// failure is ClouDNS's error answer,
// {"status": "Failed", "statusDescription": "…"}, which comes with HTTP 200.
type failure struct {
	Description string // on one line
}

func (f *failure) Error() string { return "API error: " + f.Description }

// zoneInfo is the part of a get-zone-info answer we read, e.g.
// {"name": "example.com", "type": "master", "zone": "domain", "status": "1"}.
type zoneInfo struct {
	Name text `json:"name"`
	Type text `json:"type"` // master, slave, parked, geodns
}

// record is one entry of a records.json answer.
type record struct {
	ID     text `json:"id"`
	Type   text `json:"type"`
	Host   text `json:"host"` // "" (or "@") for the apex
	Record text `json:"record"`
	TTL    text `json:"ttl"`
}

// parseZone decodes a get-zone-info answer: the zone, or a *failure.
func parseZone(body []byte) (zoneInfo, error) {
	if _, err := members(body); err != nil {
		return zoneInfo{}, err
	}
	var z zoneInfo
	if err := json.Unmarshal(body, &z); err != nil || z.Name == "" {
		return zoneInfo{}, fmt.Errorf("%w (no zone name)", errMalformed)
	}
	return z, nil
}

// parseRecords decodes a records.json answer: an object keyed by record
// id, in the service's order, or [] when nothing matched.
func parseRecords(body []byte) ([]record, error) {
	ms, err := members(body)
	if err != nil {
		return nil, err
	}
	out := make([]record, 0, len(ms))
	for _, m := range ms {
		var r record
		if m.key == "status" || json.Unmarshal(m.raw, &r) != nil {
			return nil, fmt.Errorf("%w (member %.20q is not a record)", errMalformed, m.key)
		}
		out = append(out, r)
	}
	return out, nil
}

// parseWrite decodes an add-record or mod-record answer,
// {"status": "Success", …, "data": {"id": 123}}: the new record's id where
// the answer has one (add-record), or a *failure.
func parseWrite(body []byte) (id string, err error) {
	if _, err := members(body); err != nil {
		return "", err
	}
	var w struct {
		Status text            `json:"status"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return "", fmt.Errorf("%w (%v)", errMalformed, err)
	}
	if w.Status != "Success" {
		return "", fmt.Errorf("%w (status %.20q)", errMalformed, w.Status)
	}
	var d struct {
		ID text `json:"id"`
	}
	_ = json.Unmarshal(w.Data, &d) // absent, or PHP's [] for "nothing": no id
	return string(d.ID), nil
}

// member is one name/value pair of a JSON object, in document order.
type member struct {
	key string
	raw json.RawMessage
}

// members splits a JSON object into its members in document order (Go
// maps would lose the order, and the first matching record must win).
// The PHP service writes an empty result as [], which gives no members.
// A Failed answer is returned as a *failure; anything else that is not a
// single JSON object wraps errMalformed. It never panics.
func members(body []byte) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("%w (not JSON: %v)", errMalformed, err)
	}
	var ms []member
	switch tok {
	case json.Delim('['):
		if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
			return nil, fmt.Errorf("%w (a list, not an object)", errMalformed)
		}
	case json.Delim('{'):
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, fmt.Errorf("%w (not JSON: %v)", errMalformed, err)
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, fmt.Errorf("%w (not JSON: %v)", errMalformed, err)
			}
			ms = append(ms, member{k.(string), raw}) // object keys are always strings
		}
		_, err = dec.Token() // the closing brace
	default:
		return nil, fmt.Errorf("%w (not a JSON object)", errMalformed)
	}
	if err != nil {
		return nil, fmt.Errorf("%w (not JSON: %v)", errMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w (data after the JSON object)", errMalformed)
	}
	return ms, failed(ms)
}

// failed returns the *failure a Failed answer describes, else nil.
func failed(ms []member) error {
	var status, desc text
	for _, m := range ms {
		switch m.key {
		case "status":
			_ = json.Unmarshal(m.raw, &status)
		case "statusDescription":
			_ = json.Unmarshal(m.raw, &desc)
		}
	}
	if status != "Failed" {
		return nil
	}
	if desc == "" {
		desc = "(no description)"
	}
	return &failure{Description: publish.OneLine(string(desc), 200)}
}

// text is a scalar ClouDNS may send as a string or a number (ids and TTLs
// are "60" in one answer and 60 in another); null and other JSON values
// are "".
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*t = text(n)
	default:
		*t = ""
	}
	return nil
}

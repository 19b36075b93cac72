package dnscom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// answer is the envelope of every 51dns reply:
// {"code": 0, "message": "success", "data": …}.
type answer struct {
	Code    json.RawMessage `json:"code"`
	Message json.RawMessage `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// parseAnswer decodes a reply. Anything but a JSON object is an error
// that quotes the start of the body (an HTML error page from a proxy is
// the usual culprit).
func parseAnswer(body []byte) (answer, error) {
	var a answer
	t := bytes.TrimSpace(body)
	if len(t) == 0 || t[0] != '{' {
		return a, fmt.Errorf("malformed answer, not a JSON object: %q", snippet(t))
	}
	if err := json.Unmarshal(t, &a); err != nil {
		return a, fmt.Errorf("malformed answer: %v: %q", err, snippet(t))
	}
	return a, nil
}

// ok reports whether the call succeeded: code 0. An absent code counts as
// 0, as in the original; "0" as a string is accepted too.
func (a answer) ok() bool {
	c := text(a.Code)
	return c == "" || c == "0"
}

// record is one DNS record of a record/list answer.
type record struct {
	ID, Host, Type, Value, Line string
	TTL                         int // 0 when absent or not a number
}

// parseZone reads data.domainID and data.domains (the zone's name) of a
// domain/getsingle answer; id is "" when the answer holds no domain (null,
// empty, or no id).
func parseZone(data json.RawMessage) (id, zone string, err error) {
	obj, err := object(data)
	if err != nil || obj == nil {
		return "", "", err
	}
	id = text(obj["domainID"])
	if id == "0" {
		id = ""
	}
	return id, text(obj["domains"]), nil
}

// parseRecords reads the records of a record/list answer: data.data, an
// array (the page). A missing list is an empty one; data being the array
// itself is accepted too.
func parseRecords(data json.RawMessage) ([]record, error) {
	list := data
	if obj, err := object(data); err == nil {
		if obj == nil {
			return nil, nil
		}
		list = obj["data"]
	}
	if isNull(list) {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(list, &items); err != nil {
		return nil, fmt.Errorf("malformed record list: %q", snippet(list))
	}
	out := make([]record, 0, len(items))
	for _, it := range items {
		o, err := object(it)
		if err != nil || o == nil {
			return nil, fmt.Errorf("malformed record in list: %q", snippet(it))
		}
		r := record{ID: text(o["recordID"]), Host: text(o["record"]), Type: text(o["type"]), Value: text(o["value"]), Line: text(o["viewID"])}
		ttl := o["TTL"]
		if ttl == nil {
			ttl = o["ttl"]
		}
		r.TTL, _ = strconv.Atoi(text(ttl))
		out = append(out, r)
	}
	return out, nil
}

// parseRecordID reads data.recordID of a record/create answer; "" when
// absent.
func parseRecordID(data json.RawMessage) (string, error) {
	obj, err := object(data)
	if err != nil || obj == nil {
		return "", err
	}
	return text(obj["recordID"]), nil
}

var errNotObject = errors.New("not an object")

// object decodes a JSON object; nil (and no error) for null, absent and
// the empty values the service may send instead ("", []).
func object(raw json.RawMessage) (map[string]json.RawMessage, error) {
	t := bytes.TrimSpace(raw)
	if isNull(t) || string(t) == `""` || string(t) == "[]" {
		return nil, nil
	}
	if t[0] != '{' {
		return nil, fmt.Errorf("malformed data, %w: %q", errNotObject, snippet(t))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(t, &m); err != nil {
		return nil, fmt.Errorf("malformed data: %q", snippet(t))
	}
	return m, nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// text renders a JSON scalar as the text the API means: strings unquoted,
// numbers as written (ids and TTLs come as either). Null, absent, objects
// and arrays give "".
func text(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return ""
	}
	switch t[0] {
	case '"':
		var s string
		if json.Unmarshal(t, &s) == nil {
			return s
		}
		return ""
	case '{', '[', 'n':
		return ""
	}
	return string(t)
}

// snippet is the start of a body for an error message: one line, short.
func snippet(b []byte) string {
	s := string(b)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

package west

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// West result codes this package acts on. Answers are HTTP 200 with a JSON
// object {"code": 200, "msg": "…", "body": {"record_id": 123}}.
const (
	codeOK       = 200
	codeNoDomain = 404 // the domain is not in this account
)

// answer is the part of a West reply this package reads.
type answer struct {
	Code     int
	Msg      string
	RecordID string // "" when absent
}

// errMalformed marks an answer that is not West's JSON: an HTML error page
// from a proxy, a truncated body. Such answers are transient: the next
// attempt may reach the API.
var errMalformed = errors.New("malformed answer")

// parseAnswer decodes a reply body, GBK or UTF-8 (decodeText). It fails on
// anything that is not a JSON object with an integer code, never panics,
// and keeps the decoder's reason in the message. The code may be a number
// or a numeric string (the original accepted numbers only); msg and
// record_id may be strings or numbers.
func parseAnswer(body []byte, contentType string) (answer, error) {
	var raw struct {
		Code json.RawMessage `json:"code"`
		Msg  json.RawMessage `json:"msg"`
		Body json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal([]byte(decodeText(body, contentType)), &raw); err != nil {
		return answer{}, fmt.Errorf("%w (not West JSON: %v)", errMalformed, err)
	}
	code, ok := intOf(raw.Code)
	if !ok {
		return answer{}, fmt.Errorf("%w (no integer code)", errMalformed)
	}
	a := answer{Code: code, Msg: textOf(raw.Msg)}
	var b struct {
		RecordID json.RawMessage `json:"record_id"`
	}
	// body is absent on errors, and not necessarily an object elsewhere.
	if bytes.HasPrefix(bytes.TrimSpace(raw.Body), []byte("{")) && json.Unmarshal(raw.Body, &b) == nil {
		a.RecordID = textOf(b.RecordID)
	}
	return a, nil
}

// intOf reads an integer given as a JSON number or a numeric string.
func intOf(raw json.RawMessage) (int, bool) {
	n, err := strconv.Atoi(textOf(raw))
	return n, err == nil
}

// textOf renders a JSON string or number as text; null, absent, objects,
// arrays and booleans give "".
func textOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw)
	}
	return ""
}

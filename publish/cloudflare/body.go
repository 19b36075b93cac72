package cloudflare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// remark is the comment put on records the user gave no comment for, as
// the original does.
const remark = "Managed by [DDNS](https://ddns.newfuture.cc)"

// ownFields are the record fields ddns sets itself. An extra of the same
// name is refused rather than silently replacing them (the original failed
// the record too).
var ownFields = []string{"name", "type", "content", "ttl"}

// structured fields are objects or lists: given as JSON text (the command
// line, or an object the configuration flattened to text) they are sent as
// JSON, not as a string.
var structured = []string{"tags", "settings", "data"}

// recordFields turns the configured extras into record fields, in order:
// nulls dropped, proxied made a boolean, JSON text of structured fields
// decoded. Errors are permanent: the configuration must change.
func recordFields(x publish.Extra) (publish.Extra, error) {
	out := make(publish.Extra, 0, len(x))
	for _, kv := range x {
		if kv.Value == nil {
			continue
		}
		if slices.Contains(ownFields, kv.Key) {
			return nil, publish.Permanent(fmt.Errorf("extra %q would replace a field ddns sets itself; remove it", kv.Key))
		}
		v := kv.Value
		switch s, isText := v.(string); {
		case kv.Key == "proxied" && isText:
			b, err := strconv.ParseBool(strings.TrimSpace(s))
			if err != nil {
				return nil, publish.Permanent(fmt.Errorf("extra proxied must be true or false, not %q", s))
			}
			v = b
		case kv.Key == "proxied":
			if _, ok := v.(bool); !ok {
				return nil, publish.Permanent(fmt.Errorf("extra proxied must be true or false, not %v", v))
			}
		case isText && slices.Contains(structured, kv.Key) && isJSONContainer(s):
			v = json.RawMessage(s)
		}
		out = append(out, publish.KV{Key: kv.Key, Value: v})
	}
	return out, nil
}

func isJSONContainer(s string) bool {
	s = strings.TrimSpace(s)
	return (strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")) && json.Valid([]byte(s))
}

// withDefault appends key = v unless body already has key.
func withDefault(body publish.Extra, key string, v any) publish.Extra {
	if _, ok := body.Get(key); ok {
		return body
	}
	return append(body, publish.KV{Key: key, Value: v})
}

// drifted reports whether a configured extra differs from the record's
// field of that name (or the record has no such field).
func drifted(fields map[string]json.RawMessage, extra publish.Extra) bool {
	for _, kv := range extra {
		have, ok := fields[kv.Key]
		if !ok || !sameJSON(have, publish.PyJSON(kv.Value)) {
			return true
		}
	}
	return false
}

// sameJSON compares two JSON texts by value (member order ignored).
func sameJSON(a, b []byte) bool {
	var x, y any
	return unmarshalNumbers(a, &x) == nil && unmarshalNumbers(b, &y) == nil && reflect.DeepEqual(x, y)
}

func unmarshalNumbers(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

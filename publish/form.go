package publish

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// PyStr renders a parameter value the way the original's Python str()
// does: booleans "True"/"False", whole floats with ".0", nil "None".
func PyStr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return PyFloat(x)
	case json.Number:
		return string(x)
	case json.RawMessage:
		return string(x)
	}
	return fmt.Sprint(v)
}

// Form encodes parameters as the original does for form bodies and query
// strings: nil values dropped, values rendered
// with PyStr (a []any gives one pair per element), pairs sorted by key
// (byte order, stable for repeated keys), percent-encoded like
// url.Values.Encode.
func Form(params Extra) string {
	v := url.Values{}
	for _, kv := range params {
		if kv.Value == nil {
			continue
		}
		if l, ok := kv.Value.([]any); ok {
			for _, e := range l {
				v[kv.Key] = append(v[kv.Key], PyStr(e))
			}
			continue
		}
		v[kv.Key] = append(v[kv.Key], PyStr(kv.Value))
	}
	return v.Encode() // sorts by key, keeps the order of repeated keys
}

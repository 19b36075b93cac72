package config_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/config"
)

func TestParseJSONC(t *testing.T) {
	tests := []struct {
		in   string
		want string // the same document in strict JSON
	}{
		{`{"a": 1}`, `{"a":1}`},
		{"// c\n{\"a\": \"x//y#z\", # c\n 'b': True, \"c\": None, \"d\": [1, 2,],}", `{"a":"x//y#z","b":true,"c":null,"d":[1,2]}`},
		{"\ufeff{\"dns\":\"debug\"}", `{"dns":"debug"}`},
		{`{"u": "\u00e9\ud83d\ude00"}`, `{"u":"é😀"}`},
		{`{"a": 1, "a": 2}`, `{"a":2}`},
	}
	for _, tc := range tests {
		v, err := config.ParseJSONC([]byte(tc.in))
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		var want any
		json.Unmarshal([]byte(tc.want), &want)
		if got := plain(v); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %#v, want %#v", tc.in, got, want)
		}
	}
	for _, bad := range []string{``, `{`, `{"a"}`, `{"a":1}x`, `[1,,2]`, `{"a":tru}`, `{'a': "\x"}`} {
		if _, err := config.ParseJSONC([]byte(bad)); err == nil {
			t.Errorf("%q: parsed; want an error", bad)
		}
	}
}

func TestObjectKeepsOrder(t *testing.T) {
	v, _ := config.ParseJSONC([]byte(`{"z":1,"a":{"y":2,"b":3},"m":[1]}`))
	if got := config.EncodeJSON(v.(*config.Object)); got != `{"z":1,"a":{"y":2,"b":3},"m":[1]}` {
		t.Errorf("order lost: %s", got)
	}
}

// plain converts parsed values to what encoding/json would produce.
func plain(v any) any {
	switch x := v.(type) {
	case *config.Object:
		m := map[string]any{}
		for _, k := range x.Keys {
			m[k] = plain(x.Vals[k])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case config.Number:
		var f float64
		json.Unmarshal([]byte(x), &f)
		return f
	}
	return v
}

// fuzzSecret is the token FuzzLoadFile plants in every document; no error
// or warning may ever show it.
const fuzzSecret = "Fz-t0ken-9c1e77"

// plantSecret puts fuzzSecret, in the shape shape selects (text, list,
// object, nested list, number), under every secret key the loader reads:
// token and id at the root and in each providers entry, and a password-like
// extra.
func plantSecret(root *config.Object, shape uint8) {
	var v any
	switch shape % 5 {
	case 0:
		v = fuzzSecret
	case 1:
		v = []any{fuzzSecret}
	case 2:
		v = &config.Object{Keys: []string{"k"}, Vals: map[string]any{"k": fuzzSecret}}
	case 3:
		v = []any{[]any{1, fuzzSecret}}
	case 4:
		v = config.Number("9" + fuzzSecret[len(fuzzSecret)-4:] + "12345")
	}
	targets := []*config.Object{root}
	if provs, ok := root.Vals["providers"].([]any); ok {
		for _, p := range provs {
			if e, ok := p.(*config.Object); ok {
				targets = append(targets, e)
			}
		}
	}
	key := []string{"token", "id"}[shape/5%2]
	for _, o := range targets {
		o.Set(key, v)
	}
	if ex, ok := root.Vals["extra"].(*config.Object); ok {
		ex.Set("api_password", v)
	}
}

// FuzzLoadFile feeds arbitrary documents through the whole loader: it must
// return a configuration or an error, never panic or hang, and never print
// a token given in the input (planted in every shape, in the file and in
// DDNS_TOKEN).
func FuzzLoadFile(f *testing.F) {
	for _, s := range []string{
		`{"dns":"debug","ipv4":["a.com"],"index4":"shell:echo 1.2.3.4"}`,
		`{"providers":[{"provider":"debug","ipv4":"a.com,b.com"}],"extra":{"k":1}}`,
		"// c\n{'dns': 'print', 'ttl': '300', 'cache': None,}",
		`{"log":{"level":10,"format":"%(message)s"},"dns":"callback","token":{"a":"__IP__"}}`,
		`[1,2,3]`,
		`{"dns":"cloudflare","token":["x"],"extra":{"proxied":false}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The input's length picks the secret's shape and spot, so the
		// fuzzer explores every one (and the stored corpus stays valid).
		shape := uint8(len(data))
		doc, err := config.ParseJSONC(data)
		if err != nil {
			return
		}
		dir := t.TempDir()
		if root, ok := doc.(*config.Object); ok {
			plantSecret(root, shape)
			data = []byte(config.EncodeJSON(root))
		}
		if err := writeFile(dir+"/c.json", data); err != nil {
			t.Skip(err)
		}
		envToken := []string{fuzzSecret, `["` + fuzzSecret + `"]`, `[1, {"k": "` + fuzzSecret + `"}]`}[shape%3]
		p, err := config.Load(config.Input{Args: []string{"-c", "c.json"}, Environ: []string{"DDNS_TOKEN=" + envToken}, Dir: dir, Home: dir})
		if err == nil && len(p.Configs) == 0 {
			t.Fatal("no error and no configuration")
		}
		var shown []string
		if err != nil {
			shown = append(shown, err.Error())
		} else {
			shown = append(shown, p.Warnings...)
		}
		for _, s := range shown {
			if strings.Contains(s, fuzzSecret) || strings.Contains(s, fuzzSecret[len(fuzzSecret)-4:]+"12345") {
				t.Fatalf("the token is printed: %q", s)
			}
			if strings.Contains(s, "\n") || len(s) > 300 {
				t.Fatalf("not one bounded line (%d bytes): %q", len(s), s)
			}
		}
	})
}

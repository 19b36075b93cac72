package config_test

import (
	"encoding/json"
	"reflect"
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

// FuzzLoadFile feeds arbitrary documents through the whole loader: it must
// return a configuration or an error, never panic or hang.
func FuzzLoadFile(f *testing.F) {
	for _, s := range []string{
		`{"dns":"debug","ipv4":["a.com"],"index4":"shell:echo 1.2.3.4"}`,
		`{"providers":[{"provider":"debug","ipv4":"a.com,b.com"}],"extra":{"k":1}}`,
		"// c\n{'dns': 'print', 'ttl': '300', 'cache': None,}",
		`{"log":{"level":10,"format":"%(message)s"},"dns":"callback","token":{"a":"__IP__"}}`,
		`[1,2,3]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := config.ParseJSONC(data); err != nil {
			return
		}
		dir := t.TempDir()
		if err := writeFile(dir+"/c.json", data); err != nil {
			t.Skip(err)
		}
		p, err := config.Load(config.Input{Args: []string{"-c", "c.json"}, Environ: []string{}, Dir: dir, Home: dir})
		if err == nil && len(p.Configs) == 0 {
			t.Fatal("no error and no configuration")
		}
	})
}

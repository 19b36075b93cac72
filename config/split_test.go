package config

import (
	"reflect"
	"testing"
)

// TestSplitList pins list splitting (docs/configuration.md), including
// C08 and C09 of the compatibility table (docs/compat.md).
func TestSplitList(t *testing.T) {
	tests := []struct {
		in      string
		protect bool
		want    []string
	}{
		{"a.com,b.com", false, []string{"a.com", "b.com"}},
		{" a , ,b, ", false, []string{"a", "b"}},
		{"a;b,c", false, []string{"a;b", "c"}},
		{"a;b", false, []string{"a", "b"}},
		{"", false, []string{}},
		{"url:8080;DIRECT", false, []string{"url:8080", "DIRECT"}},
		{"public;url:https://x/?v=1,2", true, []string{"public", "url:https://x/?v=1,2"}},
		{"public,shell:echo 1,2", true, []string{"public", "shell:echo 1,2"}},
		{"public, shell:echo 1,2", true, []string{"public", "shell:echo 1,2"}},
		{`regex:192\.168\..*,public`, true, []string{`regex:192\.168\..*,public`}},
		{"shell:a;b,c", true, []string{"shell:a;b,c"}},
		{"default;cmd:x,y", true, []string{"default", "cmd:x,y"}},
		{"public,noshell:x,y", true, []string{"public", "noshell:x", "y"}},
	}
	for _, tc := range tests {
		if got := splitList(tc.in, tc.protect); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitList(%q, %v) = %q, want %q", tc.in, tc.protect, got, tc.want)
		}
	}
}

// TestCLIListAccumulation is C08: a repeated list option is not split.
func TestCLIListAccumulation(t *testing.T) {
	a, err := parseArgs([]string{"--ipv4", "a.com,b.com", "--ipv4", "c.com"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := cliLayer(a)["ipv4"]
	got, err := asList(r, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.com,b.com", "c.com"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args []string
		key  string
		want any
	}{
		{[]string{"--ttl", "-5"}, "ttl", "-5"},
		{[]string{"--ttl=-5"}, "ttl", "-5"},
		{[]string{"-cFILE"}, "config", []string{"FILE"}},
		{[]string{"-c=FILE"}, "config", []string{"FILE"}},
		{[]string{"-c", "a", "b", "--dns", "debug"}, "config", []string{"a", "b"}},
		{[]string{"--ipv4"}, "ipv4", []string(nil)},
		{[]string{"--cache"}, "cache", true},
		{[]string{"--cache", "/p"}, "cache", "/p"},
		{[]string{"--cache", "--no-cache"}, "cache", false},
		{[]string{"--cache-max", "5"}, "cache_max_age", "5"},
		{[]string{"--log.level", "debug"}, "log_level", "debug"},
	}
	for _, tc := range tests {
		a, err := parseArgs(tc.args, nil)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if got := a.set[tc.key].val; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: %s = %#v, want %#v", tc.args, tc.key, got, tc.want)
		}
	}
	if _, err := parseArgs([]string{"--token", "-abc"}, nil); err == nil {
		t.Error("--token -abc: want 'expected one argument'")
	}
	a, _ := parseArgs([]string{"--extra.a.b", "c", "--extra.k=v"}, nil)
	if want := []cliExtra{{"a.b", "c", ""}, {"k=v", true, ""}}; !reflect.DeepEqual(a.extra, want) {
		t.Errorf("extras %#v, want %#v", a.extra, want)
	}
}

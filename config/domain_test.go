package config

import (
	"strings"
	"testing"
)

func TestDomainASCII(t *testing.T) {
	ok := map[string]string{
		"A.Example.com":                  "a.example.com",
		"bücher.example":                 "xn--bcher-kva.example",
		"münchen.de":                     "xn--mnchen-3ya.de",
		"例え.テスト":                         "xn--r8jz45g.xn--zckzah",
		"*.example.com":                  "*.example.com",
		"sub~example.com":                "sub~example.com",
		"sub+example.com":                "sub+example.com",
		"_acme-challenge.a.com":          "_acme-challenge.a.com",
		"home.example.com.":              "home.example.com",
		"xn--bcher-kva.example":          "xn--bcher-kva.example",
		"ПРИМЕР.рф":                      "xn--e1afmkfd.xn--p1ai",
		strings.Repeat("a", 63) + ".com": strings.Repeat("a", 63) + ".com",
	}
	for in, want := range ok {
		got, err := domainASCII(in)
		if err != nil || got != want {
			t.Errorf("domainASCII(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "12345", "true", "localhost", "a..com", ".a.com", "a.*.com", "*a.example.com", "a b.com",
		"a/b.com", "\xff.com", strings.Repeat("a", 64) + ".com", strings.Repeat("abcdefghi.", 26) + "com", "é_x.com"} {
		if got, err := domainASCII(in); err == nil {
			t.Errorf("domainASCII(%q) = %q, want an error", in, got)
		}
	}
}

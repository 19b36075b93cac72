package config

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// domains reads ipv4 or ipv6: a list of names, each validated and turned
// into the form providers publish (lower case, IDNA punycode).
func domains(l layers, key string) ([]string, error) {
	r, ok := l.pick(key)
	if !ok || isFalseSentinel(unwrap(r)) {
		return nil, nil
	}
	list, err := asList(r, false)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(list))
	for i, d := range list {
		a, err := domainASCII(d)
		if err != nil {
			e := r.fail("%v", err)
			if len(list) > 1 {
				e.Msg = "item " + strconv.Itoa(i+1) + ": " + e.Msg
			}
			return nil, e
		}
		out = append(out, a)
	}
	return out, nil
}

// Limits of a domain name (RFC 1035 §2.3.4), in octets of the published
// (ASCII) form.
const (
	maxLabel  = 63
	maxDomain = 253
)

// domainASCII validates one domain and returns it as published: lower
// case, each non-ASCII label in its IDNA punycode form ("bücher.example" →
// "xn--bcher-kva.example"). The original's zone separators are kept:
// "sub~example.com" and "sub+example.com" name the record "sub" in the zone
// "example.com". A name needs two labels, each 1–63 octets, 253 in all; "*"
// may only be the whole leftmost label. One trailing dot is accepted.
func domainASCII(d string) (string, error) {
	if !utf8.ValidString(d) {
		return "", errors.New("not valid UTF-8")
	}
	d = strings.TrimSuffix(strings.TrimSpace(d), ".")
	if d == "" {
		return "", errors.New("empty domain")
	}
	var b strings.Builder
	seps := 0 // separators seen: one separator = two labels
	for rest := d; ; seps++ {
		i := strings.IndexAny(rest, ".~+")
		label := rest
		if i >= 0 {
			label = rest[:i]
		}
		a, err := labelASCII(label, seps == 0)
		if err != nil {
			return "", err
		}
		b.WriteString(a)
		if i < 0 {
			break
		}
		b.WriteByte(rest[i])
		rest = rest[i+1:]
	}
	if seps == 0 {
		return "", errors.New("needs at least two labels (name.example)")
	}
	if b.Len() > maxDomain {
		return "", errors.New("longer than 253 octets")
	}
	return b.String(), nil
}

// labelASCII validates one label and returns its ASCII form.
func labelASCII(label string, first bool) (string, error) {
	switch {
	case label == "":
		return "", errors.New("empty label (two dots in a row?)")
	case label == "*" && first:
		return label, nil
	case strings.Contains(label, "*"):
		return "", errors.New(`"*" is allowed only as the whole leftmost label`)
	}
	label = strings.ToLower(label)
	ascii := true
	for _, c := range label {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
		case c >= utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.Is(unicode.Mn, c) || unicode.Is(unicode.Mc, c)):
			ascii = false
		default:
			return "", errors.New("character " + quoteRune(c) + " is not allowed in a domain")
		}
	}
	if !ascii {
		if strings.ContainsRune(label, '_') {
			return "", errors.New(`"_" is not allowed in an internationalized label`)
		}
		label = "xn--" + punycode(label)
	}
	if len(label) > maxLabel {
		return "", errors.New("a label is longer than 63 octets")
	}
	return label, nil
}

func quoteRune(c rune) string {
	return "'" + clip(string(c), 1) + "'"
}

// punycode encodes a label with RFC 3492's Bootstring parameters, the
// encoding IDNA uses for non-ASCII labels (without the "xn--" prefix).
func punycode(s string) string {
	const (
		base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
		initialBias, initialN        = 72, 128
	)
	runes := []rune(s)
	var out []byte
	for _, r := range runes {
		if r < utf8.RuneSelf {
			out = append(out, byte(r))
		}
	}
	basic := len(out)
	h := basic
	if basic > 0 {
		out = append(out, '-')
	}
	digit := func(d int) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	adapt := func(delta, numPoints int, first bool) int {
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / numPoints
		k := 0
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		return k + (base-tmin+1)*delta/(delta+skew)
	}
	n, delta, bias := initialN, 0, initialBias
	for h < len(runes) {
		m := int(unicode.MaxRune) + 1
		for _, r := range runes {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range runes {
			if int(r) < n {
				delta++
			}
			if int(r) != n {
				continue
			}
			q := delta
			for k := base; ; k += base {
				t := k - bias
				if t < tmin {
					t = tmin
				} else if t > tmax {
					t = tmax
				}
				if q < t {
					break
				}
				out = append(out, digit(t+(q-t)%(base-t)))
				q = (q - t) / (base - t)
			}
			out = append(out, digit(q))
			bias = adapt(delta, h+1, h == basic)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return string(out)
}

package publish

import (
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"sync"
)

// minSecretLen is the shortest value treated as a secret. Masking every
// occurrence of a one- or two-letter "token" would garble every log line
// while protecting nothing: no real credential is that short.
const minSecretLen = 4

// Redactor replaces known secrets, raw and in their URL- and JSON-escaped
// forms, by a mask that keeps the first and last two characters (the
// original client's rule: "secrettoken" → "se***en"). It is safe for
// concurrent use.
type Redactor struct {
	mu       sync.RWMutex
	replacer *strings.Replacer
	pairs    []string
}

// Add registers secrets. Empty and very short values are ignored.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		m := Mask(s)
		for _, form := range forms(s) {
			r.pairs = append(r.pairs, form, m)
		}
	}
	r.replacer = strings.NewReplacer(r.pairs...)
}

// Redact returns s with every registered secret masked.
func (r *Redactor) Redact(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	rep := r.replacer
	r.mu.RUnlock()
	if rep == nil {
		return s
	}
	return rep.Replace(s)
}

// Writer returns an io.Writer that redacts everything written through it
// before passing it to w. Each Write is redacted as a whole, so a secret is
// caught as long as it is not split across two writes (log records are
// written whole).
func (r *Redactor) Writer(w io.Writer) io.Writer { return redactWriter{r, w} }

type redactWriter struct {
	r *Redactor
	w io.Writer
}

func (rw redactWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(rw.w, rw.r.Redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Mask hides a secret: the first two and last two characters stay, the rest
// becomes "***"; secrets of four characters or fewer become "***".
func Mask(s string) string {
	if len(s) <= 4 {
		return "***"
	}
	return s[:2] + "***" + s[len(s)-2:]
}

// forms lists the spellings under which a secret may appear in a log line,
// longest first so a replacer never masks half of an escaped form.
func forms(s string) []string {
	out := []string{s}
	add := func(f string) {
		for _, o := range out {
			if o == f {
				return
			}
		}
		out = append(out, f)
	}
	add(url.QueryEscape(s))
	add(url.PathEscape(s))
	if b, err := json.Marshal(s); err == nil {
		add(string(b[1 : len(b)-1]))
	}
	// Longest first: strings.Replacer tries patterns in argument order at
	// each position.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

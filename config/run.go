package config

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// Fingerprint is a digest of everything that shapes c's publishes: a
// reload that leaves it unchanged keeps the running publisher, its HTTP
// client and a permanent failure verdict. It is a digest so that no
// credential is kept in clear beside the configuration.
func (c *Config) Fingerprint() string {
	h := sha256.New()
	for _, v := range []any{c.DNS, c.ID, c.Token, c.Endpoint, c.Proxy, c.SSL, c.TTL, c.Line, c.Extra, c.Concurrency} {
		s := fmt.Sprintf("%v", v)
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// unverifiedWarning says once, at start, that some configuration sends its
// credentials over TLS that is not verified: the user asked for it with
// ssl false, and should know what it costs.
func unverifiedWarning(cs []*Config) []string {
	var labels []string
	for _, c := range cs {
		if c.SSL == "false" {
			labels = append(labels, c.Label)
		}
	}
	if len(labels) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("ssl is false (%s): TLS certificates are not verified, so anyone on the path can read the token; set ssl to the path of a CA file instead", strings.Join(labels, ", "))}
}

// Report prints an error of Load on one line, "ddns: …", and returns its
// exit code (2 but for an Error that says otherwise). Values of secret
// flags in args never reach the line.
func Report(w io.Writer, err error, args []string) int {
	red := &publish.Redactor{}
	for i, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix("--token", k) && len(k) > 3 {
			red.Add(v)
		} else if strings.HasPrefix("--token", a) && len(a) > 3 && i+1 < len(args) {
			red.Add(args[i+1])
		}
	}
	msg, code := err.Error(), 2
	var ue *UsageError
	var ce *Error
	switch {
	case errors.As(err, &ue):
		msg = ue.Error()
	case errors.As(err, &ce):
		msg, code = ce.Error(), ce.Code
	}
	fmt.Fprintln(w, "ddns: "+red.Redact(msg))
	return code
}

// WriteTemplate writes the plan's template for --new-config, or as a
// first-run aid when nothing is configured (Generated), and says so; it
// never overwrites a file. It returns the exit code: 0 for a template
// asked for and written, 1 otherwise (a first run has not synced).
func (p *Plan) WriteTemplate(stdout, stderr io.Writer) int {
	err := writeExclusive(p.NewConfig, p.Template)
	switch {
	case p.Generated && err != nil:
		fmt.Fprintf(stderr, "ddns: nothing is configured and no template could be written: %v\n", err)
	case p.Generated:
		fmt.Fprintf(stderr, "ddns: no configuration found; wrote a template to %s\n"+
			"ddns: edit \"dns\", \"id\", \"token\" and \"ipv4\"/\"ipv6\" in it, then run ddns again (`ddns -h` for help).\n", p.NewConfig)
	case errors.Is(err, os.ErrExist):
		ext := filepath.Ext(p.NewConfig)
		other := strings.TrimSuffix(filepath.Base(p.NewConfig), ext) + ".new" + ext
		fmt.Fprintf(stderr, "ddns: %s already exists! Use --new-config=%s (or another new name) to write a fresh template.\n", p.NewConfig, other)
	case err != nil:
		fmt.Fprintf(stderr, "ddns: cannot write %s: %v\n", p.NewConfig, err)
	default:
		fmt.Fprintf(stdout, "%s is generated.\n", p.NewConfig)
		return 0
	}
	return 1
}

// writeExclusive creates path with mode 0600 (it may hold a token), with
// its parent directories, and fails if it exists.
func writeExclusive(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

package resolve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// command runs a program (cmd:, split into arguments like a POSIX shell
// would, no shell involved) or a shell command line (shell:) and takes the
// first address of the family from its standard output.
type command struct {
	fam     Family
	raw     string   // as written, for logs
	argv    []string // program and arguments
	shell   bool
	timeout time.Duration
}

func newCommand(fam Family, raw string, shell bool, o Options) (Rule, error) {
	body := strings.TrimSpace(raw[strings.IndexByte(raw, ':')+1:])
	if body == "" {
		return nil, fmt.Errorf("rule %q: empty command", raw)
	}
	c := &command{fam: fam, raw: raw, shell: shell, timeout: o.timeout()}
	if shell {
		if runtime.GOOS == "windows" {
			c.argv = []string{"cmd.exe", "/C", body}
		} else {
			c.argv = []string{"/bin/sh", "-c", body}
		}
		return c, nil
	}
	argv, err := SplitWords(body)
	if err != nil {
		return nil, fmt.Errorf("rule %q: %v", raw, err)
	}
	c.argv = argv
	return c, nil
}

func (c *command) String() string { return c.raw }

func (c *command) deps() Deps { return pollDeps }

func (c *command) Resolve(ctx context.Context) (netip.Addr, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.argv[0], c.argv[1:]...)
	var out, stderr bytes.Buffer
	cmd.Stdout = &limitedBuffer{buf: &out, max: 64 << 10}
	cmd.Stderr = &limitedBuffer{buf: &stderr, max: 4 << 10}
	// A child that keeps a pipe open after being killed must not hold us.
	cmd.WaitDelay = c.timeout
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return netip.Addr{}, fmt.Errorf("timed out after %v", c.timeout)
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			msg := strings.TrimSpace(stderr.String())
			if msg != "" {
				return netip.Addr{}, fmt.Errorf("exit status %d: %s", ee.ExitCode(), firstLineOf(msg))
			}
			return netip.Addr{}, fmt.Errorf("exit status %d", ee.ExitCode())
		}
		return netip.Addr{}, err
	}
	if a, ok := FirstAddr(c.fam, out.String()); ok {
		return a, nil
	}
	return netip.Addr{}, fmt.Errorf("%w of the family in output %q", ErrNoAddress, clip(out.String(), 80))
}

// limitedBuffer keeps at most max bytes and silently drops the rest, so a
// chatty command cannot exhaust memory.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		if len(p) > room {
			l.buf.Write(p[:room])
		} else {
			l.buf.Write(p)
		}
	}
	return len(p), nil
}

func firstLineOf(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// SplitWords splits a command line into words the way a POSIX shell would
// for a simple command: blanks separate words; single quotes keep
// everything literally; double quotes keep blanks and honour \" \\ \$ \`;
// a backslash outside quotes escapes the next character. No expansion of
// any kind happens.
func SplitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\':
			inWord = true
			if i+1 < len(s) {
				i++
				if s[i] != '\n' {
					cur.WriteByte(s[i])
				}
			}
		case c == '\'':
			inWord = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			inWord = true
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`\n", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New("unterminated double quote")
			}
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	if len(words) == 0 {
		return nil, errors.New("empty command")
	}
	return words, nil
}

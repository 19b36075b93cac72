package service

import (
	"fmt"
	"strings"
)

// Each target format has its own escaping. The original joined arguments
// with spaces and quoted only those holding a space (bug B20): a `%` in a
// path became a systemd specifier or a cron newline, and `&` broke plists.

// shellQuote quotes s for a POSIX shell: as is when every byte is plainly
// safe, else in single quotes (a single quote becomes '\”).
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, shellSafe) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellSafe are the bytes that need no quoting in a shell word.
const shellSafe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-"

// displayCommand shows argv the way a user would type it.
func displayCommand(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = shellQuote(a)
	}
	return strings.Join(q, " ")
}

// cronWord quotes s for a crontab command field. cron turns an unescaped
// `%` into a newline; Vixie cron and cronie turn `\%` into `%`, while
// BusyBox crond leaves the line to the shell. Writing each `%` as `\%`
// outside any quotes gives `%` under both: the shell drops a backslash
// before an ordinary character.
func cronWord(s string) string {
	if s == "" {
		return "''"
	}
	parts := strings.Split(s, "%")
	for i, p := range parts {
		if p != "" {
			parts[i] = shellQuote(p)
		}
	}
	return strings.Join(parts, `\%`)
}

// systemdWord quotes one argument of a systemd Exec*= line: `%` starts a
// specifier and so is doubled, and so is `$`, which starts a variable in
// the arguments (not in the executable's path, arg0); words holding
// blanks, quotes or backslashes are put in double quotes with C escapes.
func systemdWord(s string, arg0 bool) string {
	if arg0 {
		s = strings.ReplaceAll(s, "%", "%%")
	} else {
		s = strings.NewReplacer("%", "%%", "$", "$$").Replace(s)
	}
	if s == ";" { // a lone ";" separates commands
		return `\;`
	}
	if s != "" && !strings.ContainsAny(s, " \t\n\r\"'\\") && isPrint(s) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func isPrint(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// windowsWord quotes s so CommandLineToArgvW, which splits the command
// line of every Go program on Windows, gives back s: always in double
// quotes (an unquoted path with a space is the classic "unquoted service
// path" hole), backslashes doubled only before a quote.
func windowsWord(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for _, r := range s {
		switch r {
		case '\\':
			slashes++
			continue
		case '"':
			b.WriteString(strings.Repeat(`\`, 2*slashes+1))
		default:
			b.WriteString(strings.Repeat(`\`, slashes))
		}
		b.WriteRune(r)
		slashes = 0
	}
	b.WriteString(strings.Repeat(`\`, 2*slashes))
	b.WriteByte('"')
	return b.String()
}

// xmlText escapes s for XML character data and attribute values. Bytes
// XML 1.0 cannot carry at all become U+FFFD, as encoding/xml does.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&apos;")
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0xFFFE, r == 0xFFFF:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

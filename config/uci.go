package config

import (
	"fmt"
	"strings"
)

// UCI is OpenWrt's configuration format. `ddns --uci FILE` reads it
// natively, so the init script needs no `uci` command and no generated JSON:
//
//	config global
//		option log_level 'INFO'
//	config ddns 'home'
//		option dns 'cloudflare'
//		option token 'secret'
//		list ipv4 'home.example.com'
//		option index4 'iface:pppoe-wan'
//
// Each `config ddns` section is one configuration; its options are named
// like the JSON keys (nested JSON keys with '_': log_level, extra_proxied).
// `config global` holds settings shared by every section, as the root of a
// v4.1 file does. A section with `option enabled '0'` is skipped.

// UCISection is one `config TYPE ['NAME']` block of a UCI file.
type UCISection struct {
	Type    string
	Name    string // "" for an anonymous section
	Line    int
	Options []UCIOption
}

// UCIOption is one `option` or `list` line. A list's lines are gathered in
// one UCIOption with List set.
type UCIOption struct {
	Name   string
	Values []string // one value for an option
	List   bool
	Line   int
}

// Ref names a section the way `uci show` does: its name, or @type[i] for
// an anonymous one (i counts sections of that type).
func (s UCISection) Ref(index int) string {
	if s.Name != "" {
		return s.Name
	}
	return fmt.Sprintf("@%s[%d]", s.Type, index)
}

// Get returns an option's value (a list's values joined with a space, as
// `uci get` prints them).
func (s UCISection) Get(name string) (string, bool) {
	for _, o := range s.Options {
		if o.Name == name {
			return strings.Join(o.Values, " "), true
		}
	}
	return "", false
}

// ParseUCI reads the text of a UCI file with libuci's rules: `package`,
// `config`, `option` and `list` lines; words unquoted, in 'single quotes'
// (literal) or "double quotes" (backslash escapes), adjacent parts joined;
// '#' starts a comment outside quotes. Errors name path and line.
func ParseUCI(path string, data []byte) ([]UCISection, error) {
	var out []UCISection
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		lineNo := i + 1
		line := lines[i]
		// A backslash at the end of a line continues it.
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = line[:len(line)-1] + lines[i]
		}
		words, err := uciWords(line)
		if err != nil {
			return nil, &Error{Where: fmt.Sprintf("%s:%d", path, lineNo), Msg: err.Error(), Code: 2}
		}
		if len(words) == 0 {
			continue
		}
		fail := func(format string, a ...any) error {
			return &Error{Where: fmt.Sprintf("%s:%d", path, lineNo), Msg: fmt.Sprintf(format, a...), Code: 2}
		}
		switch words[0] {
		case "package":
			if len(words) != 2 {
				return nil, fail("package takes one name")
			}
		case "config":
			if len(words) < 2 || len(words) > 3 {
				return nil, fail("expected: config TYPE ['NAME']")
			}
			s := UCISection{Type: words[1], Line: lineNo}
			if len(words) == 3 {
				s.Name = words[2]
			}
			if !uciType(s.Type) || (len(words) == 3 && !uciName(s.Name)) {
				return nil, fail("section name may hold only letters, digits and '_', its type no space or control character: %s", quote(strings.Join(words[1:], " ")))
			}
			out = append(out, s)
		case "option", "list":
			if len(out) == 0 {
				return nil, fail("%s before any config line", words[0])
			}
			if len(words) != 3 {
				return nil, fail("expected: %s NAME 'VALUE'", words[0])
			}
			if !uciName(words[1]) {
				return nil, fail("option name may hold only letters, digits and '_': %s", quote(words[1]))
			}
			s := &out[len(out)-1]
			if err := s.set(words[0] == "list", words[1], words[2], lineNo); err != nil {
				return nil, fail("config %s: %v", s.Type, err)
			}
		default:
			return nil, fail("unknown keyword %s (expected package, config, option or list)", quote(words[0]))
		}
	}
	return out, nil
}

// set records an option line: a repeated option replaces the earlier
// value, as in libuci; a list accumulates.
func (s *UCISection) set(list bool, name, value string, line int) error {
	for i := range s.Options {
		o := &s.Options[i]
		if o.Name != name {
			continue
		}
		if o.List != list {
			return fmt.Errorf("%s is given both as option and as list", name)
		}
		if list {
			o.Values = append(o.Values, value)
		} else {
			o.Values, o.Line = []string{value}, line
		}
		return nil
	}
	s.Options = append(s.Options, UCIOption{Name: name, Values: []string{value}, List: list, Line: line})
	return nil
}

// uciName and uciType are libuci's rules (uci_validate_str): names of
// sections and options are letters, digits and '_'; a type may hold any
// printable ASCII but space.
func uciName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func uciType(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < 33 || r > 126 {
			return false
		}
	}
	return true
}

// uciWords splits one line into words.
func uciWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '#' && !inWord:
			i = len(line)
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated ' quote")
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' && j+1 < len(line) {
					j++
				}
				cur.WriteByte(line[j])
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unterminated \" quote")
			}
			i = j
			inWord = true
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// uciFile turns a UCI file into the configurations the loader builds, in
// the same raw form the JSON reader produces, so every value is checked by
// the same code. Settings name "config ddns 'NAME' option KEY" in errors.
func uciFile(path string, data []byte) ([]fileConfig, error) {
	sections, err := ParseUCI(path, data)
	if err != nil {
		return nil, err
	}
	global := fileConfig{source: path, label: path, vals: map[string]raw{}, root: &Object{}}
	var out []fileConfig
	var warnings []string
	counts := map[string]int{}
	for _, s := range sections {
		ref := s.Ref(counts[s.Type])
		counts[s.Type]++
		where := fmt.Sprintf("config %s '%s'", s.Type, ref)
		switch s.Type {
		case "global":
			fc := uciSection(path, where, s, true)
			if fc.err != nil {
				return nil, fc.err
			}
			for k, v := range fc.vals {
				global.vals[k] = v
			}
			global.extra = append(global.extra, fc.extra...)
			warnings = append(warnings, fc.warnings...)
			// The global section is the file's root: interval, debounce
			// and logging are read from it.
			for _, o := range s.Options {
				global.root.Set(o.Name, uciRootValue(o))
			}
		case "ddns":
			if v, ok := s.Get("enabled"); ok {
				b, _, isBool := asBoolish(v)
				if !isBool {
					return nil, raw{v: v, where: path, key: where + " option enabled"}.fail("must be 0 or 1")
				}
				if !b {
					continue
				}
			}
			fc := uciSection(path, where, s, false)
			if fc.err != nil {
				return nil, fc.err
			}
			fc.label = path + " " + ref
			warnings = append(warnings, fc.warnings...)
			out = append(out, fc)
		default:
			warnings = append(warnings, fmt.Sprintf("%s: section %s ignored (this file holds `config global` and `config ddns` sections)", path, where))
		}
	}
	if len(out) == 0 {
		return nil, &Error{Where: path, Msg: "no enabled `config ddns` section: add one (see docs/openwrt.md) or set its option enabled '1'", Code: 2}
	}
	for i := range out {
		vals := map[string]raw{}
		for k, v := range global.vals {
			vals[k] = v
		}
		for k, v := range out[i].vals {
			vals[k] = v
		}
		out[i].vals = vals
		out[i].extra = append(append([]cliExtra{}, global.extra...), out[i].extra...)
		out[i].root = global.root
		if i == 0 {
			out[i].warnings = warnings // once per file
		} else {
			out[i].warnings = nil
		}
	}
	return out, nil
}

// uciSection reads one section's options like flatten reads a JSON
// object: known keys become settings, extra_KEY an extra, the global
// section's root-only keys are kept out, anything else is reported.
func uciSection(path, where string, s UCISection, isGlobal bool) fileConfig {
	fc := fileConfig{source: path, vals: map[string]raw{}}
	for _, o := range s.Options {
		key, v := where+" option "+o.Name, o.value()
		switch {
		case o.Name == "enabled" && !isGlobal:
		case strings.HasPrefix(o.Name, "extra_") && len(o.Name) > 6:
			fc.extra = append(fc.extra, cliExtra{key: o.Name[6:], val: v, where: path})
		case isKnownKey(o.Name):
			fc.vals[o.Name] = raw{v: v, where: path, key: key}
		case metaKeys[o.Name] && isGlobal:
		case o.Name == "interval" || o.Name == "debounce":
			fc.err = raw{v: v, where: path, key: key}.fail("belongs in the `config global` section (it is shared by every configuration)")
			return fc
		default:
			fc.warnings = append(fc.warnings, fmt.Sprintf("%s: %s: unknown option %q ignored (provider parameters are named extra_KEY)", path, where, o.Name))
		}
	}
	return fc
}

// uciRootValue converts a global option for the readers of the file's
// root (interval and debounce expect JSON numbers).
func uciRootValue(o UCIOption) any {
	v := o.value()
	if s, ok := v.(string); ok && (o.Name == "interval" || o.Name == "debounce") {
		if _, isInt := asInt(s); isInt {
			return Number(strings.TrimSpace(s))
		}
	}
	return v
}

// value is the option as the JSON reader would have it: a string, or a
// list of strings.
func (o UCIOption) value() any {
	if !o.List {
		return o.Values[0]
	}
	l := make([]any, len(o.Values))
	for i, x := range o.Values {
		l[i] = x
	}
	return l
}

package config

import "strings"

// rulePrefixes start an IP rule that swallows the rest of a separated
// string, so "public,shell:echo 1,2" keeps the shell command whole.
var rulePrefixes = []string{"url:", "regex:", "cmd:", "shell:"}

// splitList splits one string into list items the way the original does:
// by ',' if the (protected) scope contains one, else by ';'; items trimmed,
// empty items dropped. With protect, an item starting with a rule prefix
// takes everything after it, separators included.
func splitList(s string, protect bool) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return []string{}
	}
	scope, tail := s, ""
	if protect {
		if i := protectedStart(s); i >= 0 {
			scope, tail = s[:i], s[i:]
		}
	}
	sep := ""
	if strings.Contains(scope, ",") {
		sep = ","
	} else if strings.Contains(scope, ";") {
		sep = ";"
	}
	var parts []string
	if sep == "" {
		parts = []string{scope}
	} else {
		parts = strings.Split(scope, sep)
	}
	out := []string{}
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	if tail != "" {
		out = append(out, strings.TrimSpace(tail))
	}
	return out
}

// protectedStart returns the index of the first item (at the string start
// or after a separator and optional blanks) that begins with a rule prefix,
// or -1.
func protectedStart(s string) int {
	for i := 0; i < len(s); i++ {
		if i > 0 {
			if c := s[i-1]; c != ',' && c != ';' && c != ' ' && c != '\t' {
				continue
			}
			// Blanks count only when they follow a separator.
			j := i - 1
			for j >= 0 && (s[j] == ' ' || s[j] == '\t') {
				j--
			}
			if j >= 0 && s[j] != ',' && s[j] != ';' {
				continue
			}
		}
		for _, p := range rulePrefixes {
			if strings.HasPrefix(s[i:], p) {
				return i
			}
		}
	}
	return -1
}

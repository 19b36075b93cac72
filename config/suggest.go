package config

import (
	"slices"
	"strings"
)

// closest returns the candidate nearest to word by edit distance
// (insertions, deletions, substitutions and swaps of neighbours), if it is
// near enough to be a typo: one edit for short words, two for longer ones.
// "" means nothing is close.
func closest(word string, candidates []string) string {
	limit := 1
	if len(word) > 4 {
		limit = 2
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		if c == word {
			continue
		}
		if d := editDistance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b
// (bytes; keys and flags are ASCII).
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64 // no typo of a known key is that long
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// fileKeys are the keys a configuration file may hold, for suggestions.
func fileKeys() []string {
	out := append([]string{}, settingKeys...)
	for k := range metaKeys {
		out = append(out, k)
	}
	out = append(out, "log", "providers", "provider")
	slices.Sort(out) // ties resolve the same way every run
	return out
}

// suggestKey returns ` (did you mean "ttl"?)` for a misspelt file key.
func suggestKey(k string) string {
	if c := closest(strings.ToLower(k), fileKeys()); c != "" {
		return ` (did you mean "` + c + `"?)`
	}
	return ""
}

// suggestFlag returns " (did you mean --ttl?)" for a misspelt flag.
func suggestFlag(name string) string {
	var names []string
	for _, o := range options {
		for _, n := range o.names {
			if strings.HasPrefix(n, "--") {
				names = append(names, n)
			}
		}
	}
	if c := closest(name, names); c != "" {
		return " (did you mean " + c + "?)"
	}
	return ""
}

// Package config turns what the user asked for — command line, JSON files
// and DDNS_* environment variables, with the original client's precedence
// CLI > file > environment — into validated Configs. It is the only package
// that reads the environment and configuration files.
package config

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/resolve"
)

// Config is one effective configuration: one file, or one entry of a v4.1
// `providers` list. Every field is validated.
type Config struct {
	Source string // the file it came from ("" = command line and environment only)
	Label  string // Source plus the entry, e.g. "m.json providers[2]", for messages

	DNS      string // canonical provider name; "" = none configured
	ID       string
	Token    string // for callback, possibly a JSON object rendered as text
	Endpoint string
	IPv4     []string // domains for A records, lower-cased
	IPv6     []string // domains for AAAA records, lower-cased
	Index4   resolve.Rules
	Index6   resolve.Rules
	TTL      int    // 0 = provider default
	Line     string // "" = provider default
	Proxy    []string
	Extra    publish.Extra

	Cache       bool   // use the state file
	CachePath   string // explicit state file; "" = the default location
	CacheMaxAge time.Duration
	SSL         string // "auto", "true", "false" or the path of a CA bundle

	Concurrency int // records of this configuration published at once
}

// Log is the logging set-up of a whole run: command line, then the root
// of the first configuration file, then the environment.
type Log struct {
	Level   string // DEBUG, INFO, WARNING, ERROR, CRITICAL or NOTSET
	File    string
	Format  string // "" = chosen by level
	Datefmt string
}

// DefaultDatefmt is the original's timestamp format.
const DefaultDatefmt = "%Y-%m-%dT%H:%M:%S"

// DefaultConcurrency is how many records one configuration publishes at
// once: enough to make a batch of changes several times faster, few enough
// to stay polite to any API (requests are rate-limited per provider too).
const DefaultConcurrency = 4

// DefaultCacheMaxAge is the original's state-file lifetime: 72 hours.
const DefaultCacheMaxAge = 259200 * time.Second

// stateDir is where state files live when the configuration names none:
// $STATE_DIRECTORY of environ (systemd's StateDirectory=; a Windows service
// adds its own), else the user's cache directory, else the temporary
// directory.
func stateDir(environ []string) string {
	var d string
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, "STATE_DIRECTORY="); ok {
			d = v
		}
	}
	if d, _, _ = strings.Cut(d, string(filepath.ListSeparator)); d != "" {
		return d // systemd may list several, separated like PATH
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "ddns")
	}
	return os.TempDir()
}

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/publish"
)

// states opens state files by path, once: configurations that name the
// same file share one in-memory State and so one writer, and a save never
// drops another configuration's entries. A long-running agent keeps one
// across reloads, so the in-memory state of --no-cache survives them too.
type states struct {
	dir    string // of the files no configuration names (config.Plan.StateDir)
	mu     sync.Mutex
	byPath map[string]*publish.State
	memory map[string]*publish.State // by account digest, for --no-cache in watch mode
}

func newStates(dir string) *states {
	return &states{dir: dir, byPath: map[string]*publish.State{}, memory: map[string]*publish.State{}}
}

// file returns the state file of c, opening it on first use.
func (s *states) file(c *config.Config, root zerolog.Logger) *publish.State {
	path := c.CachePath
	if path == "" {
		path = publish.DefaultStatePath(s.dir, c.DNS, c.ID, c.Token, c.Endpoint)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.byPath[path]; ok {
		return st
	}
	log := root.With().Str("logger", "Cache").Logger()
	log.Debug().Msgf("load cache data from %s", path)
	st, notes := publish.OpenState(path, c.CacheMaxAge, time.Now())
	for _, n := range notes {
		if strings.Contains(n, "corrupt") {
			log.Warn().Msg(n)
		} else {
			log.Info().Msg(n)
		}
	}
	s.byPath[path] = st
	return st
}

// memoryState returns the in-memory state of c's account (what the file
// would be keyed by), so a reload does not forget what was published.
func (s *states) memoryState(c *config.Config) *publish.State {
	k := publish.DefaultStatePath("", c.DNS, c.ID, c.Token, c.Endpoint)
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.memory[k]
	if !ok {
		st = publish.MemoryState()
		s.memory[k] = st
	}
	return st
}

// fingerprint is a digest of everything that shapes c's publishes: a
// reload that leaves it unchanged keeps the running publisher, its HTTP
// client and a permanent failure verdict. It is a digest so that no
// credential is kept in clear beside the configuration.
func fingerprint(c *config.Config) string {
	h := sha256.New()
	for _, v := range []any{c.DNS, c.ID, c.Token, c.Endpoint, c.Proxy, c.SSL, c.TTL, c.Line, c.Extra, c.Concurrency} {
		s := fmt.Sprintf("%v", v)
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

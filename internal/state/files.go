package state

import (
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Files opens state files by path, once: configurations that name the
// same file share one in-memory State and so one writer, and a save never
// drops another configuration's entries. A long-running agent keeps one
// across reloads, so the in-memory states of --no-cache survive them too.
// It is safe for concurrent use.
type Files struct {
	dir    string
	mu     sync.Mutex
	byPath map[string]*State
	memory map[string]*State // by account digest, for --no-cache in watch mode
}

// NewFiles returns a registry whose default files live in dir.
func NewFiles(dir string) *Files {
	return &Files{dir: dir, byPath: map[string]*State{}, memory: map[string]*State{}}
}

// Open returns the state file at path ("" = the default file of the
// account named by identity, see DefaultPath), opening it on first use and
// logging what opening it found.
func (f *Files) Open(path string, maxAge time.Duration, log zerolog.Logger, identity ...string) *State {
	if path == "" {
		path = DefaultPath(f.dir, identity...)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if st, ok := f.byPath[path]; ok {
		return st
	}
	log.Debug().Msgf("load cache data from %s", path)
	st, notes := Open(path, maxAge, time.Now())
	for _, n := range notes {
		if strings.Contains(n, "corrupt") {
			log.Warn().Msg(n)
		} else {
			log.Info().Msg(n)
		}
	}
	f.byPath[path] = st
	return st
}

// Memory returns the in-memory state of the account named by identity
// (what its default file would be keyed by), so a reload does not forget
// what was published.
func (f *Files) Memory(identity ...string) *State {
	k := DefaultPath("", identity...)
	f.mu.Lock()
	defer f.mu.Unlock()
	st, ok := f.memory[k]
	if !ok {
		st = Memory()
		f.memory[k] = st
	}
	return st
}

// Package state keeps the state ("cache") file: the last address
// published per record, with the provider's ids, so that a rerun costs no
// API call. cmd opens it and the reactor (watch) reads and updates it.
package state

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// futureSlack tolerates modification times slightly ahead of the clock
// (file systems with coarse or rounded timestamps).
const futureSlack = 2 * time.Second

// Entry is what the state file remembers about one published record.
type Entry struct {
	Addr     string    `json:"addr"`
	Provider string    `json:"provider,omitempty"`
	ZoneID   string    `json:"zone,omitempty"`
	ZoneName string    `json:"zone_name,omitempty"`
	RecordID string    `json:"record,omitempty"`
	Updated  time.Time `json:"updated,omitempty"`
}

// State is the state ("cache") file: the last address published per
// domain and record type, with the provider's ids. It is safe for
// concurrent use.
type State struct {
	mu      sync.Mutex
	path    string
	entries map[string]Entry
	dirty   bool
}

// Memory returns a state that is never written: what a long-running
// reactor remembers when the state file is disabled, so that it does not
// republish unchanged records on every event.
func Memory() *State { return &State{entries: map[string]Entry{}} }

// Key is the key of a record in the state file: "<domain>:<type>",
// the original client's spelling.
func Key(domain, typ string) string { return domain + ":" + typ }

// Open reads the state file at path. A missing file is an empty
// state; a file older than maxAge (by modification time, or dated in the
// future) is emptied so every record is published again, as the original
// did. A corrupt file is moved aside and reported in notes; it is never
// fatal. notes are one-line messages for the log.
func Open(path string, maxAge time.Duration, now time.Time) (s *State, notes []string) {
	s = &State{path: path, entries: map[string]Entry{}}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, []string{"state file " + path + " does not exist yet"}
	}
	if err != nil {
		return s, []string{"cannot read state file: " + err.Error()}
	}
	// A file dated in the future means the clock was wrong when it was
	// written; distrust it, but allow for coarse file system timestamps.
	if age := now.Sub(fi.ModTime()); maxAge <= 0 || age < -futureSlack || age >= maxAge {
		s.dirty = true
		return s, []string{"state file " + path + " is outdated: every record is published again"}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return s, []string{"cannot read state file: " + err.Error()}
	}
	if err := s.decode(data); err != nil {
		aside := path + ".corrupt"
		if rerr := os.Rename(path, aside); rerr != nil {
			return s, []string{fmt.Sprintf("state file %s is corrupt (%v) and cannot be moved aside: %v", path, err, rerr)}
		}
		return s, []string{fmt.Sprintf("state file %s is corrupt (%v): moved to %s, starting empty", path, err, aside)}
	}
	return s, nil
}

// decode accepts this program's entries and the original client's plain
// "<domain>:<type>": "<address>" pairs, so switching clients keeps state.
func (s *State) decode(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	for k, v := range m {
		if strings.HasPrefix(k, "__") {
			continue
		}
		var addr string
		if json.Unmarshal(v, &addr) == nil {
			s.entries[k] = Entry{Addr: addr}
			continue
		}
		var e Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("entry %q: %v", k, err)
		}
		s.entries[k] = e
	}
	return nil
}

// Path is the file's location.
func (s *State) Path() string { return s.path }

// Len returns the number of entries.
func (s *State) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// Get returns the entry for key.
func (s *State) Get(key string) (Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	return e, ok
}

// Put records an entry; call it only after the provider confirmed.
func (s *State) Put(key string, e Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.entries[key]; ok && old == e {
		return
	}
	s.entries[key] = e
	s.dirty = true
}

// Delete forgets key (for example after the provider lost the record).
func (s *State) Delete(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.entries[key]; ok {
		delete(s.entries, key)
		s.dirty = true
	}
}

// Save writes the file if anything changed: to a temporary file in the
// same directory, synced, renamed over the old one, mode 0600. Missing
// parent directories are created. Unchanged state costs no write, which
// matters on a router's flash.
func (s *State) Save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.dirty || s.path == "" {
		return nil
	}
	keys := make([]string, 0, len(s.entries))
	for k := range s.entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ordered := make(map[string]Entry, len(keys))
	for _, k := range keys {
		ordered[k] = s.entries[k]
	}
	data, err := json.MarshalIndent(ordered, "", " ")
	if err != nil {
		return err
	}
	if err := writeAtomic(s.path, data); err != nil {
		return fmt.Errorf("cannot write state file: %w", err)
	}
	s.dirty = false
	return nil
}

func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".ddns-state-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op after a successful rename
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// DefaultPath returns the state file used when the configuration does
// not name one: in dir, named by a digest of what identifies the
// configuration, so a different account or provider never reuses another's
// state.
func DefaultPath(dir string, identity ...string) string {
	h := sha256.New()
	for _, s := range identity {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return filepath.Join(dir, "ddns."+hex.EncodeToString(h.Sum(nil))[:32]+".cache")
}

package state_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/internal/state"
)

func TestState(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "s.cache")
	now := time.Now()
	s, _ := state.Open(path, time.Hour, now)
	if s.Len() != 0 {
		t.Fatal("new state not empty")
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("unchanged state was written")
	}
	e := state.Entry{Addr: "192.0.2.1", Provider: "debug", ZoneID: "z", RecordID: "r"}
	s.Put(state.Key("a.example.com", "A"), e)
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file %v %v", fi, err)
	}
	s2, notes := state.Open(path, time.Hour, now)
	if got, ok := s2.Get("a.example.com:A"); !ok || got != e || len(notes) != 0 {
		t.Errorf("reloaded %+v %v %v", got, ok, notes)
	}
	// Expired: every record is published again.
	if s3, _ := state.Open(path, 0, now); s3.Len() != 0 {
		t.Error("expired state kept entries")
	}
	// The original's format is read.
	os.WriteFile(path, []byte(`{"a.example.com:A":"1.2.3.4","__x":"y"}`), 0o600)
	s4, _ := state.Open(path, time.Hour, time.Now())
	if got, _ := s4.Get("a.example.com:A"); got.Addr != "1.2.3.4" || s4.Len() != 1 {
		t.Errorf("original format: %+v", got)
	}
	// Corrupt: moved aside, never fatal.
	os.WriteFile(path, []byte(`{not json`), 0o600)
	s5, notes := state.Open(path, time.Hour, time.Now())
	if s5.Len() != 0 || len(notes) != 1 || !strings.Contains(notes[0], "corrupt") {
		t.Errorf("corrupt: %v", notes)
	}
	if _, err := os.Stat(path + ".corrupt"); err != nil {
		t.Error("corrupt file not moved aside")
	}
}

func TestDefaultPathDependsOnIdentity(t *testing.T) {
	a := state.DefaultPath("/d", "cloudflare", "id", "tok")
	b := state.DefaultPath("/d", "cloudflare", "id", "tok2")
	if a == b || filepath.Dir(a) != "/d" {
		t.Errorf("%s %s", a, b)
	}
}

// TestFilesShareByPath: configurations naming the same file get one State
// (one writer); the default file and the in-memory state depend on the
// account.
func TestFilesShareByPath(t *testing.T) {
	dir := t.TempDir()
	f := state.NewFiles(dir)
	log := zerolog.Nop()
	explicit := filepath.Join(dir, "x.cache")
	if a, b := f.Open(explicit, time.Hour, log, "debug", "a"), f.Open(explicit, time.Hour, log, "debug", "b"); a != b || a.Path() != explicit {
		t.Errorf("same path, two states: %p %p", a, b)
	}
	a, b := f.Open("", time.Hour, log, "debug", "a"), f.Open("", time.Hour, log, "debug", "b")
	if a == b || filepath.Dir(a.Path()) != dir || a != f.Open("", time.Hour, log, "debug", "a") {
		t.Errorf("default files %q %q", a.Path(), b.Path())
	}
	m := f.Memory("debug", "a")
	if m == f.Memory("debug", "b") || m != f.Memory("debug", "a") || m.Path() != "" {
		t.Error("memory states are not per account")
	}
}

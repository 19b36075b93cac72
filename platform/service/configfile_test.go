//go:build unix

package service_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/platform/service"
)

func TestCheckConfigFile(t *testing.T) {
	m := newMachine(t, "linux")
	const path = "/etc/ddns/config.json"
	write := func(mode os.FileMode) {
		m.touch(t, path, "{}")
		if err := os.Chmod(filepath.Join(m.root, path), mode); err != nil {
			t.Fatal(err)
		}
	}
	me, myGroup := os.Getuid(), os.Getgid()
	for _, tc := range []struct {
		name     string
		mode     os.FileMode // 0 = no file
		secrets  bool
		uid, gid int
		fix      string // "" = accepted
	}{
		{"missing", 0, false, me, myGroup, "ddns --new-config /etc/ddns/config.json"},
		{"secrets readable by others", 0o644, true, me, myGroup, "chmod 600 /etc/ddns/config.json"},
		{"secrets readable by the group", 0o640, true, me, myGroup, "chmod 600 /etc/ddns/config.json"},
		{"no secrets, readable by all", 0o644, false, me + 1, myGroup + 1, ""},
		{"secrets, private, owned by the service user", 0o600, true, me, myGroup, ""},
		{"private, owned by someone else", 0o600, false, me + 1, myGroup + 1, "chown"},
		{"secrets, owned by someone else", 0o600, true, me + 1, myGroup, "chown"},
	} {
		os.RemoveAll(filepath.Join(m.root, "etc"))
		if tc.mode != 0 {
			write(tc.mode)
		}
		err := m.host.CheckConfigFile(path, tc.secrets, tc.uid, tc.gid)
		var ce *service.ConfigFileError
		switch {
		case tc.fix == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.fix != "" && (!errors.As(err, &ce) || !strings.HasPrefix(ce.Fix, tc.fix)):
			t.Errorf("%s: %v, want a fix starting %q", tc.name, err, tc.fix)
		case err != nil && !strings.Contains(err.Error(), path):
			t.Errorf("%s: the message does not name the file: %v", tc.name, err)
		}
	}
	os.Remove(filepath.Join(m.root, path))
	os.MkdirAll(filepath.Join(m.root, path), 0o755)
	if err := m.host.CheckConfigFile(path, false, me, myGroup); err == nil {
		t.Error("a directory was accepted")
	}
}

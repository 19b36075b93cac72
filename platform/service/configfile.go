package service

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ConfigFileError is a configuration file the service could not use, or
// that would leave its secrets readable by others. Fix is the command
// that repairs it.
type ConfigFileError struct {
	Path, Problem, Fix string
}

func (e *ConfigFileError) Error() string {
	msg := e.Path + " " + e.Problem
	if e.Fix != "" {
		msg += "; fix it with: " + e.Fix
	}
	return msg
}

// CheckConfigFile checks that a service running as uid:gid can read the
// configuration file at path (a path of the target system, as the
// service will be given it) through its permission bits (the systemd
// unit drops every capability, so even root reads only what the bits
// allow), and, when the file holds secrets, that nobody else can: mode
// 0600 and owned by the service's user. Where the system has no such
// bits (Windows) only existence is checked.
func (h Host) CheckConfigFile(path string, secrets bool, uid, gid int) error {
	fi, err := os.Stat(h.path(path))
	if errors.Is(err, fs.ErrNotExist) {
		return &ConfigFileError{path, "does not exist", "ddns --new-config " + shellQuote(path) + " (then edit it)"}
	}
	if err != nil {
		return &ConfigFileError{Path: path, Problem: "cannot be read: " + err.Error()}
	}
	if fi.IsDir() {
		return &ConfigFileError{Path: path, Problem: "is a directory"}
	}
	owner, group, ok := fileOwner(fi)
	if !ok {
		return nil
	}
	perm := fi.Mode().Perm()
	if secrets && perm&0o077 != 0 {
		return &ConfigFileError{path, fmt.Sprintf("holds secrets but is readable by others (mode %04o)", perm), "chmod 600 " + shellQuote(path)}
	}
	readable := owner == uid && perm&0o400 != 0 || group == gid && perm&0o040 != 0 || perm&0o004 != 0
	if !readable {
		return &ConfigFileError{path, fmt.Sprintf("is not readable by the service's user (uid %d; the file is owned by uid %d, mode %04o)", uid, owner, perm),
			fmt.Sprintf("chown %s %s && chmod 600 %s", userName(uid), shellQuote(path), shellQuote(path))}
	}
	return nil
}

// userName names uid for chown: root by name, anyone else by number.
func userName(uid int) string {
	if uid == 0 {
		return "root"
	}
	return fmt.Sprint(uid)
}

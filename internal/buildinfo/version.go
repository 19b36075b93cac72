// Package buildinfo names this build for `ddns -v`, the User-Agent of every
// request and the status endpoint.
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// Resolve names this build for `ddns -v` and the User-Agent: the
// -X stamp of a release build, else what the Go toolchain recorded (the
// module version of `go install …@vX`, the VCS revision and time of a
// plain `go build` in a checkout), else "dev".
func Resolve(stamp, stampDate string, bi *debug.BuildInfo) (ver, date string) {
	if stamp != "dev" || bi == nil {
		return stamp, stampDate
	}
	ver, date = stamp, stampDate
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		ver = strings.TrimPrefix(v, "v")
	}
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if modified {
			rev += "-dirty"
		}
		// A module version already names the commit (pseudo-versions
		// carry it); the revision is the name only when there is none.
		if ver == stamp {
			ver = stamp + "-" + rev
		}
	}
	if at != "" {
		date = at
	}
	return ver, date
}

// Of is Resolve with what the Go toolchain recorded in this binary.
func Of(stamp, stampDate string) (ver, date string) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return Resolve(stamp, stampDate, bi)
}

// UserAgent names the client and a contact, as provider rules ask
// (DNSPod: "Name/Version (contact)"); ver is Of's.
func UserAgent(ver string) string {
	return "ddns-go/" + ver + " (+https://github.com/ddns-go/ddns)"
}

package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name, stamp, date string
		bi                *debug.BuildInfo
		ver, at           string
	}{
		{"release stamp wins", "1.2.3", "2026-12-01", &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}}, "1.2.3", "2026-12-01"},
		{"no build info", "dev", "unknown", nil, "dev", "unknown"},
		{"go install @version", "dev", "unknown", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "1.4.0", "unknown"},
		{"plain go build in a checkout", "dev", "unknown",
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-12-07T10:00:00Z", "vcs.modified", "false")},
			"dev-0123456789ab", "2026-12-07T10:00:00Z"},
		{"modified checkout", "dev", "unknown",
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("vcs.revision", "abc", "vcs.modified", "true")},
			"dev-abc-dirty", "unknown"},
		{"pseudo-version names the commit already", "dev", "unknown",
			&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261207100000-0123456789ab"}, Settings: vcs("vcs.revision", "0123456789abcdef", "vcs.time", "2026-12-07T10:00:00Z")},
			"0.0.0-20261207100000-0123456789ab", "2026-12-07T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ver, at := Resolve(tt.stamp, tt.date, tt.bi)
			if ver != tt.ver || at != tt.at {
				t.Errorf("got %q %q, want %q %q", ver, at, tt.ver, tt.at)
			}
		})
	}
}

package resolve_test

import (
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ddns-go/ddns/resolve"
)

func TestCommands(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses POSIX sh and coreutils")
	}
	o := resolve.Options{Timeout: 2 * time.Second}
	for _, tc := range []struct {
		fam       resolve.Family
		rule      string
		want      string
		wantError string
	}{
		{resolve.V4, "cmd:echo 203.0.113.1", "203.0.113.1", ""},
		// Split like a shell, no shell involved: the quotes go, the $ stays.
		{resolve.V6, `cmd:printf "%s\n" 'x $HOME 2001:db8::2 y'`, "2001:db8::2", ""},
		{resolve.V4, `shell:printf 'a\n198.51.100.1\n198.51.100.2'`, "198.51.100.1", ""},
		{resolve.V4, `shell:echo '  203.0.113.3  '`, "203.0.113.3", ""},
		{resolve.V4, "shell:exit 3", "", "exit status 3"},
		{resolve.V4, "shell:echo oops >&2; echo second >&2; exit 4", "", "exit status 4: oops"},
		{resolve.V4, "shell:true", "", "no address of the family in output"},
		{resolve.V4, "shell:echo vm", "", `output "vm"`}, // a host name is not an address
		{resolve.V4, "cmd:/nonexistent/program", "", "no such file or directory"},
	} {
		resolves(t, strconv.Quote(tc.rule), parse(t, tc.fam, o, tc.rule), tc.want, tc.wantError)
	}
}

func TestCommandTimeout(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses POSIX sh")
	}
	rs := parse(t, resolve.V4, resolve.Options{Timeout: 100 * time.Millisecond}, "shell:sleep 10; echo 203.0.113.1")
	timesOut(t, rs, 100*time.Millisecond, 3*time.Second)
}

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"a b  c", []string{"a", "b", "c"}},
		{`a 'b c' "d e"`, []string{"a", "b c", "d e"}},
		{`a\ b "x\"y" 'q\n'`, []string{"a b", `x"y`, `q\n`}},
		{`'' x`, []string{"", "x"}},
	} {
		got, err := resolve.SplitWords(tc.in)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("SplitWords(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "  ", `'open`, `"open`} {
		if _, err := resolve.SplitWords(bad); err == nil {
			t.Errorf("SplitWords(%q): no error", bad)
		}
	}
}

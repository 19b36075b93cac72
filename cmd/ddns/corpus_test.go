package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// planted is the secret every corpus case that carries one uses; it must
// never appear in the output, in any form.
const planted = "pl4nted-s3cret-Zq9"

// corpusDir holds the malformed inputs of issue #11: one JSON file per bad
// configuration (its first line says what the error must name) and
// cmdline.jsonl for command lines and environments.
const corpusDir = "../../config/testdata/bad"

// badCase is one malformed input and what its error line must contain.
type badCase struct {
	name  string
	files map[string]string
	args  []string
	env   []string
	want  []string
}

func loadCorpus(t *testing.T) []badCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(corpusDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []badCase
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(data), "\n")
		want, ok := strings.CutPrefix(first, "// want: ")
		if !ok {
			t.Fatalf("%s: the first line must be // want: <text the error names>", p)
		}
		name := filepath.Base(p)
		cases = append(cases, badCase{name: name, files: map[string]string{name: string(data)},
			args: []string{"-c", name}, env: []string{}, want: []string{name, want}})
	}
	f, err := os.Open(filepath.Join(corpusDir, "cmdline.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var row struct {
			Comment string
			Want    string
			Args    []string
			Env     []string
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("cmdline.jsonl:%d: %v", n, err)
		}
		if row.Comment != "" {
			continue
		}
		if row.Env == nil {
			row.Env = []string{}
		}
		cases = append(cases, badCase{name: "cmdline.jsonl:" + strconv.Itoa(n), args: row.Args, env: row.Env, want: []string{row.Want}})
	}
	return append(cases, hugeCases()...)
}

// hugeCases are the 10 MB values, made here rather than stored.
func hugeCases() []badCase {
	big := strings.Repeat("a", 10<<20)
	return []badCase{
		{name: "huge domain in a file", files: map[string]string{"huge.json": `{"dns":"debug","ipv4":["` + big + `.example.com"]}`},
			args: []string{"-c", "huge.json"}, env: []string{}, want: []string{"huge.json", "ipv4"}},
		{name: "huge token list in a file", files: map[string]string{"huge.json": `{"dns":"cloudflare","token":["` + planted + big + `"]}`},
			args: []string{"-c", "huge.json"}, env: []string{}, want: []string{"huge.json", "token"}},
		{name: "huge ttl on the command line", args: []string{"--dns", "debug", "--ttl", big}, env: []string{}, want: []string{"--ttl"}},
		{name: "huge list in the environment", env: []string{"DDNS_DNS=debug", `DDNS_IPV4=["` + big + `", 1]`}, want: []string{"DDNS_IPV4"}},
	}
}

// TestBadInputCorpus runs every malformed input of the corpus through the
// program's entry point: exit 2, exactly one line on stderr of at most 300
// bytes naming the file and the key, nothing on stdout, and never the
// planted secret.
func TestBadInputCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 90 {
		t.Fatalf("the corpus has %d cases, want at least 90", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runIn(t, c.files, c.env, c.args...)
			t.Log(clipForTest(r.stderr)) // go test -v shows every error line
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d", r.code, exitUsage)
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
				t.Errorf("stderr is not exactly one line: %q", clipForTest(r.stderr))
			}
			if len(r.stderr) > 300 {
				t.Errorf("stderr is %d bytes, want <= 300: %q", len(r.stderr), clipForTest(r.stderr))
			}
			for _, w := range c.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not name %q: %q", w, clipForTest(r.stderr))
				}
			}
			if strings.Contains(r.stderr, planted) || strings.Contains(r.stdout, planted) || bytes.Contains([]byte(r.stderr), []byte("s3cret")) {
				t.Errorf("the planted secret was printed: %q", clipForTest(r.stderr))
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", clipForTest(r.stdout))
			}
		})
	}
}

func clipForTest(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

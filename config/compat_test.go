package config_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/watch"
)

// env is a test environment: files to create in a fresh working directory
// and the variables to set.
type env struct {
	files map[string]string
	vars  []string
}

func load(t *testing.T, e env, args ...string) (*config.Plan, error) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range e.files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	vars := e.vars
	if vars == nil {
		vars = []string{}
	}
	return config.Load(config.Input{Args: args, Environ: vars, Dir: dir, Home: filepath.Join(dir, "home"), Commands: []string{"watch"}})
}

func rules(c *config.Config, fam int) []string {
	rs := c.Index4
	if fam == 6 {
		rs = c.Index6
	}
	if rs.Disabled() {
		return []string{"false"}
	}
	out := []string{}
	for _, r := range rs.List {
		out = append(out, r.String())
	}
	return out
}

// TestCompatibilityEffective covers the rows of docs/compat.md whose result is
// the effective configuration ("eff:"). Each row names its ID.
func TestCompatibilityEffective(t *testing.T) {
	tests := []struct {
		id    string
		env   env
		args  []string
		check func(t *testing.T, cs []*config.Config)
	}{
		{"C07 single value is split", env{}, []string{"--dns", "debug", "--ipv4=a.com,b.com"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].IPv4, []string{"a.com", "b.com"})
		}},
		{"C09 rule prefix protects the rest", env{}, []string{"--dns", "debug", "--index4", "public,shell:echo 1,2"}, nil},
		{"C20b unique prefixes", env{}, []string{"--dns", "debug", "--tok", "abc", "--log-l", "debug"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].Token, "abc")
		}},
		{"C21 extras from the command line", env{}, []string{"--dns", "debug", "--extra.proxied", "true", "--extra.flag", "--ttl", "5"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].Extra, publish.Extra{{Key: "proxied", Value: "true"}, {Key: "flag", Value: true}})
			eq(t, cs[0].TTL, 5)
		}},
		{"C30 environment lists", env{vars: []string{`DDNS_DNS=debug`, `DDNS_IPV4=["a.com", "b.com"]`, `DDNS_IPV6=['c.com']`, `DDNS_INDEX4=shell:echo 1;url:https://x/?v=1,2`, `DDNS_PROXY=http://p:1;DIRECT`, `DDNS_INDEX6=0`}}, nil, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].IPv4, []string{"a.com", "b.com"})
			eq(t, cs[0].IPv6, []string{"c.com"})
			eq(t, rules(cs[0], 4), []string{"shell:echo 1;url:https://x/?v=1,2"})
			eq(t, cs[0].Proxy, []string{"http://p:1", "DIRECT"})
		}},
		{"C31 any case, dots, boolean-like", env{vars: []string{"ddns_dns=debug", "Ddns_Log.Level=warning", "DDNS_CACHE=no", "DDNS_SSL=none"}}, nil, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].DNS, "debug")
			eq(t, cs[0].Cache, false)
			eq(t, cs[0].SSL, "false")
		}},
		{"C33 DDNS_EXTRA_ kept, DEBUG ignored, Bug→ unknown dropped", env{vars: []string{"DDNS_DNS=debug", "DDNS_FOO=bar", "DDNS_CRON=*/5 * * * *", "DDNS_DEBUG=true", "DDNS_EXTRA_PROXIED=true"}}, nil, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].Extra, publish.Extra{{Key: "proxied", Value: "true"}})
		}},
		{"C34a PYTHONHTTPSVERIFY", env{vars: []string{"DDNS_DNS=debug", "PYTHONHTTPSVERIFY=0"}}, nil, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].SSL, "false")
		}},
		{"C34b DDNS_SSL wins over PYTHONHTTPSVERIFY", env{vars: []string{"DDNS_DNS=debug", "PYTHONHTTPSVERIFY=0", "DDNS_SSL=true"}}, nil, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].SSL, "true")
		}},
		{"C36a CLI over file over env", env{files: map[string]string{"c.json": `{"dns":"debug","ttl":300}`}, vars: []string{"DDNS_TTL=600"}}, []string{"-c", "c.json", "--ttl", "900"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].TTL, 900)
		}},
		{"C36b file over env", env{files: map[string]string{"c.json": `{"dns":"debug","ttl":300}`}, vars: []string{"DDNS_TTL=600"}}, []string{"-c", "c.json"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].TTL, 300)
		}},
		{"C36c env when the file lacks the key", env{files: map[string]string{"d.json": `{"dns":"debug"}`}, vars: []string{"DDNS_TTL=600"}}, []string{"-c", "d.json"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].TTL, 600)
		}},
		{"C37 null hides the environment; Bug→ cache/ssl null = default", env{
			files: map[string]string{"null.json": `{"dns":"debug","ttl":null,"index4":null,"cache":null,"ssl":null,"line":null,"id":null}`},
			vars:  []string{"DDNS_TTL=600", "DDNS_INDEX4=public", "DDNS_CACHE=/c", "DDNS_LINE=l", "DDNS_SSL=true"},
		}, []string{"-c", "null.json"}, func(t *testing.T, cs []*config.Config) {
			c := cs[0]
			eq(t, c.TTL, 0)
			eq(t, rules(c, 4), []string{})
			eq(t, c.Cache, true)
			eq(t, c.CachePath, "")
			eq(t, c.SSL, "auto")
			eq(t, c.Line, "")
			eq(t, c.ID, "")
		}},
		{"C38 flattening, extras; Bug→ unknown nested keys dropped", env{files: map[string]string{"flat.json": `{"dns":"debug","log":{"level":"debug","file":"l.log","format":"%(message)s","datefmt":"%H"},"foo":{"bar":1},"extra":{"proxied":true,"comment":"c"},"extra_comment":"override","$schema":"https://ddns.newfuture.cc/schema/v4.0.json","debug":true}`}}, []string{"-c", "flat.json"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].Extra, publish.Extra{{Key: "proxied", Value: true}, {Key: "comment", Value: "override"}})
		}},
		{"C39 comments", env{files: map[string]string{"comment.json": "// leading\n# hash line\n{\n \"dns\": \"debug\", // trailing\n \"endpoint\": \"http://host//path#frag\", # hash\n \"ipv4\": [\"a.com\"]\n}\n"}}, []string{"-c", "comment.json"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].Endpoint, "http://host//path#frag")
			eq(t, cs[0].IPv4, []string{"a.com"})
		}},
		{"C40 trailing comma accepted", env{files: map[string]string{"t.json": `{"dns": "debug",}`}}, []string{"-c", "t.json", "--no-cache"}, nil},
		{"C41 Bug→ trailing comma with JSON literals accepted", env{files: map[string]string{"t.json": `{"dns":"debug","cache":true,}`}}, []string{"-c", "t.json"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].Cache, true)
		}},
		{"C42 Bug→ BOM accepted", env{files: map[string]string{"c.json": "\ufeff{\"dns\":\"debug\"}"}}, []string{"-c", "c.json"}, nil},
		{"C44 v4.1 inheritance, print alias; Bug→ extras merged", env{files: map[string]string{"m.json": `{"ssl":"auto","cache":false,"ttl":100,"ipv4":["global.example.com"],"index6":false,"token":"globaltoken","id":"gid","extra":{"g":1},
			"providers":[
			 {"provider":"debug","ipv4":["p1.example.com"],"index4":"shell:echo 1.1.1.1","ttl":200,"log":{"level":"WARNING"},"extra":{"p":2}},
			 {"provider":"debug","index4":"shell:echo 2.2.2.2","proxy":"DIRECT"},
			 {"provider":"print","id":null,"index4":"shell:echo 3.3.3.3"}]}`}}, []string{"-c", "m.json"}, func(t *testing.T, cs []*config.Config) {
			eq(t, len(cs), 3)
			eq(t, cs[0].IPv4, []string{"p1.example.com"})
			eq(t, cs[0].TTL, 200)
			eq(t, cs[0].Token, "globaltoken")
			eq(t, cs[0].ID, "gid")
			eq(t, cs[0].Cache, false)
			eq(t, len(cs[0].Extra), 2)
			eq(t, cs[1].IPv4, []string{"global.example.com"})
			eq(t, cs[1].TTL, 100)
			eq(t, cs[1].Proxy, []string{"DIRECT"})
			eq(t, cs[2].DNS, "debug")
			eq(t, cs[2].ID, "")
			eq(t, rules(cs[2], 6), []string{"false"})
		}},
		{"C29a DDNS_CONFIG with two files", env{files: map[string]string{"a.json": `{"dns":"debug","line":"a"}`, "b.json": `{"dns":"debug","line":"b"}`}, vars: []string{"DDNS_CONFIG=a.json;b.json"}}, nil, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].Line, "a")
			eq(t, cs[1].Line, "b")
		}},
		{"C29b bare -c ignores DDNS_CONFIG and discovers", env{files: map[string]string{"a.json": `{"dns":"debug","line":"a"}`, "config.json": `{"dns":"debug","line":"cwd"}`}, vars: []string{"DDNS_CONFIG=a.json"}}, []string{"-c"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].Line, "cwd")
		}},
		{"C24 --debug alone runs the debug provider without cache", env{}, []string{"--debug"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].DNS, "debug")
			eq(t, cs[0].Cache, false)
		}},
		{"C52 cache path and max age 0", env{}, []string{"--dns", "debug", "--cache", "c.cache", "--cache-max-age", "0"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].CachePath, "c.cache")
			eq(t, cs[0].CacheMaxAge, time.Duration(0))
		}},
		{"C57 stray word is only a warning", env{}, []string{"--dns", "debug", "task"}, nil},
		{"C19b provider names are case-insensitive in files", env{files: map[string]string{"c.json": `{"dns":"CloudFlare"}`}}, []string{"-c", "c.json"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].DNS, "cloudflare")
		}},
		{"v2 legacy file", env{files: map[string]string{"v2.json": `{"$schema":"https://ddns.newfuture.cc/schema/v2.json","id":"12345","token":"mytokenkey","dns":"dnspod","ipv4":["ddns.newfuture.cc"],"ipv6":[],"index4":"default","index6":false,"proxy":"127.0.0.1:1080;DIRECT","debug":true,"cache":false}`}}, []string{"-c", "v2.json"}, func(t *testing.T, cs []*config.Config) {
			eq(t, cs[0].Proxy, []string{"127.0.0.1:1080", "DIRECT"})
			eq(t, cs[0].Cache, false)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			p, err := load(t, tc.env, tc.args...)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if tc.check != nil {
				tc.check(t, p.Configs)
			}
		})
	}
}

// TestCompatibilityErrors covers the rows that must fail, with their exit
// code and a one-line message naming the place.
func TestCompatibilityErrors(t *testing.T) {
	tests := []struct {
		id   string
		env  env
		args []string
		code int
		want string // substring of the message
	}{
		{"C03 no provider", env{vars: []string{"DDNS_X="}}, nil, 2, "No DNS provider specified in config 1"},
		{"C04 Bug→ empty file is not overwritten", env{files: map[string]string{"config.json": "{}"}}, nil, 2, "nothing is configured"},
		{"C18 ttl not an integer", env{}, []string{"--dns", "debug", "--ttl", "abc"}, 2, "argument --ttl: invalid int value: 'abc'"},
		{"C19a --dns is case-sensitive", env{}, []string{"--dns", "CloudFlare"}, 2, "argument --dns: invalid choice: 'CloudFlare'"},
		{"C20a ambiguous prefix", env{}, []string{"--dns", "debug", "--t", "1"}, 2, "ambiguous option: --t could match --token, --ttl"},
		{"C22 negative cache max age", env{}, []string{"--dns", "debug", "--cache-max-age", "-1"}, 2, "must be a non-negative integer"},
		{"C23 Bug→ invalid log level", env{}, []string{"--dns", "debug", "--log_level", "verbose"}, 2, "invalid log level"},
		{"C25 file without provider", env{files: map[string]string{"c.json": `{"ipv4":["a.com"]}`}}, []string{"--debug", "-c", "c.json"}, 2, "No DNS provider specified in config 1"},
		{"C26 missing file", env{}, []string{"-c", "nope.json"}, 1, "Config file `nope.json` does not exist!"},
		// The original kept "[true]" as a domain; JSON literals now parse, and
		// a boolean is no domain (#11).
		{"C32 Bug→ JSON arrays in the environment", env{vars: []string{"DDNS_DNS=debug", `DDNS_IPV4=["a.com",true]`}}, nil, 2, `environment: DDNS_IPV4 = ["a.com", true]: list items must be strings`},
		{"C35 Bug→ ttl from env", env{vars: []string{"DDNS_DNS=debug", "DDNS_TTL=abc"}}, nil, 2, "environment: DDNS_TTL = \"abc\": ttl must be a non-negative integer"},
		{"C43 Bug→ array root", env{files: map[string]string{"c.json": `[{"dns":"debug"}]`}}, []string{"-c", "c.json"}, 2, "c.json: the configuration must be a JSON object"},
		{"C45 providers and dns", env{files: map[string]string{"c.json": `{"dns": "debug", "providers": [{"provider": "debug"}]}`}}, []string{"-c", "c.json"}, 2, "'providers' and 'dns' fields cannot be used simultaneously"},
		{"C46 entry without provider", env{files: map[string]string{"c.json": `{"providers": [{"name": "debug", "ipv4": ["a.com"]}]}`}}, []string{"-c", "c.json"}, 2, "c.json: providers[1]: Each provider must have a 'provider' field!"},
		{"C44 Bug→ entry dns conflicting with provider", env{files: map[string]string{"m.json": `{"providers":[{"provider":"debug","dns":"cloudflare"}]}`}}, []string{"-c", "m.json"}, 2, "m.json: providers[1].dns = \"cloudflare\": conflicts with provider"},
		{"C58 unknown command", env{}, []string{"foo"}, 2, "argument command: invalid choice: 'foo'"},
		{"C59 Bug→ reserved extra", env{}, []string{"--dns", "debug", "--extra.ttl", "5"}, 2, "extra.ttl"},
		{"C62 comma in -c is a file name", env{}, []string{"-c", "a.json,b.json"}, 1, "Config file `a.json,b.json` does not exist!"},
		{"C64 Bug→ invalid log format", env{}, []string{"--dns", "debug", "--log_format", "plain"}, 2, "invalid log format"},
		{"C56a interval out of range", env{files: map[string]string{"config.json": `{"dns":"debug","interval":0}`}}, nil, 2, "interval must be an integer between 1 and 1440"},
		{"B19 unknown option", env{}, []string{"--dns", "debug", "--no_cache"}, 2, "unrecognized arguments: --no_cache"},
		{"unknown provider in a file", env{files: map[string]string{"c.json": `{"dns":"nosuch"}`}}, []string{"-c", "c.json"}, 2, `c.json: dns = "nosuch": unknown DNS provider "nosuch"`},
		{"malformed domain", env{files: map[string]string{"c.json": `{"dns":"debug","ipv4":["bad domain.com"]}`}}, []string{"-c", "c.json"}, 2, `c.json: ipv4`},
		{"wrong JSON type", env{files: map[string]string{"c.json": `{"dns":"debug","ipv4":{"a":1}}`}}, []string{"-c", "c.json"}, 2, "c.json: ipv4 = {…}: must not be an object"},
		{"wrong JSON type for a list", env{files: map[string]string{"c.json": `{"dns":"debug","ipv4":[["a.com"]]}`}}, []string{"-c", "c.json"}, 2, `c.json: ipv4 = [["a.com"]]: list items must be strings`},
		{"bad regex rule", env{files: map[string]string{"c.json": `{"dns":"debug","index4":"regex:("}`}}, []string{"-c", "c.json"}, 2, "c.json: index4"},
		{"unknown rule word", env{files: map[string]string{"c.json": `{"dns":"debug","index4":["nosuchrule"]}`}}, []string{"-c", "c.json"}, 2, `c.json: index4 = ["nosuchrule"]`},
		{"empty cmd rule", env{}, []string{"--dns", "debug", "--index4", "cmd:"}, 2, "command line: --index4"},
		{"negative TTL in a file", env{files: map[string]string{"c.json": `{"dns":"debug","ttl":-5}`}}, []string{"-c", "c.json"}, 2, "c.json: ttl = -5"},
		{"invalid JSON", env{files: map[string]string{"c.json": `{"dns":`}}, []string{"-c", "c.json"}, 2, "c.json: not valid JSON: line 1"},
		{"unreadable file", env{files: map[string]string{"dir.json/x": "{}"}}, []string{"-c", "dir.json"}, 2, "dir.json: cannot read"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			_, err := load(t, tc.env, tc.args...)
			if err == nil {
				t.Fatal("load succeeded; want an error")
			}
			code := 2
			var ce *config.Error
			if errors.As(err, &ce) {
				code = ce.Code
			}
			if code != tc.code {
				t.Errorf("exit code %d, want %d (%v)", code, tc.code, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("message %q does not contain %q", msg, tc.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message spans several lines: %q", msg)
			}
		})
	}
}

func eq(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o600) }

func TestReactorSettings(t *testing.T) {
	p, err := load(t, env{files: map[string]string{"c.json": `{"dns":"debug","interval":7,"debounce":0.25}`}}, "-c", "c.json")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, p.Interval, 7*time.Minute)
	eq(t, p.Debounce, 250*time.Millisecond)
	p, err = load(t, env{}, "--dns", "debug", "--interval", "2", "--debounce", "0")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, p.Interval, 2*time.Minute)
	eq(t, p.Debounce, time.Duration(0))
	p, _ = load(t, env{}, "--dns", "debug")
	eq(t, p.Interval, time.Duration(0))
	eq(t, p.Debounce, watch.DefaultDebounce)
	for _, args := range [][]string{{"--dns", "debug", "--interval", "0"}, {"--dns", "debug", "--debounce", "-1"}, {"--dns", "debug", "--debounce", "soon"}} {
		if _, err := load(t, env{}, args...); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

func TestStructuredExtras(t *testing.T) {
	p, err := load(t, env{files: map[string]string{"c.json": `{"dns":"debug","extra":{"tags":["a",1],"settings":{"z":1,"a":2.5},"n":3}}`}}, "-c", "c.json")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, p.Configs[0].Extra, publish.Extra{
		{Key: "tags", Value: json.RawMessage(`["a",1]`)},
		{Key: "settings", Value: json.RawMessage(`{"z":1,"a":2.5}`)},
		{Key: "n", Value: json.Number("3")},
	})
}

// TestRemoteConfig is C61a/C61b and C70 (Bug→ B24): a configuration file
// fetched over HTTP, with DDNS_SSL=false parsed as a boolean.
func TestRemoteConfig(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/remote.json" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, `{"dns":"debug","ipv4":["remote.example.com"],"index4":"shell:echo 9.9.9.9","index6":false}`)
	}))
	defer srv.Close()
	p, err := load(t, env{vars: []string{"DDNS_SSL=false"}}, "-c", srv.URL+"/remote.json", "--no-cache")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, p.Configs[0].IPv4, []string{"remote.example.com"})
	_, err = load(t, env{}, "-c", srv.URL+"/missing.json")
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Code != 1 || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing remote file: %v", err)
	}
}

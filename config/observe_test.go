package config_test

import (
	"strings"
	"testing"
)

func TestObserveSettings(t *testing.T) {
	file := `{"dns": "debug", "status": "127.0.0.1:9876", "status_token": "tok", "heartbeat": "https://hc-ping.com/u",
	  "notify": ["ntfy://ntfy.sh/a?events=changed,failed", "wecom://KEY"]}`
	p, err := load(t, env{files: map[string]string{"config.json": file}})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, p.Observe.Status, "127.0.0.1:9876")
	eq(t, p.Observe.StatusToken, "tok")
	eq(t, p.Observe.Heartbeat, "https://hc-ping.com/u")
	eq(t, p.Observe.Notify, []string{"ntfy://ntfy.sh/a?events=changed,failed", "wecom://KEY"})
	for _, w := range p.Warnings {
		if strings.Contains(w, "unknown") {
			t.Errorf("warning: %s", w)
		}
	}
	// The command line wins over the file, the file over the environment.
	p, err = load(t, env{files: map[string]string{"config.json": file}, vars: []string{"DDNS_STATUS=unix:/run/x.sock", "DDNS_HEARTBEAT=http://127.0.0.1/x"}},
		"--status", "127.0.0.1:1", "--notify", "bark://:k@api.day.app", "gotify://g.example.com/T")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, p.Observe.Status, "127.0.0.1:1")
	eq(t, p.Observe.Heartbeat, "https://hc-ping.com/u")
	eq(t, p.Observe.Notify, []string{"bark://:k@api.day.app", "gotify://g.example.com/T"})
	// The environment alone: URLs separated by white space keep their commas.
	p, err = load(t, env{vars: []string{"DDNS_DNS=debug", "DDNS_NOTIFY=ntfy://ntfy.sh/a?events=changed,failed  wecom://K", "DDNS_STATUS_TOKEN=x"}})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, p.Observe.Notify, []string{"ntfy://ntfy.sh/a?events=changed,failed", "wecom://K"})
	eq(t, p.Observe.StatusToken, "x")
	for _, w := range p.Warnings {
		if strings.Contains(w, "DDNS_NOTIFY") || strings.Contains(w, "DDNS_STATUS") {
			t.Errorf("warning: %s", w)
		}
	}
	_, err = load(t, env{files: map[string]string{"config.json": `{"dns": "debug", "notify": [1]}`}})
	if err == nil || !strings.Contains(err.Error(), "notify") {
		t.Errorf("a number as URL: %v", err)
	}
}

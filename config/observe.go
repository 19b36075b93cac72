package config

import (
	"strings"
)

// Observe is what the run shows and tells beyond the log: the status
// endpoint, notifications and heartbeats. It belongs to the whole run, not
// to one configuration: command line, then the root of the first file,
// then the environment (DDNS_STATUS, DDNS_STATUS_TOKEN, DDNS_NOTIFY,
// DDNS_HEARTBEAT).
type Observe struct {
	Status      string   // "" = off; host:port or unix:/path
	StatusToken string   // bearer token the endpoint requires; "" = none
	Notify      []string // notification URLs
	Heartbeat   string   // heartbeat URL; "" = none
}

// observeKeys are the run-wide keys Observe reads; files and the
// environment accept them without a warning.
var observeKeys = map[string]bool{"status": true, "status_token": true, "notify": true, "heartbeat": true}

// readObserve picks each key from the command line, the first file's root
// or the environment, in that order.
func readObserve(a *cliArgs, files []fileConfig, env envSource) (Observe, error) {
	pick := func(key string) (raw, bool) {
		if cv, ok := a.set[key]; ok {
			return raw{v: cv.val, where: "command line", key: cv.flag, cli: true}, true
		}
		if len(files) > 0 && files[0].root != nil {
			if v, ok := files[0].root.Get(key); ok {
				return raw{v: v, where: files[0].source, key: key}, true
			}
		}
		r, ok := env.observe[key]
		return r, ok
	}
	var o Observe
	for key, dst := range map[string]*string{"status": &o.Status, "status_token": &o.StatusToken, "heartbeat": &o.Heartbeat} {
		if r, ok := pick(key); ok {
			s, err := asString(r)
			if err != nil {
				if key == "status_token" {
					r.v = "***"
				}
				return o, err
			}
			*dst = strings.TrimSpace(s)
		}
	}
	if r, ok := pick("notify"); ok {
		l, err := urlList(r)
		if err != nil {
			return o, err
		}
		o.Notify = l
	}
	return o, nil
}

// urlList reads a list of URLs: a JSON list, or a string of URLs separated
// by white space (not commas: ?events=changed,failed has them).
func urlList(r raw) ([]string, error) {
	var items []any
	switch x := unwrap(r).(type) {
	case nil:
		return nil, nil
	case string:
		for _, f := range strings.Fields(x) {
			items = append(items, f)
		}
	case []string:
		for _, s := range x {
			for _, f := range strings.Fields(s) {
				items = append(items, f)
			}
		}
	case []any:
		items = x
	default:
		return nil, r.fail("must be a URL or a list of URLs")
	}
	var out []string
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, r.fail("must be a URL or a list of URLs")
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

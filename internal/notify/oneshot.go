package notify

import (
	"context"
	"fmt"
	"strconv"
)

// ParseAll parses every notification URL (see Parse); the error of a bad
// one names its place in the list, notify[N], 1-based.
func ParseAll(urls []string) ([]*Target, error) {
	var ts []*Target
	for i, u := range urls {
		t, err := Parse(u)
		if err != nil {
			return nil, fmt.Errorf("notify[%d]: %w", i+1, err)
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// AroundRun wraps run, a one-shot sync returning its exit code, with pings
// of the heartbeat URL raw (checked by ParseHeartbeat first): /start while
// it runs (never before: it must not delay a publish), then success for
// exit 0, or fail with the exit code. A ping that fails is reported
// through o.Log and changes nothing.
func AroundRun(ctx context.Context, raw string, o Options, run func() int) int {
	o.defaults()
	ping := func(kind, why string) {
		if err := Ping(ctx, raw, kind, why, o); err != nil {
			o.Log("heartbeat: " + err.Error())
		}
	}
	started := make(chan struct{})
	go func() { defer close(started); ping("start", "") }()
	code := run()
	<-started
	if code == 0 {
		ping("up", "ok")
	} else {
		ping("fail", "ddns: a record or configuration failed (exit "+strconv.Itoa(code)+"); see the log")
	}
	return code
}

package observe_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/internal/notify"
	"github.com/ddns-go/ddns/internal/observe"
	"github.com/ddns-go/ddns/internal/status"
	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/watch"
)

func options(red *publish.Redactor) observe.Options {
	return observe.Options{Log: zerolog.Nop(), Redact: red,
		Senders: func() (notify.Options, error) { return notify.Options{}, nil }}
}

// TestStartRefusesBadSettings: each bad setting is a one-line ErrSetting
// that shows no secret, and nothing starts.
func TestStartRefusesBadSettings(t *testing.T) {
	for _, set := range []config.Observe{
		{Notify: []string{"nope://s3cret-value"}},
		{Heartbeat: "hc-ping.com/uuid"},
		{Status: "0.0.0.0:9876"},
	} {
		_, err := observe.Start(context.Background(), set, options(&publish.Redactor{}))
		if !errors.Is(err, observe.ErrSetting) || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: %v", set, err)
		}
	}
}

// TestStatusSeesRedactedErrors: a record's error reaches the status
// endpoint with the status token (learned by Start) masked.
func TestStatusSeesRedactedErrors(t *testing.T) {
	const token = "t0k3n-status-secret"
	var log bytes.Buffer
	o := options(&publish.Redactor{})
	o.Log = zerolog.New(&log)
	r, err := observe.Start(context.Background(), config.Observe{Status: "127.0.0.1:0", StatusToken: token}, o)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	r.Observer.Record(watch.RecordReport{Config: "c", Domain: "a.example.com", Type: "A", Result: watch.RecordFailed,
		Err: "HTTP 401 for " + token, At: time.Now()})
	_, rest, _ := strings.Cut(log.String(), "status endpoint on ")
	addr, _, _ := strings.Cut(rest, " ")
	s, _, err := status.Query(context.Background(), addr, token)
	if err != nil {
		t.Fatalf("%v (log %q)", err, log.String())
	}
	if len(s.Records) != 1 || !strings.HasPrefix(s.Records[0].Error, "HTTP 401 for ") || strings.Contains(s.Records[0].Error, token) {
		t.Errorf("records %+v", s.Records)
	}
}

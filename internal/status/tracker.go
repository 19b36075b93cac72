// Package status keeps what the reactor did (as a watch.Observer) and
// serves it: GET /status (JSON), /healthz (200/503) and /metrics
// (Prometheus text format 0.0.4, written by hand so that no client library
// weighs on the router binary).
package status

import (
	"net/netip"
	"sort"
	"sync"
	"time"

	"github.com/ddns-go/ddns/watch"
)

// Tracker is a watch.Observer that remembers the last outcome of every
// record and counts what the reactor did. Each call takes one short lock
// and allocates little: it never waits on a reader for long, since readers
// copy under the same lock.
type Tracker struct {
	version string
	started time.Time
	// Interval is how long a record may keep failing before /healthz
	// calls it unhealthy (the reactor's poll period).
	interval time.Duration
	now      func() time.Time

	mu       sync.Mutex
	configs  []Config
	records  map[recordKey]*Record
	events   map[string]uint64
	syncs    map[string]uint64
	publish  map[[2]string]uint64 // provider, result
	duration histogram
}

type recordKey struct{ config, domain, typ string }

// Config is one configuration as /status lists it.
type Config struct {
	Label    string `json:"label"`
	Provider string `json:"provider"`
}

// NewTracker returns a Tracker for a run that started now. A record
// failing longer than interval is unhealthy.
func NewTracker(version string, interval time.Duration, now func() time.Time) *Tracker {
	if now == nil {
		now = time.Now
	}
	return &Tracker{
		version: version, started: now(), interval: interval, now: now,
		records: map[recordKey]*Record{}, events: map[string]uint64{}, syncs: map[string]uint64{},
		publish: map[[2]string]uint64{}, duration: newHistogram(durationBuckets),
	}
}

// SetConfigs names the configurations in use (at start and on reload).
// Records of configurations no longer present are forgotten.
func (t *Tracker) SetConfigs(cs []Config) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.configs = append([]Config(nil), cs...)
	keep := map[string]bool{}
	for _, c := range cs {
		keep[c.Label] = true
	}
	for k := range t.records {
		if !keep[k.config] {
			delete(t.records, k)
		}
	}
}

// Event implements watch.Observer.
func (t *Tracker) Event(kind string) {
	t.mu.Lock()
	t.events[kind]++
	t.mu.Unlock()
}

// Sync implements watch.Observer.
func (t *Tracker) Sync(reason string) {
	t.mu.Lock()
	t.syncs[reason]++
	t.mu.Unlock()
}

// Record implements watch.Observer.
func (t *Tracker) Record(r watch.RecordReport) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := recordKey{r.Config, r.Domain, r.Type}
	rec := t.records[k]
	if rec == nil {
		rec = &Record{Config: r.Config, Domain: r.Domain, Type: r.Type}
		t.records[k] = rec
	}
	rec.Provider, rec.Rule = r.Provider, r.Rule
	rec.Answer, rec.Sources = addrString(r.Answer), r.Sources
	if r.Published.IsValid() {
		rec.Published = r.Published.String()
	}
	rec.Result, rec.Permanent, rec.Attempt, rec.Error = string(r.Result), r.Permanent, r.Attempt, r.Err
	rec.NextRetry = timePtr(r.NextRetry)
	rec.Checked = timePtr(r.At)
	switch r.Result {
	case watch.RecordPublished:
		rec.LastPublish, rec.LastSuccess, rec.FailingSince = timePtr(r.At), timePtr(r.At), nil
		rec.LastPublishResult = "ok"
		t.publish[[2]string{r.Provider, "ok"}]++
		t.duration.observe(r.Duration.Seconds())
	case watch.RecordCurrent:
		rec.LastSuccess, rec.FailingSince = timePtr(r.At), nil
	case watch.RecordFailed, watch.RecordUnresolved:
		if rec.FailingSince == nil {
			rec.FailingSince = timePtr(r.At)
		}
		if r.Result == watch.RecordFailed && r.Duration > 0 { // a request was sent
			rec.LastPublish, rec.LastPublishResult = timePtr(r.At), "error"
			t.publish[[2]string{r.Provider, "error"}]++
			t.duration.observe(r.Duration.Seconds())
		}
	}
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// Record is one record as /status shows it.
type Record struct {
	Config   string   `json:"config"`
	Domain   string   `json:"domain"`
	Type     string   `json:"type"`
	Provider string   `json:"provider"`
	Rule     string   `json:"rule"`
	Answer   string   `json:"answer,omitempty"`  // what the rules gave last round
	Sources  []string `json:"sources,omitempty"` // the sources that agreed on Answer
	// Published is the value the provider holds as far as the agent knows.
	Published         string     `json:"published,omitempty"`
	Result            string     `json:"result"` // of the last round: current, published, failed, unresolved
	Checked           *time.Time `json:"checked,omitempty"`
	LastPublish       *time.Time `json:"last_publish,omitempty"`
	LastPublishResult string     `json:"last_publish_result,omitempty"` // ok or error
	LastSuccess       *time.Time `json:"last_success,omitempty"`
	Permanent         bool       `json:"permanent,omitempty"`
	Attempt           int        `json:"attempt,omitempty"`
	NextRetry         *time.Time `json:"next_retry,omitempty"`
	FailingSince      *time.Time `json:"failing_since,omitempty"`
	Error             string     `json:"error,omitempty"`
	Healthy           bool       `json:"healthy"`
}

// Status is the document GET /status returns.
type Status struct {
	Version  string    `json:"version"`
	Started  time.Time `json:"started"`
	Healthy  bool      `json:"healthy"`
	Configs  []Config  `json:"configs"`
	Records  []Record  `json:"records"`
	Interval string    `json:"interval"`
}

// Snapshot returns the current status, records sorted by configuration,
// domain and type.
func (t *Tracker) Snapshot() Status {
	now := t.now()
	t.mu.Lock()
	s := Status{Version: t.version, Started: t.started.UTC(), Healthy: true, Configs: append([]Config{}, t.configs...),
		Records: make([]Record, 0, len(t.records)), Interval: t.interval.String()}
	for _, r := range t.records {
		c := *r
		c.Healthy = t.healthy(r, now)
		s.Healthy = s.Healthy && c.Healthy
		s.Records = append(s.Records, c)
	}
	t.mu.Unlock()
	sort.Slice(s.Records, func(i, j int) bool {
		a, b := s.Records[i], s.Records[j]
		if a.Config != b.Config {
			return a.Config < b.Config
		}
		if a.Domain != b.Domain {
			return a.Domain < b.Domain
		}
		return a.Type < b.Type
	})
	return s
}

// healthy: current, or failing transiently with a retry scheduled for less
// than interval. A permanent failure is unhealthy at once.
func (t *Tracker) healthy(r *Record, now time.Time) bool {
	if r.FailingSince == nil {
		return true
	}
	if r.Permanent {
		return false
	}
	return now.Sub(*r.FailingSince) <= t.interval
}

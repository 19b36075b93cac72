// Package notify tells people what the agent did: notifications to chat
// and push services (one message per sync round, per-URL filters, rate
// limits, retries with backoff) and heartbeats to healthchecks.io or Uptime
// Kuma. Everything runs beside the reactor as a watch.Observer: calls queue
// work and return at once, so no service can delay a publish.
package notify

import (
	"fmt"
	"strings"
	"time"
)

// Kind is what a notification is about.
type Kind string

// Event kinds, as ?events= names them.
const (
	Changed   Kind = "changed"   // an address was published (old → new)
	Failed    Kind = "failed"    // a publish failed permanently, or kept failing
	Recovered Kind = "recovered" // a failed record is current again
	Started   Kind = "started"   // the agent started watching
	Stopped   Kind = "stopped"   // the agent is stopping
	Test      Kind = "test"      // `ddns notify --test`
)

// kinds are the names ?events= accepts.
var kinds = []Kind{Changed, Failed, Recovered, Started, Stopped}

// Item is one thing that happened to one record (or to the agent, for
// started, stopped and test).
type Item struct {
	Kind   Kind   `json:"kind"`
	Domain string `json:"domain,omitempty"`
	Type   string `json:"type,omitempty"` // A or AAAA
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
	Error  string `json:"error,omitempty"` // redacted by the reactor
}

// family is 4 or 6 for record items, 0 for agent items.
func (it Item) family() int {
	switch it.Type {
	case "A":
		return 4
	case "AAAA":
		return 6
	}
	return 0
}

// Line renders the item as one human sentence.
func (it Item) Line() string {
	rec := it.Domain
	if it.Type != "" {
		rec += " [" + it.Type + "]"
	}
	switch it.Kind {
	case Changed:
		if it.Old == "" {
			return fmt.Sprintf("%s: published %s", rec, it.New)
		}
		return fmt.Sprintf("%s: %s → %s", rec, it.Old, it.New)
	case Failed:
		return fmt.Sprintf("%s: update to %s failed: %s", rec, orUnknown(it.New), it.Error)
	case Recovered:
		return fmt.Sprintf("%s: recovered, holds %s", rec, orUnknown(it.New))
	case Started:
		return "ddns started"
	case Stopped:
		return "ddns stopped"
	case Test:
		return "test message from ddns: notifications work"
	}
	return string(it.Kind)
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// Message is what one notifier sends once: the items of one sync round
// that pass its filters.
type Message struct {
	Host  string // the agent's host name, to tell several agents apart
	At    time.Time
	Items []Item
}

// Title is a short headline naming the most important kind.
func (m Message) Title() string {
	k := Changed
	for _, it := range m.Items {
		if it.Kind == Failed || (k == Changed && it.Kind != Changed) {
			k = it.Kind
		}
	}
	t := "DDNS"
	switch k {
	case Changed:
		t += ": address changed"
	case Failed:
		t += ": update failed"
	case Recovered:
		t += ": recovered"
	case Started:
		t += ": started"
	case Stopped:
		t += ": stopped"
	case Test:
		t += ": test"
	}
	if m.Host != "" {
		t += " on " + m.Host
	}
	return t
}

// Text is the message body: one line per item.
func (m Message) Text() string {
	lines := make([]string, len(m.Items))
	for i, it := range m.Items {
		lines[i] = it.Line()
	}
	return strings.Join(lines, "\n")
}

// filter returns the items a target wants; nil when none.
func (m Message) filter(events map[Kind]bool, family int) Message {
	out := m
	out.Items = nil
	for _, it := range m.Items {
		if events != nil && it.Kind != Test && !events[it.Kind] {
			continue
		}
		if f := it.family(); family != 0 && f != 0 && f != family {
			continue
		}
		out.Items = append(out.Items, it)
	}
	return out
}

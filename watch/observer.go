package watch

import (
	"net/netip"
	"time"
)

// Observer receives what the reactor does: the status endpoint, metrics,
// notifications and heartbeats are observers. The reactor calls it from
// whichever goroutine produced the outcome, possibly from several at once;
// an implementation must be safe for concurrent use and return at once
// (queue the work, drop or coalesce on overflow), so that no observer can
// delay or block a publish.
type Observer interface {
	// Event reports a platform event the reactor received, by kind:
	// "added", "removed", "deprecated", "refreshed", "link", "route",
	// "resync" (relevant or not: the count is what the OS sent).
	Event(kind string)
	// Sync reports that a sync round starts and why: "start", "event",
	// "poll", "resync", "reverify", "retry", "reload", "signal" or
	// "clock".
	Sync(reason string)
	// Record reports what one record's publish round ended with. It is
	// called once per record and round, including for records that were
	// already current.
	Record(RecordReport)
}

// RecordResult is the outcome of one record in one round.
type RecordResult string

// Record outcomes.
const (
	// RecordCurrent: the provider already holds the answer (nothing sent).
	RecordCurrent RecordResult = "current"
	// RecordPublished: the answer was sent and confirmed.
	RecordPublished RecordResult = "published"
	// RecordFailed: the publish failed; see Permanent and NextRetry.
	RecordFailed RecordResult = "failed"
	// RecordUnresolved: the record's rules gave no address this round;
	// the record is left as it is.
	RecordUnresolved RecordResult = "unresolved"
)

// RecordReport is what happened to one record (one domain and type of one
// configuration) in one round. It carries no secret: Err is already
// redacted.
type RecordReport struct {
	Config   string // the configuration's label (file, or file#index)
	Provider string // canonical provider name
	Domain   string
	Type     string // "A" or "AAAA"
	Rule     string // the record's rules as configured, e.g. "public" or "iface:eth0"
	// Answer is what the rules gave this round; invalid when none.
	Answer netip.Addr
	// Sources are the sources that agreed on Answer, when a rule asks
	// several (public); nil otherwise.
	Sources []string
	// Published is the value the provider holds as far as the agent
	// knows after this round; invalid when unknown.
	Published netip.Addr
	// Previous is the value the provider held before this round, when
	// this round published a change; invalid otherwise.
	Previous  netip.Addr
	Result    RecordResult
	Permanent bool          // a failure that retrying cannot mend (until the address or configuration changes)
	Attempt   int           // failed attempts in a row; 0 after a success
	NextRetry time.Time     // when the next attempt is due; zero when none is scheduled
	Err       string        // the last error, redacted; "" on success
	Duration  time.Duration // how long the provider took; 0 when nothing was sent
	At        time.Time     // when the round ended for this record
}

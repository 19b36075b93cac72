package platform

// outbox forwards events to the consumer without ever blocking: when the
// channel is full it drops the event and owes a Resync, offered by the
// owner's select loop through pending.
type outbox struct {
	out  chan Event
	owed string // why a Resync is owed; "" when none is
}

// send forwards ev, or drops it and owes a Resync when the consumer lags.
func (o *outbox) send(ev Event) {
	if o.owed != "" {
		return // the owed Resync covers it
	}
	select {
	case o.out <- ev:
	default:
		o.owe("network events were dropped: the consumer lagged")
	}
}

// owe records that events were lost; the first reason is kept.
func (o *outbox) owe(reason string) {
	if o.owed == "" {
		o.owed = reason
	}
}

// pending returns the channel and the Resync to offer in a select, or a nil
// channel (never ready) when no Resync is owed.
func (o *outbox) pending() (chan<- Event, Event) {
	if o.owed == "" {
		return nil, Event{}
	}
	return o.out, Event{Kind: Resync, Reason: o.owed}
}

// resyncSent records that the Resync offered by pending was sent.
func (o *outbox) resyncSent() { o.owed = "" }

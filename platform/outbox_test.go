package platform

import "testing"

func TestOutboxNeverBlocksAndOwesResync(t *testing.T) {
	o := outbox{out: make(chan Event, 1)}
	o.send(Event{Kind: AddrChanged, Iface: "a"})
	o.send(Event{Kind: AddrChanged, Iface: "b"}) // full: dropped, Resync owed
	o.send(Event{Kind: LinkChanged})             // covered by the owed Resync
	if ev := <-o.out; ev.Iface != "a" {
		t.Fatalf("first event %+v", ev)
	}
	ch, ev := o.pending()
	if ch == nil || ev.Kind != Resync {
		t.Fatalf("no Resync owed after a drop: %+v", ev)
	}
	ch <- ev
	o.resyncSent()
	if ch, _ := o.pending(); ch != nil {
		t.Fatal("Resync still owed after it was sent")
	}
	if got := <-o.out; got.Kind != Resync {
		t.Fatalf("got %+v, want the Resync", got)
	}
	o.send(Event{Kind: RouteChanged})
	if got := <-o.out; got.Kind != RouteChanged {
		t.Fatalf("events not forwarded after the Resync: %+v", got)
	}
}

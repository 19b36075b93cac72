package notify

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkNotifierRecord is what notifications add to each record's
// round on the reactor's side, with a service that never answers: the
// call only queues.
//
//	go test ./internal/notify -run '^$' -bench . -benchmem
func BenchmarkNotifierRecord(b *testing.B) {
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(hang)
	tg, _ := Parse("generic+" + srv.URL + "/")
	o := testOptions()
	o.Grace = 100 * time.Millisecond
	n := NewNotifier([]*Target{tg}, o)
	defer n.Close()
	r := published("a.example.com", "A", "192.0.2.1", "192.0.2.2")
	b.ReportAllocs()
	for b.Loop() {
		n.Sync("event")
		n.Record(r)
	}
}

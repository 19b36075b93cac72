package status

import (
	"io"
	"testing"

	"github.com/ddns-go/ddns/watch"
)

// BenchmarkRecord is what the status observer adds to each record's round
// on the reactor's side.
//
//	go test ./internal/status -run '^$' -bench . -benchmem
func BenchmarkRecord(b *testing.B) {
	tr, _ := newTestTracker()
	r := rep("a.example.com", "A", watch.RecordPublished, "192.0.2.1")
	b.ReportAllocs()
	for b.Loop() {
		tr.Record(r)
	}
}

// BenchmarkMetrics renders /metrics for 100 records.
func BenchmarkMetrics(b *testing.B) {
	tr, _ := newTestTracker()
	for i := range 100 {
		r := rep("a.example.com", "A", watch.RecordPublished, "192.0.2.1")
		r.Domain = string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".example.com"
		tr.Record(r)
	}
	b.ReportAllocs()
	for b.Loop() {
		tr.WriteMetrics(io.Discard)
	}
}

package resolve_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ddns-go/ddns/resolve"
	"github.com/ddns-go/ddns/resolve/dnstest"
)

// BenchmarkPublicOneHanging measures the time to a confirmed answer
// (2 agreeing) from 4 loopback DNS sources of which the first never
// answers; it reports the median and the 90th percentile.
func BenchmarkPublicOneHanging(b *testing.B) {
	s := dnstest.Start(b, "127.0.0.1", map[string]dnstest.Answer{
		"hang.test": {Drop: true}, "a1.test": {Text: pubA}, "a2.test": {Text: pubA}, "a3.test": {Text: pubA},
	})
	cfg := resolve.PublicConfig{Sources: sources(s, "hang.test", "a1.test", "a2.test", "a3.test")}
	times := make([]time.Duration, 0, b.N)
	for b.Loop() {
		// A new detector each time: no round cache.
		r, _ := publicRule(b, resolve.V4, cfg, resolve.Options{})
		start := time.Now()
		if a, err := r.Resolve(context.Background()); err != nil || a.String() != pubA {
			b.Fatalf("Resolve = %v, %v", a, err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*9/10].Microseconds())/1000, "p90-ms")
}

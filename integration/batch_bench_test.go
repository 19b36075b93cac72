package integration

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/time/rate"

	"github.com/ddns-go/ddns/internal/httpclient"
	"github.com/ddns-go/ddns/publish"
	_ "github.com/ddns-go/ddns/publish/callback"
	"github.com/ddns-go/ddns/resolve"
	"github.com/ddns-go/ddns/watch"
)

// BenchmarkBatchPublish publishes 1,000 records through the callback
// provider to a fake API that takes 20 ms per request and answers 429 when
// more than 1,000 requests a second arrive (burst 50). The client keeps to
// 800 requests a second, so no 429 may ever come back.
//
//	go test ./integration -run '^$' -bench BatchPublish -benchtime 1x
func BenchmarkBatchPublish(b *testing.B) {
	const records = 1000
	for _, conc := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			var tooMany, served atomic.Int64
			limit := rate.NewLimiter(1000, 50)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !limit.Allow() {
					tooMany.Add(1)
					w.Header().Set("Retry-After", "1")
					http.Error(w, "slow down", http.StatusTooManyRequests)
					return
				}
				time.Sleep(20 * time.Millisecond) // the API's latency
				served.Add(1)
				io.WriteString(w, "ok")
			}))
			defer srv.Close()
			client, err := httpclient.New(httpclient.Options{Proxy: []string{"DIRECT"}, Rate: 800, Burst: conc})
			if err != nil {
				b.Fatal(err)
			}
			p, err := publish.New("callback", publish.Settings{ID: srv.URL + "/u?d=__DOMAIN__&ip=__IP__", HTTP: client, Now: time.Now})
			if err != nil {
				b.Fatal(err)
			}
			domains := make([]string, records)
			for i := range domains {
				domains[i] = fmt.Sprintf("host%d.example.com", i)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rules, _ := resolve.Parse(resolve.V4, []string{fmt.Sprintf("198.51.100.%d", i%250+1)})
				t := &watch.Target{Provider: "callback", Publisher: p, Concurrency: conc, Log: zerolog.Nop(),
					Families: []watch.Family{{Rules: rules, Domains: domains}}}
				if out := watch.Sync(context.Background(), t); out.Published != records {
					b.Fatalf("published %d of %d (%d failed)", out.Published, records, out.Failed)
				}
			}
			b.StopTimer()
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/batch")
			b.ReportMetric(float64(tooMany.Load()), "429s")
			if tooMany.Load() > 0 {
				b.Errorf("%d answers were 429: the client exceeded the limit", tooMany.Load())
			}
		})
	}
}

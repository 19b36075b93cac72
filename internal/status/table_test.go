package status

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/ddns-go/ddns/internal/table"
)

// TestStatusTableAsTabwriter proves Print prints, byte for byte,
// the table text/tabwriter printed before it was dropped for size.
func TestStatusTableAsTabwriter(t *testing.T) {
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	s := Status{Version: "1.0.0", Started: at, Healthy: false, Records: []Record{
		{Domain: "home.example.com", Type: "A", Provider: "cloudflare", Published: "192.0.2.1", Result: "current", Healthy: true, LastPublish: &at},
		{Domain: "ünïcode.example", Type: "AAAA", Provider: "alidns", Result: "failed", Error: "HTTP 401: " + strings.Repeat("x", 70), NextRetry: &at},
		{Domain: "x.example", Type: "TXT", Provider: "he", Result: "unresolved"},
	}}
	var got bytes.Buffer
	Print(&got, s)

	var want bytes.Buffer
	health := "UNHEALTHY"
	fmt.Fprintf(&want, "ddns %s, up since %s: %s\n", s.Version, s.Started.Local().Format(time.DateTime), health)
	tw := tabwriter.NewWriter(&want, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DOMAIN\tTYPE\tPROVIDER\tPUBLISHED\tRESULT\tLAST PUBLISH\tNEXT RETRY\tERROR")
	for _, r := range s.Records {
		result := r.Result
		if !r.Healthy {
			result += " (unhealthy)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Domain, r.Type, r.Provider, table.OrDash(r.Published), result,
			when(r.LastPublish), when(r.NextRetry), table.OrDash(Shorten(r.Error)))
	}
	tw.Flush()
	if got.String() != want.String() {
		t.Errorf("table differs from tabwriter's:\n%s\nwant:\n%s", got.String(), want.String())
	}
}

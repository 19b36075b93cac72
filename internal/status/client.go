package status

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ddns-go/ddns/internal/table"
)

// queryTimeout bounds `ddns status`: the endpoint answers from memory, so
// anything slower is an agent that is stuck or not there.
const queryTimeout = 5 * time.Second

// Query asks the status endpoint at addr (host:port or unix:PATH) for its
// Status, with the bearer token when set; body is the JSON as served. Its
// errors are one line for the user, naming addr.
func Query(ctx context.Context, addr, token string) (s Status, body []byte, err error) {
	hc, base := Client(addr, queryTimeout)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/status", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return s, nil, fmt.Errorf("cannot reach the status endpoint at %s: is ddns watch running with status on?", addr)
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &s) != nil {
		return s, nil, fmt.Errorf("the status endpoint at %s answered HTTP %d", addr, resp.StatusCode)
	}
	return s, body, nil
}

// Print writes s for a person: a headline, then one row per record.
func Print(w io.Writer, s Status) {
	health := "healthy"
	if !s.Healthy {
		health = "UNHEALTHY"
	}
	fmt.Fprintf(w, "ddns %s, up since %s: %s\n", s.Version, s.Started.Local().Format(time.DateTime), health)
	rows := [][]string{{"DOMAIN", "TYPE", "PROVIDER", "PUBLISHED", "RESULT", "LAST PUBLISH", "NEXT RETRY", "ERROR"}}
	for _, r := range s.Records {
		result := r.Result
		if !r.Healthy {
			result += " (unhealthy)"
		}
		rows = append(rows, []string{r.Domain, r.Type, r.Provider, table.OrDash(r.Published), result,
			when(r.LastPublish), when(r.NextRetry), table.OrDash(Shorten(r.Error))})
	}
	table.Write(w, rows)
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Local().Format(time.DateTime)
}

// Shorten keeps a value printable in a one-line message or a table cell.
func Shorten(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

package status

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/ddns-go/ddns/config"
)

// Command is `ddns status [--status ADDR] [--json] [-c FILE]`: it asks a
// running agent's status endpoint and prints a table (or the JSON). Exit 0
// healthy, 1 unhealthy, 2 unreachable or not enabled.
func Command(ctx context.Context, args, environ []string, stdout, stderr io.Writer) int {
	var addr string
	asJSON := false
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--json":
			asJSON = true
		case a == "--status" && i+1 < len(args):
			addr = args[i+1]
			i++
		case strings.HasPrefix(a, "--status="):
			addr = strings.TrimPrefix(a, "--status=")
		default:
			rest = append(rest, a)
		}
	}
	token := ""
	if plan, err := config.Load(config.Input{Args: rest, Environ: environ}); err == nil {
		if addr == "" {
			addr = plan.Observe.Status
		}
		token = plan.Observe.StatusToken
	} else if addr == "" {
		return config.Report(stderr, err, rest)
	}
	if addr == "" {
		fmt.Fprintln(stderr, `ddns: the status endpoint is not enabled: set "status": "127.0.0.1:9876" in the configuration (or --status, DDNS_STATUS) and restart ddns watch`)
		return 2
	}
	s, body, err := Query(ctx, addr, token)
	switch {
	case err != nil:
		fmt.Fprintln(stderr, "ddns: "+err.Error())
		return 2
	case asJSON:
		stdout.Write(body)
	default:
		Print(stdout, s)
	}
	if !s.Healthy {
		return 1
	}
	return 0
}

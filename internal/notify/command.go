package notify

import (
	"context"
	"fmt"
	"io"

	"github.com/ddns-go/ddns/config"
)

// TestCommand is `ddns notify --test [options]`: one test message to
// every configured notification URL and the heartbeat is not touched.
// Exit 0 when all were delivered, 1 when any failed, 2 when none is
// configured or one is malformed. senders builds the HTTP set-up.
func TestCommand(ctx context.Context, args, environ []string, senders func(*config.Plan) (Options, error), stdout, stderr io.Writer) int {
	test := false
	var rest []string
	for _, a := range args {
		if a == "--test" {
			test = true
		} else {
			rest = append(rest, a)
		}
	}
	if !test {
		fmt.Fprintln(stderr, "usage: ddns notify --test [-c FILE] [--notify URL ...]")
		return 2
	}
	// A test message needs no provider: "debug" stands in for a missing
	// one (it overrides the file's only for this load, which reads
	// nothing provider-specific).
	plan, err := config.Load(config.Input{Args: append(rest, "--dns", "debug"), Environ: environ})
	if err != nil {
		return config.Report(stderr, err, rest)
	}
	if len(plan.Observe.Notify) == 0 {
		fmt.Fprintln(stderr, `ddns: no notification URL configured: set "notify": ["ntfy://ntfy.sh/TOPIC", …] (or --notify, DDNS_NOTIFY)`)
		return 2
	}
	targets, err := ParseAll(plan.Observe.Notify)
	if err != nil {
		fmt.Fprintln(stderr, "ddns: "+err.Error())
		return 2
	}
	opts, err := senders(plan)
	if err != nil {
		fmt.Fprintf(stderr, "ddns: %v\n", err)
		return 2
	}
	code := 0
	for _, r := range SendTest(ctx, targets, opts) {
		if r.Err != nil {
			fmt.Fprintf(stdout, "FAIL  %s: %v\n", r.Target, r.Err)
			code = 1
		} else {
			fmt.Fprintf(stdout, "ok    %s\n", r.Target)
		}
	}
	return code
}

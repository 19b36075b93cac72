package resolve_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test must stop what it starts: HTTP servers, commands, sockets.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

package debug_test

import (
	"bytes"
	"context"
	"net/netip"
	"testing"

	"github.com/ddns-go/ddns/publish"
	_ "github.com/ddns-go/ddns/publish/debug"
)

// TestVector is spec vectors/debug.json.
func TestVector(t *testing.T) {
	var out bytes.Buffer
	p, err := publish.New("print", publish.Settings{Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Set(context.Background(), publish.Record{Domain: "www.example.com", Type: "AAAA", Addr: netip.MustParseAddr("2001:db8::1")}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "[IPv6] 2001:db8::1\n" {
		t.Errorf("stdout %q", out.String())
	}
}

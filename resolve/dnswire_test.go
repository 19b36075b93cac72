package resolve

import (
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// buildAnswer answers q with the records add appends, through the
// reference implementation, with name compression on.
func buildAnswer(t testing.TB, id uint16, q dnsQuery, rcode dnsmessage.RCode, add func(b *dnsmessage.Builder, rh dnsmessage.ResourceHeader)) []byte {
	t.Helper()
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: id, Response: true, RCode: rcode})
	b.EnableCompression()
	n := dnsmessage.MustNewName(q.name)
	if err := b.StartQuestions(); err != nil {
		t.Fatal(err)
	}
	if err := b.Question(dnsmessage.Question{Name: n, Type: dnsmessage.Type(q.typ), Class: dnsmessage.Class(q.class)}); err != nil {
		t.Fatal(err)
	}
	if err := b.StartAnswers(); err != nil {
		t.Fatal(err)
	}
	if add != nil {
		add(&b, dnsmessage.ResourceHeader{Name: n, Class: dnsmessage.Class(q.class), TTL: 60})
	}
	msg, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// TestPackQueryMatchesReference checks the query bytes against the
// reference builder for every type and class a rule can ask.
func TestPackQueryMatchesReference(t *testing.T) {
	for _, spec := range []string{"myip.opendns.com", "whoami.cloudflare?type=TXT&class=CH", "o-o.myaddr.l.google.com.?type=TXT"} {
		q, err := parseQuery(V4, spec)
		if err != nil {
			t.Fatal(err)
		}
		b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: 0xBEEF, RecursionDesired: true})
		_ = b.StartQuestions()
		_ = b.Question(dnsmessage.Question{Name: dnsmessage.MustNewName(q.name), Type: dnsmessage.Type(q.typ), Class: dnsmessage.Class(q.class)})
		want, _ := b.Finish()
		if got := q.pack(0xBEEF); string(got) != string(want) {
			t.Errorf("%s: packed %x, want %x", spec, got, want)
		}
	}
}

// TestAnswerWire reads compressed answers, skips other types, and refuses
// what does not answer the question.
func TestAnswerWire(t *testing.T) {
	v4, _ := parseQuery(V4, "MyIP.example")
	v6, _ := parseQuery(V6, "myip.example")
	txt, _ := parseQuery(V4, "whoami.example?type=TXT&class=CH")
	cname := func(b *dnsmessage.Builder, rh dnsmessage.ResourceHeader) {
		rh.Class = dnsmessage.ClassINET
		_ = b.CNAMEResource(rh, dnsmessage.CNAMEResource{CNAME: dnsmessage.MustNewName("other.example.")})
	}
	for _, tc := range []struct {
		name    string
		q       dnsQuery
		msg     []byte
		want    string // address, or an error substring
		wantErr bool
	}{
		{"A after a CNAME", v4, buildAnswer(t, 7, v4, 0, func(b *dnsmessage.Builder, rh dnsmessage.ResourceHeader) {
			cname(b, rh)
			_ = b.AResource(rh, dnsmessage.AResource{A: [4]byte{192, 0, 2, 1}})
		}), "192.0.2.1", false},
		{"AAAA, mapped skipped", v6, buildAnswer(t, 7, v6, 0, func(b *dnsmessage.Builder, rh dnsmessage.ResourceHeader) {
			_ = b.AAAAResource(rh, dnsmessage.AAAAResource{AAAA: netip.MustParseAddr("::ffff:192.0.2.1").As16()})
			_ = b.AAAAResource(rh, dnsmessage.AAAAResource{AAAA: netip.MustParseAddr("2001:db8::1").As16()})
		}), "2001:db8::1", false},
		{"TXT in two strings", txt, buildAnswer(t, 7, txt, 0, func(b *dnsmessage.Builder, rh dnsmessage.ResourceHeader) {
			_ = b.TXTResource(rh, dnsmessage.TXTResource{TXT: []string{"no address here"}})
			_ = b.TXTResource(rh, dnsmessage.TXTResource{TXT: []string{"198.51.", "100.7"}})
		}), "198.51.100.7", false},
		{"no record", v4, buildAnswer(t, 7, v4, 0, cname), "no A record in the answer", true},
		{"rcode", v4, buildAnswer(t, 7, v4, dnsmessage.RCodeNameError, nil), "server answered NameError", true},
		{"rcode number", v4, buildAnswer(t, 7, v4, 9, nil), "server answered 9", true},
		{"other question", v4, buildAnswer(t, 7, v6, 0, nil), "another question", true},
		{"cut short", v4, buildAnswer(t, 7, v4, 0, func(b *dnsmessage.Builder, rh dnsmessage.ResourceHeader) {
			_ = b.AResource(rh, dnsmessage.AResource{A: [4]byte{192, 0, 2, 1}})
		})[:40], "malformed answer", true},
	} {
		a, err := tc.q.answer(tc.msg, 7)
		switch {
		case tc.wantErr && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, %v; want an error with %q", tc.name, a, err, tc.want)
		case !tc.wantErr && (err != nil || a.String() != tc.want):
			t.Errorf("%s: got %v, %v; want %s", tc.name, a, err, tc.want)
		}
	}
	if _, err := v4.answer(buildAnswer(t, 8, v4, 0, nil), 7); err != errMismatch {
		t.Errorf("another id: %v, want errMismatch", err)
	}
}

// FuzzAnswer: no message makes answer panic or loop, compression pointer
// cycles included.
func FuzzAnswer(f *testing.F) {
	q, _ := parseQuery(V4, "myip.example")
	f.Add(buildAnswer(f, 7, q, 0, func(b *dnsmessage.Builder, rh dnsmessage.ResourceHeader) {
		_ = b.AResource(rh, dnsmessage.AResource{A: [4]byte{192, 0, 2, 1}})
	}))
	// A question name that points at itself.
	f.Add([]byte{0, 7, 0x80, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1})
	f.Fuzz(func(t *testing.T, msg []byte) {
		_, _ = q.answer(msg, 7)
	})
}

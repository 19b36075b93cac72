package resolve_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-go/ddns/resolve"
	"github.com/ddns-go/ddns/resolve/dnstest"
)

// publicRule parses a `public` for the given sources (names on s).
func publicRule(t testing.TB, fam resolve.Family, cfg resolve.PublicConfig, o resolve.Options) (resolve.Rule, *resolve.Public) {
	t.Helper()
	p, err := resolve.NewPublic(cfg, o)
	if err != nil {
		t.Fatalf("NewPublic: %v", err)
	}
	o.Public = p
	return parse(t, fam, o, "public").List[0], p
}

func sources(s *dnstest.Server, names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, "dns:"+n+"@"+s.Addr.String())
	}
	return out
}

// warnings returns an Options.Warn that collects the warnings, and a
// function that reads them.
func warnings() (warn func(string), got func() []string) {
	var mu sync.Mutex
	var list []string
	return func(m string) { mu.Lock(); list = append(list, m); mu.Unlock() },
		func() []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(list) }
}

func TestPublicAgreement(t *testing.T) {
	s := dnstest.Start(t, "127.0.0.1", map[string]dnstest.Answer{
		"a1.test": {Text: pubA}, "a2.test": {Text: pubA}, "a3.test": {Text: pubA},
		"liar.test": {Text: pubB}, "liar2.test": {Text: "81.2.69.200"},
		"drop.test": {Drop: true}, "fail.test": {RCode: 2},
		"private.test": {Text: "10.0.0.1"}, "cgnat.test": {Text: "100.64.0.9"}, "doc.test": {Text: "198.51.100.4"},
		"ll.test": {Text: "169.254.1.1"}, "lo.test": {Text: "127.0.0.2"},
	})
	o := resolve.Options{Timeout: 500 * time.Millisecond}
	for _, tc := range []struct {
		name    string
		sources []string
		agree   int
		want    string
		wantErr []string
	}{
		{"two agree", []string{"a1.test", "a2.test"}, 0, pubA, nil},
		{"one liar among three", []string{"liar.test", "a1.test", "a2.test"}, 0, pubA, nil},
		{"liar first, truth after failures", []string{"liar.test", "fail.test", "private.test", "a1.test", "a2.test"}, 0, pubA, nil},
		{"non-public answers are failures", []string{"private.test", "cgnat.test", "doc.test", "ll.test", "lo.test", "a1.test", "a2.test"}, 0, pubA, nil},
		{"agree 3", []string{"a1.test", "liar.test", "a2.test", "a3.test"}, 3, pubA, nil},
		{"agree 1 takes the first", []string{"fail.test", "a1.test"}, 1, pubA, nil},
		{"all fail", []string{"fail.test", "private.test", "cgnat.test", "doc.test"}, 0, "", []string{
			"fewer than 2 sources agreed",
			"fail.test@" + s.Addr.String() + ": failed (",
			"answered 10.0.0.1, which is not a public address",
			"answered 100.64.0.9, which is not a public address",
			"answered 198.51.100.4, which is not a public address",
		}},
		{"one answer is not enough", []string{"a1.test", "fail.test", "drop.test"}, 0, "", []string{
			"fewer than 2 sources agreed", "a1.test@" + s.Addr.String() + ": " + pubA, "drop.test@" + s.Addr.String() + ": failed (",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := publicRule(t, resolve.V4, resolve.PublicConfig{Sources: sources(s, tc.sources...), Agree: tc.agree}, o)
			got, err := r.Resolve(context.Background())
			if tc.want != "" {
				if err != nil || got.String() != tc.want {
					t.Fatalf("Resolve = %v, %v; want %s", got, err, tc.want)
				}
				return
			}
			if !errors.Is(err, resolve.ErrNoAddress) {
				t.Fatalf("Resolve = %v, %v; want ErrNoAddress", got, err)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestPublicDisagreementPublishesNothing(t *testing.T) {
	s := dnstest.Start(t, "127.0.0.1", map[string]dnstest.Answer{
		"a.test": {Text: pubA}, "b.test": {Text: pubB}, "fail.test": {RCode: 2},
	})
	warn, got := warnings()
	r, _ := publicRule(t, resolve.V4, resolve.PublicConfig{Sources: sources(s, "a.test", "b.test", "fail.test")}, resolve.Options{Timeout: time.Second, Warn: warn})
	for round := range 2 {
		a, err := r.Resolve(context.Background())
		if err == nil || !errors.Is(err, resolve.ErrNoAddress) || a.IsValid() {
			t.Fatalf("round %d: Resolve = %v, %v; want nothing", round, a, err)
		}
		if !strings.Contains(err.Error(), "the sources disagree (2 different answers, see the warning)") {
			t.Errorf("error %q", err)
		}
	}
	w := got()
	if len(w) != 1 {
		t.Fatalf("%d warnings %q; want one (a lasting split is not repeated)", len(w), w)
	}
	for _, frag := range []string{"public IPv4: the sources disagree, nothing is published",
		"dns:a.test@" + s.Addr.String() + ": " + pubA, "dns:b.test@" + s.Addr.String() + ": " + pubB, "dns:fail.test@" + s.Addr.String() + ": failed"} {
		if !strings.Contains(w[0], frag) {
			t.Errorf("warning %q does not name %q", w[0], frag)
		}
	}
	// Without Warn the details go into the error.
	r, _ = publicRule(t, resolve.V4, resolve.PublicConfig{Sources: sources(s, "a.test", "b.test")}, resolve.Options{Timeout: time.Second})
	if _, err := r.Resolve(context.Background()); err == nil || !strings.Contains(err.Error(), pubA) || !strings.Contains(err.Error(), pubB) {
		t.Errorf("error %v; want both answers", err)
	}
}

func TestPublicHedgeStopsWaiting(t *testing.T) {
	s := dnstest.Start(t, "127.0.0.1", map[string]dnstest.Answer{
		"a1.test": {Text: pubA}, "a2.test": {Text: pubA}, "hang.test": {Drop: true}, "slow.test": {Text: pubA, Delay: time.Hour},
	})
	// Two hanging sources among the first three: the third answer comes
	// from the source started after the stagger, long before the budget
	// or the per-source timeout.
	r, _ := publicRule(t, resolve.V4, resolve.PublicConfig{Sources: sources(s, "hang.test", "slow.test", "a1.test", "a2.test"), Timeout: 20 * time.Second},
		resolve.Options{Timeout: 20 * time.Second})
	start := time.Now()
	got, err := r.Resolve(context.Background())
	if err != nil || got.String() != pubA {
		t.Fatalf("Resolve = %v, %v", got, err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v: the hedge waited for the hanging sources", d)
	}
	// The budget bounds the whole detection.
	r, _ = publicRule(t, resolve.V4, resolve.PublicConfig{Sources: sources(s, "hang.test", "slow.test", "a1.test"), Timeout: 200 * time.Millisecond},
		resolve.Options{Timeout: 20 * time.Second})
	start = time.Now()
	_, err = r.Resolve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "hang.test@"+s.Addr.String()+": no answer in time") {
		t.Errorf("error %v; want the hanging source named", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v with a 200ms budget", d)
	}
}

func TestPublicCancelled(t *testing.T) {
	s := dnstest.Start(t, "127.0.0.1", map[string]dnstest.Answer{"hang.test": {Drop: true}})
	r, _ := publicRule(t, resolve.V4, resolve.PublicConfig{Sources: sources(s, "hang.test", "hang.test")}, resolve.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Resolve(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v; want context.Canceled", err)
	}
}

func TestPublicCDNAnswers(t *testing.T) {
	// An echo behind Cloudflare answering with a Cloudflare address has
	// answered with its CDN, not with ours. The test client sends every
	// name to the loopback servers.
	s := dnstest.Start(t, "127.0.0.1", echoNames)
	url, ca := newDoH(t, s)
	port := url[strings.LastIndex(url, ":")+1 : strings.Index(url, "/dns-query")]
	e := newEchoServer(t)
	eport := e.URL[strings.LastIndex(e.URL, ":")+1:]
	o := resolve.Options{HTTPClient: loopbackClient(t, ca), Timeout: time.Second}
	for _, rule := range []string{
		"doh:https://cloudflare-dns.com:" + port + "/dns-query#cdn.test",
		"url:http://one.one.one.one:" + eport + "/cf",
	} {
		rs := parse(t, resolve.V4, o, rule)
		if _, err := rs.List[0].Resolve(context.Background()); err == nil || !strings.Contains(err.Error(), "answered 104.16.1.1, an address of the source's own network (104.16.0.0/13)") {
			t.Errorf("%s: %v", rule, err)
		}
	}
	rs := parse(t, resolve.V6, o, "doh:https://cloudflare-dns.com:"+port+"/dns-query#cdntxt.test?type=TXT")
	if _, err := rs.List[0].Resolve(context.Background()); err == nil || !strings.Contains(err.Error(), "own network (2606:4700::/32)") {
		t.Errorf("IPv6 CDN answer: %v", err)
	}
	// The same answer from an unrelated host is an ordinary answer.
	check(t, resolve.V4, o, "doh:https://example.com:"+port+"/dns-query#cdn.test", "104.16.1.1")
	// In public, the CDN answer is a failure and the others decide.
	r, _ := publicRule(t, resolve.V4, resolve.PublicConfig{Sources: []string{
		"doh:https://cloudflare-dns.com:" + port + "/dns-query#cdn.test",
		"doh:https://example.com:" + port + "/dns-query#myip.test",
		"dns:myip.test@" + s.Addr.String(),
	}}, o)
	if got, err := r.Resolve(context.Background()); err != nil || got.String() != pubA {
		t.Errorf("public = %v, %v; want %s", got, err, pubA)
	}
}

func TestPublicOneDetectionPerRound(t *testing.T) {
	s := dnstest.Start(t, "127.0.0.1", map[string]dnstest.Answer{"a1.test": {Text: pubA}, "a2.test": {Text: pubA}})
	p, err := resolve.NewPublic(resolve.PublicConfig{Sources: sources(s, "a1.test", "a2.test")}, resolve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Two configurations sharing the detector: each evaluates once per round.
	first := parse(t, resolve.V4, resolve.Options{Public: p}, "public").List[0]
	second := parse(t, resolve.V4, resolve.Options{Public: p}, "public").List[0]
	for round := 1; round <= 3; round++ {
		for _, r := range []resolve.Rule{first, second} {
			if got, err := r.Resolve(context.Background()); err != nil || got.String() != pubA {
				t.Fatalf("round %d: %v, %v", round, got, err)
			}
		}
		if n := s.UDPHits.Load(); n != int32(2*round) {
			t.Errorf("after round %d the sources saw %d queries; want %d (one detection per round)", round, n, 2*round)
		}
	}
	rep, ok := first.(resolve.SourceReporter)
	if !ok {
		t.Fatal("public does not report its sources")
	}
	if got := rep.AgreedSources(); len(got) != 2 || !strings.HasPrefix(got[0], "dns:a") || !strings.HasPrefix(got[1], "dns:a") {
		t.Errorf("AgreedSources = %q", got)
	}
	s.Close() // now every source fails
	if _, err := first.Resolve(context.Background()); err == nil {
		t.Fatal("no sources, and still an address")
	}
	if got := rep.AgreedSources(); got != nil {
		t.Errorf("AgreedSources after a failure = %q; want nil", got)
	}
}

func TestPublicConcurrentRulesShareOneDetection(t *testing.T) {
	s := dnstest.Start(t, "127.0.0.1", map[string]dnstest.Answer{"a1.test": {Text: pubA, Delay: 50 * time.Millisecond}, "a2.test": {Text: pubA}})
	p, _ := resolve.NewPublic(resolve.PublicConfig{Sources: sources(s, "a1.test", "a2.test")}, resolve.Options{})
	var wg sync.WaitGroup
	for range 8 {
		r := parse(t, resolve.V4, resolve.Options{Public: p}, "public").List[0]
		wg.Go(func() {
			if got, err := r.Resolve(context.Background()); err != nil || got.String() != pubA {
				t.Errorf("Resolve = %v, %v", got, err)
			}
		})
	}
	wg.Wait()
	if n := s.UDPHits.Load(); n != 2 {
		t.Errorf("sources saw %d queries; want 2", n)
	}
}

func TestPublicConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  resolve.PublicConfig
		want string
	}{
		{resolve.PublicConfig{Agree: 10}, "public agree must be from 1 to 9"},
		{resolve.PublicConfig{Agree: -1}, "public agree must be from 1 to 9"},
		{resolve.PublicConfig{Timeout: -time.Second}, "public timeout must be positive"},
		{resolve.PublicConfig{Preset: "mars"}, `unknown public preset "mars"`},
		{resolve.PublicConfig{Sources: []string{"ftp://x"}}, `public source: "ftp://x" is not a dns:, doh:, url: or http(s) source`},
		{resolve.PublicConfig{Sources: []string{"dns:x"}}, `public source: rule "dns:x": want dns:NAME@SERVER`},
	} {
		if _, err := resolve.NewPublic(tc.cfg, resolve.Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v; want %q", tc.cfg, err, tc.want)
		}
	}
	// Sources with a literal server of one family serve that family only;
	// a bare URL is url:.
	p, err := resolve.NewPublic(resolve.PublicConfig{Sources: []string{
		"dns:a@192.0.2.1", "dns:a@2001:db8::1", "dns:a@ns.example", "https://ip.example", "doh:https://[2001:db8::1]/q#a",
	}}, resolve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Sources(resolve.V4); strings.Join(got, " ") != "dns:a@192.0.2.1 dns:a@ns.example url:https://ip.example" {
		t.Errorf("IPv4 sources %q", got)
	}
	if got := p.Sources(resolve.V6); strings.Join(got, " ") != "dns:a@2001:db8::1 dns:a@ns.example url:https://ip.example doh:https://[2001:db8::1]/q#a" {
		t.Errorf("IPv6 sources %q", got)
	}
	// Too few sources of a family for the agreement: `public` cannot parse.
	p, _ = resolve.NewPublic(resolve.PublicConfig{Sources: []string{"dns:a@192.0.2.1", "dns:b@192.0.2.2", "dns:c@2001:db8::1"}}, resolve.Options{})
	if _, err := resolve.ParseWith(resolve.V6, []string{"public"}, resolve.Options{Public: p}); err == nil ||
		err.Error() != `rule "public": 1 IPv6 source(s) cannot give 2 agreeing answers` {
		t.Errorf("error %v", err)
	}
}

func TestDefaultPublic(t *testing.T) {
	for _, fam := range []resolve.Family{resolve.V4, resolve.V6} {
		for _, preset := range []string{"", "cn"} {
			p, err := resolve.NewPublic(resolve.PublicConfig{Preset: preset}, resolve.Options{})
			if err != nil {
				t.Fatalf("preset %q: %v", preset, err)
			}
			srcs := p.Sources(fam)
			kinds, hosts := map[string]bool{}, map[string]bool{}
			for _, s := range srcs {
				kind, rest, _ := strings.Cut(s, ":")
				kinds[kind] = true
				if i := strings.IndexAny(rest, "@"); i >= 0 {
					rest = rest[i+1:]
				}
				hosts[strings.SplitN(strings.TrimPrefix(strings.TrimPrefix(rest, "https://"), "http://"), "/", 2)[0]] = true
			}
			if len(srcs) < 4 || len(kinds) < 2 || len(hosts) < 4 {
				t.Errorf("preset %q %v: %q; want >= 4 sources of >= 2 kinds on >= 4 hosts", preset, fam, srcs)
			}
		}
	}
	v4 := resolve.DefaultPublic(resolve.V4)
	v4[0] = "changed"
	if resolve.DefaultPublic(resolve.V4)[0] == "changed" {
		t.Error("DefaultPublic hands out its own slice")
	}
}

func TestPublicDeps(t *testing.T) {
	rs := parse(t, resolve.V4, resolve.Options{}, "public")
	d := rs.Deps()
	if !d.DefaultRoute || !d.Poll || !d.Addrs || !d.WatchesInterface("pppoe-wan") {
		t.Errorf("Deps = %+v; want default-route and address changes (a reconnect) and polling", d)
	}
}

func TestIsPublicRanges(t *testing.T) {
	for _, a := range []string{"100.64.0.1", "100.127.255.254", "192.0.2.1", "198.51.100.1", "203.0.113.1", "198.18.0.1", "240.0.0.1",
		"10.1.1.1", "172.16.0.1", "192.168.0.1", "127.0.0.1", "169.254.0.1", "0.1.2.3", "fd00::1", "fe80::1", "2001:db8::1", "3fff::1", "64:ff9b::102:304", "::1"} {
		if resolve.IsPublic(netip.MustParseAddr(a)) {
			t.Errorf("%s counted as public", a)
		}
	}
	for _, a := range []string{pubA, "100.128.0.1", "1.2.3.4", pub6} {
		if !resolve.IsPublic(netip.MustParseAddr(a)) {
			t.Errorf("%s not counted as public", a)
		}
	}
}

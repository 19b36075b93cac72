package notify

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// seen is one request as the fake received it, with the scheme and host
// the client meant to reach.
type seen struct {
	method, scheme, host, path string
	query                      url.Values
	header                     http.Header
	body                       []byte
}

// fake is a loopback server standing in for every service: a transport
// sends each request to it whatever the URL's host, so the request can be
// checked as the real service would see it.
type fake struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []seen
	answer func(s seen) (int, string)
}

func newFake(t *testing.T) *fake {
	f := &fake{answer: func(seen) (int, string) { return 200, `{}` }}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s := seen{method: r.Method, scheme: r.Header.Get("X-Test-Scheme"), host: r.Host, path: r.URL.Path, query: r.URL.Query(), header: r.Header, body: b}
		f.mu.Lock()
		f.got = append(f.got, s)
		answer := f.answer
		f.mu.Unlock()
		code, body := answer(s)
		w.WriteHeader(code)
		io.WriteString(w, body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.got...)
}

// client sends every request to the fake, remembering the scheme.
func (f *fake) client() *http.Client {
	target, _ := url.Parse(f.srv.URL)
	return &http.Client{Timeout: 5 * time.Second, Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("X-Test-Scheme", r.URL.Scheme)
		r.Host = r.URL.Host
		r.URL.Scheme, r.URL.Host = "http", target.Host
		return f.srv.Client().Transport.RoundTrip(r)
	})}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (rt roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return rt(r) }

var testMsg = Message{Host: "router", At: time.Unix(1765000000, 0), Items: []Item{
	{Kind: Changed, Domain: "home.example.com", Type: "A", Old: "192.0.2.1", New: "192.0.2.2"},
}}

func jsonBody(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, b)
	}
	return m
}

func mentionsChange(s string) bool {
	return strings.Contains(s, "home.example.com") && strings.Contains(s, "192.0.2.1") && strings.Contains(s, "192.0.2.2")
}

func TestServices(t *testing.T) {
	now := time.Unix(1765000000, 0)
	cases := []struct {
		name, url string
		answer    string // body of the 200 answer; "" = {}
		code      int
		check     func(t *testing.T, s seen)
	}{
		{name: "generic", url: "generic+http://127.0.0.1:9/hook?x=1&@X-Api-Key=k3y-secret&$source=ddns", check: func(t *testing.T, s seen) {
			want(t, s, "POST", "http", "127.0.0.1:9", "/hook")
			if s.query.Get("x") != "1" || s.header.Get("X-Api-Key") != "k3y-secret" || s.header.Get("Content-Type") != "application/json" {
				t.Errorf("query %v header %v", s.query, s.header)
			}
			m := jsonBody(t, s.body)
			if !mentionsChange(m["message"].(string)) || m["source"] != "ddns" || m["title"] == "" || len(m["events"].([]any)) != 1 {
				t.Errorf("body %s", s.body)
			}
		}},
		{name: "generic template", url: "generic+https://hooks.example.net/x?template=%7B%22text%22%3A%22%7Btitle%7D%3A+%7Bmessage%7D%22%7D", check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "hooks.example.net", "/x")
			if m := jsonBody(t, s.body); !mentionsChange(m["text"].(string)) {
				t.Errorf("body %s", s.body)
			}
		}},
		{name: "ntfy token", url: "ntfy://:tk_abcdef123@ntfy.example.net/ddns-alerts?priority=4", check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "ntfy.example.net", "/ddns-alerts")
			if s.header.Get("Authorization") != "Bearer tk_abcdef123" || s.header.Get("Priority") != "4" || !strings.Contains(s.header.Get("Title"), "address changed") || !mentionsChange(string(s.body)) {
				t.Errorf("headers %v body %s", s.header, s.body)
			}
		}},
		{name: "ntfy basic", url: "ntfy://alice:pa55word@ntfy.sh/topic?scheme=http", check: func(t *testing.T, s seen) {
			want(t, s, "POST", "http", "ntfy.sh", "/topic")
			if u, p, ok := (&http.Request{Header: s.header}).BasicAuth(); !ok || u != "alice" || p != "pa55word" {
				t.Errorf("basic auth %q %q", u, p)
			}
		}},
		{name: "gotify", url: "gotify://gotify.example.net/sub/AppT0ken123", check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "gotify.example.net", "/sub/message")
			m := jsonBody(t, s.body)
			if s.header.Get("X-Gotify-Key") != "AppT0ken123" || !mentionsChange(m["message"].(string)) || m["priority"] != 5.0 {
				t.Errorf("header %v body %s", s.header, s.body)
			}
		}},
		{name: "telegram", url: "telegram://123456:ABC-def_ghi@telegram?chats=@ddnschan,-100123", answer: `{"ok":true,"result":{}}`, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "api.telegram.org", "/bot123456:ABC-def_ghi/sendMessage")
			m := jsonBody(t, s.body)
			if (m["chat_id"] != "@ddnschan" && m["chat_id"] != "-100123") || !mentionsChange(m["text"].(string)) {
				t.Errorf("body %s", s.body)
			}
		}},
		{name: "discord", url: "discord://wEbH00kT0ken@1234567890", code: 204, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "discord.com", "/api/webhooks/1234567890/wEbH00kT0ken")
			if m := jsonBody(t, s.body); !mentionsChange(m["content"].(string)) {
				t.Errorf("body %s", s.body)
			}
		}},
		{name: "slack webhook", url: "slack://hook:T0000AAAA-B0000BBBB-XXXXsecretXXXX@webhook", answer: "ok", check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "hooks.slack.com", "/services/T0000AAAA/B0000BBBB/XXXXsecretXXXX")
			if m := jsonBody(t, s.body); !mentionsChange(m["text"].(string)) {
				t.Errorf("body %s", s.body)
			}
		}},
		{name: "slack legacy", url: "slack://DDNSBot@T0000AAAA/B0000BBBB/XXXXsecretXXXX", answer: "ok", check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "hooks.slack.com", "/services/T0000AAAA/B0000BBBB/XXXXsecretXXXX")
			if m := jsonBody(t, s.body); m["username"] != "DDNSBot" {
				t.Errorf("body %s", s.body)
			}
		}},
		{name: "slack bot", url: "slack://xoxb:1234-5678-s3cr3t@C0123CHAN", answer: `{"ok":true}`, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "slack.com", "/api/chat.postMessage")
			m := jsonBody(t, s.body)
			if s.header.Get("Authorization") != "Bearer xoxb-1234-5678-s3cr3t" || m["channel"] != "C0123CHAN" || !mentionsChange(m["text"].(string)) {
				t.Errorf("header %v body %s", s.header, s.body)
			}
		}},
		{name: "bark", url: "bark://:DeviceKey123@bark.example.net/prefix?sound=alarm", answer: `{"code":200,"message":"success"}`, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "bark.example.net", "/prefix/push")
			m := jsonBody(t, s.body)
			if m["device_key"] != "DeviceKey123" || m["sound"] != "alarm" || !mentionsChange(m["body"].(string)) {
				t.Errorf("body %s", s.body)
			}
		}},
		{name: "pushover", url: "pushover://shoutrrr:AppTokenXYZ@UserKeyABC/?devices=phone", answer: `{"status":1,"request":"x"}`, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "api.pushover.net", "/1/messages.json")
			f, _ := url.ParseQuery(string(s.body))
			if s.header.Get("Content-Type") != "application/x-www-form-urlencoded" || f.Get("token") != "AppTokenXYZ" || f.Get("user") != "UserKeyABC" || f.Get("device") != "phone" || !mentionsChange(f.Get("message")) {
				t.Errorf("form %v", f)
			}
		}},
		{name: "wecom", url: "wecom://693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", answer: `{"errcode":0,"errmsg":"ok"}`, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "qyapi.weixin.qq.com", "/cgi-bin/webhook/send")
			m := jsonBody(t, s.body)
			if s.query.Get("key") != "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa" || m["msgtype"] != "text" || !mentionsChange(m["text"].(map[string]any)["content"].(string)) {
				t.Errorf("query %v body %s", s.query, s.body)
			}
		}},
		{name: "dingtalk signed", url: "dingtalk://AccessT0ken?secret=SEC000secret", answer: `{"errcode":0,"errmsg":"ok"}`, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "oapi.dingtalk.com", "/robot/send")
			ts := s.query.Get("timestamp")
			if s.query.Get("access_token") != "AccessT0ken" || ts != strconv.FormatInt(now.UnixMilli(), 10) {
				t.Errorf("query %v", s.query)
			}
			// DingTalk's documented check: base64(HMAC-SHA256(secret, ts+"\n"+secret)).
			if s.query.Get("sign") != hmacB64("SEC000secret", ts+"\nSEC000secret") {
				t.Errorf("sign %q", s.query.Get("sign"))
			}
			m := jsonBody(t, s.body)
			if m["msgtype"] != "text" || !mentionsChange(m["text"].(map[string]any)["content"].(string)) {
				t.Errorf("body %s", s.body)
			}
		}},
		{name: "lark signed", url: "lark://open.larksuite.com/HookT0ken?secret=LarkSecret", answer: `{"code":0,"msg":"success"}`, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "open.larksuite.com", "/open-apis/bot/v2/hook/HookT0ken")
			m := jsonBody(t, s.body)
			ts := strconv.FormatInt(now.Unix(), 10)
			// Feishu's documented check: the HMAC key is ts+"\n"+secret, the message empty.
			if m["timestamp"] != ts || m["sign"] != hmacB64(ts+"\nLarkSecret", "") || m["msg_type"] != "text" || !mentionsChange(m["content"].(map[string]any)["text"].(string)) {
				t.Errorf("body %s", s.body)
			}
		}},
		{name: "feishu", url: "feishu://HookT0ken", answer: `{"code":0}`, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "open.feishu.cn", "/open-apis/bot/v2/hook/HookT0ken")
			if m := jsonBody(t, s.body); m["sign"] != nil {
				t.Errorf("signed without a secret: %s", s.body)
			}
		}},
		{name: "serverchan", url: "serverchan://SCT12345TsendKey", answer: `{"code":0,"message":""}`, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "sctapi.ftqq.com", "/SCT12345TsendKey.send")
			f, _ := url.ParseQuery(string(s.body))
			if f.Get("title") == "" || !mentionsChange(f.Get("desp")) {
				t.Errorf("form %v", f)
			}
		}},
		{name: "serverchan3", url: "serverchan://sctp4321tKEYabc", answer: `{"code":0}`, check: func(t *testing.T, s seen) {
			want(t, s, "POST", "https", "4321.push.ft07.com", "/send/sctp4321tKEYabc.send")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			code := c.code
			if code == 0 {
				code = 200
			}
			f.answer = func(seen) (int, string) { return code, orDefault(c.answer, "{}") }
			tg, err := Parse(c.url)
			if err != nil {
				t.Fatal(err)
			}
			if err := tg.svc.send(context.Background(), f.client(), testMsg, now); err != nil {
				t.Fatalf("send: %v", err)
			}
			got := f.requests()
			if len(got) == 0 {
				t.Fatal("no request")
			}
			for _, s := range got {
				c.check(t, s)
			}
			// The service refuses: the error is permanent and names no secret.
			f.answer = func(seen) (int, string) { return 401, `{"error":"bad token"}` }
			err = redactErr(tg, tg.svc.send(context.Background(), f.client(), testMsg, now))
			if err == nil || !isPermanent(err) {
				t.Fatalf("401: %v (permanent %v)", err, isPermanent(err))
			}
			for _, sec := range tg.secrets {
				if strings.Contains(err.Error(), sec) || strings.Contains(tg.String(), sec) {
					t.Errorf("secret %q in %q / %q", sec, err, tg)
				}
			}
		})
	}
}

// TestAPIErrorInBody: services that answer 200 with an error code fail.
func TestAPIErrorInBody(t *testing.T) {
	for u, answer := range map[string]string{
		"wecom://KEYKEY":                    `{"errcode":93000,"errmsg":"invalid webhook url"}`,
		"dingtalk://TOKEN123":               `{"errcode":310000,"errmsg":"sign not match"}`,
		"lark://open.feishu.cn/TOKEN123":    `{"code":19021,"msg":"sign match fail"}`,
		"telegram://1:AAA@telegram?chats=1": `{"ok":false}`,
	} {
		f := newFake(t)
		f.answer = func(seen) (int, string) { return 200, answer }
		tg, err := Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		if err := tg.svc.send(context.Background(), f.client(), testMsg, time.Now()); err == nil {
			t.Errorf("%s: %s accepted", tg, answer)
		}
	}
}

func hmacB64(key, msg string) string {
	return base64.StdEncoding.EncodeToString(hmacSum(key, msg))
}

func want(t *testing.T, s seen, method, scheme, host, path string) {
	t.Helper()
	if s.method != method || s.scheme != scheme || s.host != host || s.path != path {
		t.Errorf("got %s %s://%s%s, want %s %s://%s%s", s.method, s.scheme, s.host, s.path, method, scheme, host, path)
	}
}

func TestParseErrors(t *testing.T) {
	for _, u := range []string{
		"nope://x", "ntfy://", "telegram://123:abc@telegram", "discord://1234", "slack://a/b", "smtp://mail.example.com/?to=a@b",
		"generic+https://h.example.com/?events=changed,exploded", "ntfy://ntfy.sh/t?family=5", "not a url", "pushover://tok@/",
	} {
		_, err := Parse(u)
		if err == nil {
			t.Errorf("%s: accepted", u)
			continue
		}
		if strings.Contains(err.Error(), "abc") {
			t.Errorf("%s: error shows the token: %v", u, err)
		}
	}
	tg, err := Parse("ntfy://ntfy.sh/t?events=failed,recovered&family=6")
	if err != nil || !tg.events[Failed] || tg.events[Changed] || tg.family != 6 {
		t.Fatalf("%v %+v", err, tg)
	}
}

// smtpFake is a loopback SMTP server that accepts AUTH PLAIN for one
// user and records the envelope and the message.
type smtpFake struct {
	ln       net.Listener
	mu       sync.Mutex
	auth     string
	from     string
	to       []string
	data     string
	done     chan struct{}
	authFail bool
}

func newSMTPFake(t *testing.T) *smtpFake {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &smtpFake{ln: ln, done: make(chan struct{})}
	go f.serve()
	t.Cleanup(func() { ln.Close(); <-f.done })
	return f
}

func (f *smtpFake) serve() {
	defer close(f.done)
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.session(c)
	}
}

func (f *smtpFake) session(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	say := func(s string) { io.WriteString(c, s+"\r\n") }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		cmd := strings.ToUpper(line)
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-fake")
			say("250 AUTH PLAIN")
		case strings.HasPrefix(cmd, "AUTH PLAIN "):
			dec, _ := base64.StdEncoding.DecodeString(line[len("AUTH PLAIN "):])
			f.mu.Lock()
			f.auth = string(dec)
			fail := f.authFail
			f.mu.Unlock()
			if fail {
				say("535 5.7.8 authentication failed")
			} else {
				say("235 ok")
			}
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			f.mu.Lock()
			f.from = line[10:]
			f.mu.Unlock()
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			f.mu.Lock()
			f.to = append(f.to, line[8:])
			f.mu.Unlock()
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			f.mu.Lock()
			f.data = b.String()
			f.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 unknown")
		}
	}
}

func TestSMTP(t *testing.T) {
	f := newSMTPFake(t)
	port := f.ln.Addr().(*net.TCPAddr).Port
	// "localhost" lets net/smtp's PlainAuth send the password without TLS,
	// as it does for loopback only.
	tg, err := Parse("smtp://ddns:m4il-pass@localhost:" + strconv.Itoa(port) + "/?from=ddns@example.com&to=me@example.com,you@example.com&encryption=auto")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := tg.svc.send(ctx, nil, testMsg, time.Now()); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.auth != "\x00ddns\x00m4il-pass" || f.from != "<ddns@example.com>" || len(f.to) != 2 || f.to[1] != "<you@example.com>" {
		t.Errorf("auth %q from %q to %q", f.auth, f.from, f.to)
	}
	if !strings.Contains(f.data, "Subject: DDNS: address changed on router\r\n") || !strings.Contains(f.data, "To: me@example.com, you@example.com") || !mentionsChange(f.data) {
		t.Errorf("data %q", f.data)
	}
}

func TestSMTPAuthRefused(t *testing.T) {
	f := newSMTPFake(t)
	f.authFail = true
	tg, _ := Parse("smtp://ddns:m4il-pass@localhost:" + strconv.Itoa(f.ln.Addr().(*net.TCPAddr).Port) + "/?from=a@example.com&to=b@example.com")
	err := redactErr(tg, tg.svc.send(context.Background(), nil, testMsg, time.Now()))
	if err == nil || !isPermanent(err) || strings.Contains(err.Error(), "m4il-pass") {
		t.Fatalf("got %v", err)
	}
}

// TestSMTPNoPasswordInClear: to a host that is not loopback and offers no
// STARTTLS, the password is never sent.
func TestSMTPNoPasswordInClear(t *testing.T) {
	f := newSMTPFake(t)
	// 127.0.0.1 by IP literal is loopback too, so the guard is checked
	// through the name the client believes it talks to.
	tg, _ := Parse("smtp://ddns:m4il-pass@mail.example.com:25/?from=a@example.com&to=b@example.com")
	m := tg.svc.(*mailer)
	m.addr = f.ln.Addr().String()
	err := m.send(context.Background(), nil, testMsg, time.Now())
	f.mu.Lock()
	defer f.mu.Unlock()
	if err == nil || f.auth != "" {
		t.Fatalf("password sent in clear: err %v auth %q", err, f.auth)
	}
}

func hmacSum(key, msg string) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return m.Sum(nil)
}

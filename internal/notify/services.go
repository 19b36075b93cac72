package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// sender delivers one message to one service.
type sender interface {
	send(ctx context.Context, hc *http.Client, m Message, now time.Time) error
}

// Target is one notification URL, parsed: the service, its filters and
// the secrets its URL holds (kept out of every message and error).
type Target struct {
	name    string // redacted URL, for logs
	svc     sender
	events  map[Kind]bool // nil = every kind
	family  int           // 4 or 6; 0 = both
	secrets []string
}

// String returns the URL with every secret replaced by ***.
func (t *Target) String() string { return t.name }

// Redact replaces the target's secrets in s.
func (t *Target) Redact(s string) string {
	for _, sec := range t.secrets {
		s = strings.ReplaceAll(s, sec, "***")
	}
	return s
}

// Parse reads a notification URL in shoutrrr's style (generic+https://,
// ntfy://, gotify://, telegram://, discord://, slack://, bark://,
// pushover://, smtp://, wecom://, dingtalk://, lark:// or feishu://,
// serverchan://). ?events=changed,failed,… and ?family=4|6 filter what
// it receives. Errors never quote the URL's secrets.
func Parse(raw string) (*Target, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return nil, errors.New("not a URL (want scheme://…)")
	}
	t := &Target{secrets: secretsOf(u)}
	t.name = redactURL(u)
	q := u.Query()
	if ev := q.Get("events"); ev != "" {
		t.events = map[Kind]bool{}
		for _, e := range strings.Split(ev, ",") {
			k := Kind(strings.TrimSpace(strings.ToLower(e)))
			if !validKind(k) {
				return nil, fmt.Errorf("%s: events: unknown event %q (want changed, failed, recovered, started, stopped)", t.name, k)
			}
			t.events[k] = true
		}
	}
	switch f := q.Get("family"); f {
	case "":
	case "4", "ipv4":
		t.family = 4
	case "6", "ipv6":
		t.family = 6
	default:
		return nil, fmt.Errorf("%s: family: want 4 or 6", t.name)
	}
	q.Del("events")
	q.Del("family")
	t.svc, err = newSender(u, q)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", t.name, err)
	}
	return t, nil
}

func validKind(k Kind) bool {
	for _, v := range kinds {
		if v == k {
			return true
		}
	}
	return false
}

// secretsOf lists every part of u that may be a secret: user info, path
// segments and query values (a few characters long at least, so that
// redaction does not shred ordinary words).
func secretsOf(u *url.URL) []string {
	var s []string
	add := func(v string) {
		if len(v) >= 4 {
			s = append(s, v, url.PathEscape(v), url.QueryEscape(v))
		}
	}
	if u.User != nil {
		add(u.User.Username())
		p, _ := u.User.Password()
		add(p)
		add(u.User.String())
	}
	for _, seg := range strings.Split(u.Path, "/") {
		add(seg)
	}
	for k, vs := range u.Query() {
		if k == "events" || k == "family" {
			continue
		}
		for _, v := range vs {
			add(v)
		}
	}
	// A host that is no host name may be a key (wecom://KEY), except the
	// placeholders shoutrrr's formats put there.
	if h := u.Hostname(); !looksLikeHost(h) && h != u.Scheme && h != "webhook" {
		add(h)
	}
	return s
}

// looksLikeHost tells a host name or address from a token in the host
// position (wecom://KEY, dingtalk://TOKEN).
func looksLikeHost(h string) bool {
	return h == "localhost" || net.ParseIP(h) != nil || (strings.Contains(h, ".") && len(h) < 64)
}

// redactURL keeps the scheme and, when it is a real host, the host:port.
func redactURL(u *url.URL) string {
	if looksLikeHost(u.Hostname()) {
		return u.Scheme + "://" + u.Host + "/***"
	}
	return u.Scheme + "://***"
}

func newSender(u *url.URL, q url.Values) (sender, error) {
	user := u.User.Username()
	pass, _ := u.User.Password()
	path := strings.Trim(u.Path, "/")
	switch strings.ToLower(u.Scheme) {
	case "generic+https", "generic+http", "generic":
		return newGeneric(u, q)
	case "ntfy":
		if path == "" {
			return nil, errors.New("ntfy: want ntfy://[user:pass@]host/topic")
		}
		host := orDefault(u.Host, "ntfy.sh")
		return &ntfy{url: scheme(q, "https") + "://" + host + "/" + path, user: user, pass: pass, priority: q.Get("priority"), tags: q.Get("tags")}, nil
	case "gotify":
		i := strings.LastIndex(path, "/")
		token, sub := path[i+1:], path[:max(i, 0)]
		if q.Get("token") != "" {
			token, sub = q.Get("token"), path
		}
		if token == "" || u.Host == "" {
			return nil, errors.New("gotify: want gotify://host[/path]/TOKEN")
		}
		s := "https"
		if yes(q.Get("disabletls")) {
			s = "http"
		}
		base := s + "://" + u.Host
		if sub != "" {
			base += "/" + sub
		}
		return &gotify{url: base + "/message", token: token, priority: atoiOr(q.Get("priority"), 5)}, nil
	case "telegram":
		token := user
		if pass != "" {
			token += ":" + pass
		}
		chats := splitList(q.Get("chats") + "," + q.Get("channels"))
		if token == "" || len(chats) == 0 {
			return nil, errors.New("telegram: want telegram://TOKEN@telegram?chats=CHAT[,CHAT]")
		}
		return &telegram{token: token, chats: chats}, nil
	case "discord":
		token, id := user, u.Host
		if token == "" || id == "" {
			return nil, errors.New("discord: want discord://TOKEN@WEBHOOK_ID")
		}
		return &discord{url: "https://discord.com/api/webhooks/" + id + "/" + token, username: q.Get("username")}, nil
	case "slack":
		return newSlack(u, q)
	case "bark":
		key := pass
		if key == "" {
			key = user
		}
		if key == "" {
			return nil, errors.New("bark: want bark://:DEVICE_KEY@host[/path]")
		}
		base := scheme(q, "https") + "://" + orDefault(u.Host, "api.day.app")
		if path != "" {
			base += "/" + path
		}
		return &bark{url: base + "/push", key: key, sound: q.Get("sound"), group: q.Get("group")}, nil
	case "pushover":
		token, userKey := pass, u.Host
		if token == "" || userKey == "" {
			return nil, errors.New("pushover: want pushover://shoutrrr:API_TOKEN@USER_KEY/")
		}
		return &pushover{token: token, user: userKey, devices: q.Get("devices"), priority: q.Get("priority")}, nil
	case "smtp":
		return newSMTP(u, q)
	case "wecom", "wechatwork":
		key := firstNonEmpty(q.Get("key"), u.Host, path)
		if key == "" {
			return nil, errors.New("wecom: want wecom://WEBHOOK_KEY")
		}
		return &wecom{key: key}, nil
	case "dingtalk":
		token := firstNonEmpty(q.Get("access_token"), user, u.Host)
		if token == "" {
			return nil, errors.New("dingtalk: want dingtalk://ACCESS_TOKEN[?secret=SEC…]")
		}
		return &dingtalk{token: token, secret: q.Get("secret")}, nil
	case "lark", "feishu":
		host, token := u.Host, path
		if token == "" { // lark://TOKEN
			host, token = "", u.Host
		}
		if host == "" {
			host = "open.feishu.cn"
			if strings.ToLower(u.Scheme) == "lark" {
				host = "open.larksuite.com"
			}
		}
		if token == "" {
			return nil, errors.New("lark: want lark://HOST/TOKEN[?secret=SEC]")
		}
		return &lark{url: "https://" + host + "/open-apis/bot/v2/hook/" + token, secret: q.Get("secret")}, nil
	case "serverchan":
		key := firstNonEmpty(user, u.Host)
		if key == "" {
			return nil, errors.New("serverchan: want serverchan://SENDKEY")
		}
		return &serverchan{url: serverChanURL(key)}, nil
	}
	return nil, fmt.Errorf("unknown notification service %q", u.Scheme)
}

func scheme(q url.Values, def string) string {
	if s := q.Get("scheme"); s == "http" || s == "https" {
		return s
	}
	return def
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func yes(s string) bool {
	switch strings.ToLower(s) {
	case "yes", "true", "1", "on":
		return true
	}
	return false
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// permanentError is a failure retrying cannot mend (bad token, bad URL).
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

func isPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// check decides from an HTTP answer whether the service took the message.
type check func(status int, body []byte) error

// statusOK accepts any 2xx answer.
func statusOK(status int, body []byte) error { return nil }

// do sends req and checks the answer. Transport errors lose their URL
// (which may hold a token); 4xx answers other than 408 and 429 are
// permanent.
func do(hc *http.Client, req *http.Request, ok check) error {
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := fmt.Errorf("HTTP %d", resp.StatusCode)
		if sn := snippet(body); sn != "" {
			err = fmt.Errorf("HTTP %d: %s", resp.StatusCode, sn)
		}
		if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != 408 && resp.StatusCode != 429 {
			return permanentError{err}
		}
		return err
	}
	return ok(resp.StatusCode, body)
}

func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

func postJSON(ctx context.Context, hc *http.Client, u string, v any, hdr http.Header, ok check) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return permanentError{errors.New("bad URL")}
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	return do(hc, req, ok)
}

func postForm(ctx context.Context, hc *http.Client, u string, form url.Values, ok check) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return permanentError{errors.New("bad URL")}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(hc, req, ok)
}

// jsonCode checks APIs that answer 200 with an error code in the body:
// field names the code, which must equal want.
func jsonCode(field string, want float64) check {
	return func(_ int, body []byte) error {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return fmt.Errorf("unexpected answer: %s", snippet(body))
		}
		v, has := m[field]
		switch x := v.(type) {
		case float64:
			if x == want {
				return nil
			}
		case bool:
			if x == (want == 1) {
				return nil
			}
		}
		if !has {
			return fmt.Errorf("unexpected answer: %s", snippet(body))
		}
		return permanentError{fmt.Errorf("refused: %s", snippet(body))}
	}
}

func titled(m Message) string { return m.Title() + "\n" + m.Text() }

// generic posts JSON (or text) to any URL: generic+https://host/path.
// Query parameters of its own: template=json|text|<template with
// {title} {message} {host} placeholders>, titlekey, messagekey, method,
// contenttype, @Header=value, $field=value; the rest stays in the URL.
type generic struct {
	url, method, template, contentType, titleKey, messageKey string
	headers                                                  http.Header
	extra                                                    map[string]string
}

func newGeneric(u *url.URL, q url.Values) (sender, error) {
	g := &generic{method: http.MethodPost, template: "json", titleKey: "title", messageKey: "message", headers: http.Header{}, extra: map[string]string{}}
	s := "https"
	if strings.EqualFold(u.Scheme, "generic+http") {
		s = "http"
	}
	rest := url.Values{}
	for k, vs := range q {
		v := vs[0]
		switch {
		case k == "template":
			g.template = v
		case k == "titlekey":
			g.titleKey = v
		case k == "messagekey":
			g.messageKey = v
		case k == "method":
			g.method = strings.ToUpper(v)
		case k == "contenttype":
			g.contentType = v
		case strings.HasPrefix(k, "@"):
			g.headers.Set(k[1:], v)
		case strings.HasPrefix(k, "$"):
			g.extra[k[1:]] = v
		default:
			rest[k] = vs
		}
	}
	if u.Host == "" {
		return nil, errors.New("generic: want generic+https://host/path")
	}
	target := url.URL{Scheme: s, Host: u.Host, User: u.User, Path: u.Path, RawQuery: rest.Encode()}
	g.url = target.String()
	return g, nil
}

func (g *generic) send(ctx context.Context, hc *http.Client, m Message, _ time.Time) error {
	var body []byte
	ct := "application/json"
	switch g.template {
	case "json":
		doc := map[string]any{g.titleKey: m.Title(), g.messageKey: m.Text(), "host": m.Host, "time": m.At.UTC().Format(time.RFC3339), "events": m.Items}
		for k, v := range g.extra {
			doc[k] = v
		}
		body, _ = json.Marshal(doc)
	case "text":
		body, ct = []byte(titled(m)), "text/plain; charset=utf-8"
	default:
		esc := func(s string) string { b, _ := json.Marshal(s); return string(b[1 : len(b)-1]) }
		body = []byte(strings.NewReplacer("{title}", esc(m.Title()), "{message}", esc(m.Text()), "{host}", esc(m.Host)).Replace(g.template))
	}
	if g.contentType != "" {
		ct = g.contentType
	}
	req, err := http.NewRequestWithContext(ctx, g.method, g.url, bytes.NewReader(body))
	if err != nil {
		return permanentError{errors.New("bad URL or method")}
	}
	for k, vs := range g.headers {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", ct)
	return do(hc, req, statusOK)
}

// ntfy: POST the text to https://host/topic with Title, Tags and Priority
// headers; user:pass is Basic auth, a password alone an access token.
type ntfy struct{ url, user, pass, priority, tags string }

func (n *ntfy) send(ctx context.Context, hc *http.Client, m Message, _ time.Time) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.url, strings.NewReader(m.Text()))
	if err != nil {
		return permanentError{errors.New("bad URL")}
	}
	req.Header.Set("Title", m.Title())
	tags := n.tags
	if tags == "" {
		tags = "globe_with_meridians"
		for _, it := range m.Items {
			if it.Kind == Failed {
				tags = "warning"
			}
		}
	}
	req.Header.Set("Tags", tags)
	if n.priority != "" {
		req.Header.Set("Priority", n.priority)
	}
	switch {
	case n.user != "":
		req.SetBasicAuth(n.user, n.pass)
	case n.pass != "":
		req.Header.Set("Authorization", "Bearer "+n.pass)
	}
	return do(hc, req, statusOK)
}

// gotify: POST /message with the application token in X-Gotify-Key.
type gotify struct {
	url, token string
	priority   int
}

func (g *gotify) send(ctx context.Context, hc *http.Client, m Message, _ time.Time) error {
	return postJSON(ctx, hc, g.url, map[string]any{"title": m.Title(), "message": m.Text(), "priority": g.priority},
		http.Header{"X-Gotify-Key": {g.token}}, statusOK)
}

// telegram: Bot API sendMessage to each chat.
type telegram struct {
	token string
	chats []string
}

func (t *telegram) send(ctx context.Context, hc *http.Client, m Message, _ time.Time) error {
	var errs []error
	for _, c := range t.chats {
		err := postJSON(ctx, hc, "https://api.telegram.org/bot"+t.token+"/sendMessage",
			map[string]any{"chat_id": c, "text": titled(m)}, nil, jsonCode("ok", 1))
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// discord: execute webhook (answers 204).
type discord struct{ url, username string }

func (d *discord) send(ctx context.Context, hc *http.Client, m Message, _ time.Time) error {
	text := "**" + m.Title() + "**\n" + m.Text()
	if len(text) > 2000 {
		text = text[:1990] + "…"
	}
	doc := map[string]any{"content": text}
	if d.username != "" {
		doc["username"] = d.username
	}
	return postJSON(ctx, hc, d.url, doc, nil, statusOK)
}

// slack: an incoming webhook (slack://hook:A-B-C@webhook or the old
// slack://A/B/C) or the Web API with a bot token
// (slack://xoxb:TOKEN@CHANNEL).
type slack struct{ webhook, token, channel, botname string }

func newSlack(u *url.URL, q url.Values) (sender, error) {
	s := &slack{botname: firstNonEmpty(q.Get("botname"), q.Get("username"))}
	user := u.User.Username()
	pass, _ := u.User.Password()
	switch {
	case user == "hook" && pass != "":
		parts := strings.Split(pass, "-")
		if len(parts) != 3 {
			return nil, errors.New("slack: a webhook token has three parts, A-B-C")
		}
		s.webhook = "https://hooks.slack.com/services/" + strings.Join(parts, "/")
	case (user == "xoxb" || user == "xoxp") && pass != "":
		s.token, s.channel = user+"-"+pass, u.Host
		if s.channel == "" {
			return nil, errors.New("slack: want slack://xoxb:TOKEN@CHANNEL")
		}
	default:
		parts := strings.Split(strings.Trim(u.Host+u.Path, "/"), "/")
		if len(parts) != 3 {
			return nil, errors.New("slack: want slack://hook:A-B-C@webhook, slack://xoxb:TOKEN@CHANNEL or slack://A/B/C")
		}
		s.webhook = "https://hooks.slack.com/services/" + strings.Join(parts, "/")
		if s.botname == "" {
			s.botname = user
		}
	}
	return s, nil
}

func (s *slack) send(ctx context.Context, hc *http.Client, m Message, _ time.Time) error {
	doc := map[string]any{"text": "*" + m.Title() + "*\n" + m.Text()}
	if s.botname != "" {
		doc["username"] = s.botname
	}
	if s.webhook != "" {
		return postJSON(ctx, hc, s.webhook, doc, nil, statusOK)
	}
	doc["channel"] = s.channel
	return postJSON(ctx, hc, "https://slack.com/api/chat.postMessage", doc,
		http.Header{"Authorization": {"Bearer " + s.token}}, jsonCode("ok", 1))
}

// bark: POST /push with the device key in the body.
type bark struct{ url, key, sound, group string }

func (b *bark) send(ctx context.Context, hc *http.Client, m Message, _ time.Time) error {
	doc := map[string]any{"title": m.Title(), "body": m.Text(), "device_key": b.key}
	if b.sound != "" {
		doc["sound"] = b.sound
	}
	if b.group != "" {
		doc["group"] = b.group
	}
	return postJSON(ctx, hc, b.url, doc, nil, jsonCode("code", 200))
}

// pushover: the messages API, form-encoded.
type pushover struct{ token, user, devices, priority string }

func (p *pushover) send(ctx context.Context, hc *http.Client, m Message, _ time.Time) error {
	f := url.Values{"token": {p.token}, "user": {p.user}, "title": {m.Title()}, "message": {m.Text()}}
	if p.devices != "" {
		f.Set("device", p.devices)
	}
	if p.priority != "" {
		f.Set("priority", p.priority)
	}
	return postForm(ctx, hc, "https://api.pushover.net/1/messages.json", f, jsonCode("status", 1))
}

// wecom: a WeCom (企业微信) group robot.
type wecom struct{ key string }

func (w *wecom) send(ctx context.Context, hc *http.Client, m Message, _ time.Time) error {
	return postJSON(ctx, hc, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="+url.QueryEscape(w.key),
		map[string]any{"msgtype": "text", "text": map[string]string{"content": titled(m)}}, nil, jsonCode("errcode", 0))
}

// dingtalk: a DingTalk custom robot; with a secret each request is signed
// (timestamp in ms, sign = base64(HMAC-SHA256(secret, ts+"\n"+secret))).
type dingtalk struct{ token, secret string }

func (d *dingtalk) send(ctx context.Context, hc *http.Client, m Message, now time.Time) error {
	q := url.Values{"access_token": {d.token}}
	if d.secret != "" {
		ts := strconv.FormatInt(now.UnixMilli(), 10)
		q.Set("timestamp", ts)
		q.Set("sign", DingTalkSign(d.secret, ts))
	}
	return postJSON(ctx, hc, "https://oapi.dingtalk.com/robot/send?"+q.Encode(),
		map[string]any{"msgtype": "text", "text": map[string]string{"content": titled(m)}}, nil, jsonCode("errcode", 0))
}

// DingTalkSign is DingTalk's robot signature of timestamp ts (ms).
func DingTalkSign(secret, ts string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// LarkSign is Feishu/Lark's bot signature of timestamp ts (s): the HMAC
// key is ts+"\n"+secret, the message empty.
func LarkSign(secret, ts string) string {
	mac := hmac.New(sha256.New, []byte(ts+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// lark: a Feishu/Lark custom bot, signed when a secret is set.
type lark struct{ url, secret string }

func (l *lark) send(ctx context.Context, hc *http.Client, m Message, now time.Time) error {
	doc := map[string]any{"msg_type": "text", "content": map[string]string{"text": titled(m)}}
	if l.secret != "" {
		ts := strconv.FormatInt(now.Unix(), 10)
		doc["timestamp"], doc["sign"] = ts, LarkSign(l.secret, ts)
	}
	return postJSON(ctx, hc, l.url, doc, nil, jsonCode("code", 0))
}

// serverchan: ServerChan Turbo (sctapi.ftqq.com) or ServerChan³
// (sctp<uid>t… keys, <uid>.push.ft07.com).
type serverchan struct{ url string }

var sc3Key = regexp.MustCompile(`^sctp(\d+)t`)

func serverChanURL(key string) string {
	if m := sc3Key.FindStringSubmatch(key); m != nil {
		return "https://" + m[1] + ".push.ft07.com/send/" + key + ".send"
	}
	return "https://sctapi.ftqq.com/" + key + ".send"
}

func (s *serverchan) send(ctx context.Context, hc *http.Client, m Message, _ time.Time) error {
	return postForm(ctx, hc, s.url, url.Values{"title": {m.Title()}, "desp": {m.Text()}}, jsonCode("code", 0))
}

package status

import (
	"bufio"
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Response is an answer of the endpoint.
type Response struct {
	Code        int
	ContentType string
	Body        []byte
}

// Respond answers one request to /status, /healthz or /metrics. With a
// non-empty token the request must carry "Authorization: Bearer <token>".
func Respond(t *Tracker, token, method, path, authorization string) Response {
	if token != "" && !bearerOK(authorization, token) {
		return text(401, "unauthorized")
	}
	if method != "GET" && method != "HEAD" {
		return text(405, "method not allowed")
	}
	switch path {
	case "/status":
		return jsonResponse(200, t.Snapshot())
	case "/healthz":
		s := t.Snapshot()
		h := Health{Healthy: s.Healthy}
		for _, rec := range s.Records {
			if !rec.Healthy {
				h.Failing = append(h.Failing, Failing{Domain: rec.Domain, Type: rec.Type, Config: rec.Config, Error: rec.Error, Since: rec.FailingSince, Permanent: rec.Permanent})
			}
		}
		if !h.Healthy {
			return jsonResponse(503, h)
		}
		return jsonResponse(200, h)
	case "/metrics":
		var b bytes.Buffer
		t.WriteMetrics(&b)
		return Response{200, "text/plain; version=0.0.4; charset=utf-8", b.Bytes()}
	}
	return text(404, "not found")
}

func text(code int, msg string) Response {
	return Response{code, "text/plain; charset=utf-8", []byte(msg + "\n")}
}

func jsonResponse(code int, v any) Response {
	b, _ := json.MarshalIndent(v, "", "  ")
	return Response{code, "application/json", append(b, '\n')}
}

// Health is the document GET /healthz returns.
type Health struct {
	Healthy bool      `json:"healthy"`
	Failing []Failing `json:"failing,omitempty"`
}

// Failing is an unhealthy record in Health.
type Failing struct {
	Domain    string     `json:"domain"`
	Type      string     `json:"type"`
	Config    string     `json:"config"`
	Error     string     `json:"error,omitempty"`
	Since     *time.Time `json:"since,omitempty"`
	Permanent bool       `json:"permanent,omitempty"`
}

func bearerOK(header, token string) bool {
	const prefix = "Bearer "
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(header[len(prefix):]), []byte(token)) == 1
}

// Listen opens the status listener: "unix:/path" is a unix socket made
// mode 0660 (a stale socket file is replaced); anything else is host:port.
// A non-loopback address is refused without a token: the endpoint shows
// the network's addresses and the configuration's domains.
func Listen(addr, token string) (net.Listener, error) {
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		if path == "" {
			return nil, errors.New("status: unix: needs a socket path")
		}
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
			os.Remove(path)
		}
		ln, err := net.Listen("unix", path)
		if err != nil {
			return nil, fmt.Errorf("status: %w", err)
		}
		// Windows has no such modes; its AF_UNIX files follow the
		// directory's ACL.
		if err := os.Chmod(path, 0o660); err != nil && runtime.GOOS != "windows" {
			ln.Close()
			return nil, fmt.Errorf("status: %w", err)
		}
		return ln, nil
	}
	if err := CheckAddr(addr, token != ""); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	return ln, nil
}

// CheckAddr validates a status address: unix:PATH, or host:port where the
// host is a loopback IP or "localhost" unless withToken.
func CheckAddr(addr string, withToken bool) error {
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		if path == "" {
			return errors.New("unix: needs a socket path")
		}
		return nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return errors.New("want host:port (127.0.0.1:9876) or unix:/path")
	}
	if withToken || host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return errors.New("a non-loopback address needs status_token")
	}
	return nil
}

// Serve answers HTTP/1.1 requests on ln until ctx is done, then closes
// the listener, waits for the connections in flight (each bounded by a
// deadline) and returns. It is a deliberately small server: one GET per
// connection, no keep-alive, at most maxConns at once. net/http's server
// would cost the router binary about 150 KB for features no scraper needs.
func Serve(ctx context.Context, ln net.Listener, t *Tracker, token string) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, maxConns)
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if !sleepCtx(ctx, 50*time.Millisecond) { // e.g. out of file descriptors
				break
			}
			continue
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			c.Close()
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			serveConn(c, t, token)
		}()
	}
	ln.Close()
	wg.Wait()
}

// maxConns bounds the connections served at once.
const maxConns = 8

// connTimeout bounds one connection from accept to the last byte.
const connTimeout = 10 * time.Second

func sleepCtx(ctx context.Context, d time.Duration) bool {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func serveConn(c net.Conn, t *Tracker, token string) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(connTimeout))
	r := textproto.NewReader(bufio.NewReaderSize(io.LimitReader(c, 16<<10), 4096))
	line, err := r.ReadLine()
	if err != nil {
		return
	}
	method, rest, ok1 := strings.Cut(line, " ")
	target, proto, ok2 := strings.Cut(rest, " ")
	hdr, err := r.ReadMIMEHeader()
	var resp Response
	switch {
	case !ok1 || !ok2 || !strings.HasPrefix(proto, "HTTP/1.") || err != nil:
		resp = text(400, "bad request")
	default:
		path, _, _ := strings.Cut(target, "?")
		resp = Respond(t, token, method, path, hdr.Get("Authorization"))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCache-Control: no-store\r\nConnection: close\r\n",
		resp.Code, reason(resp.Code), resp.ContentType, len(resp.Body))
	switch resp.Code {
	case 401:
		b.WriteString("WWW-Authenticate: Bearer realm=\"ddns\"\r\n")
	case 405:
		b.WriteString("Allow: GET, HEAD\r\n")
	}
	b.WriteString("\r\n")
	if method != "HEAD" {
		b.Write(resp.Body)
	}
	c.Write(b.Bytes())
}

func reason(code int) string {
	switch code {
	case 200:
		return "OK"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 503:
		return "Service Unavailable"
	}
	return "Status"
}

// Client returns an HTTP client and base URL for a status address, for
// `ddns status`.
func Client(addr string, timeout time.Duration) (*http.Client, string) {
	tr := &http.Transport{DisableKeepAlives: true}
	base := "http://" + addr
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		base = "http://unix"
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		}
	}
	return &http.Client{Transport: tr, Timeout: timeout}, base
}

package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// mailer sends e-mail: smtp://user:pass@host:port/?from=…&to=a,b with
// encryption=auto (STARTTLS when offered; required before a password
// leaves loopback), explicit (STARTTLS required), implicit (TLS from the
// start, port 465) or none.
type mailer struct {
	addr, host, user, pass, from, fromName, subject, encryption string
	to                                                          []string
}

func newSMTP(u *url.URL, q url.Values) (sender, error) {
	m := &mailer{host: u.Hostname(), user: u.User.Username(), from: q.Get("from"), fromName: q.Get("fromname"),
		subject: q.Get("subject"), encryption: strings.ToLower(orDefault(q.Get("encryption"), "auto")), to: splitList(q.Get("to"))}
	m.pass, _ = u.User.Password()
	port := u.Port()
	if port == "" {
		port = "587"
		if m.encryption == "implicit" || m.encryption == "implicittls" {
			port = "465"
		}
	}
	m.addr = net.JoinHostPort(m.host, port)
	switch m.encryption {
	case "implicittls":
		m.encryption = "implicit"
	case "explicittls", "starttls":
		m.encryption = "explicit"
	case "auto", "explicit", "implicit", "none":
	default:
		return nil, errors.New("smtp: encryption: want auto, explicit, implicit or none")
	}
	if m.host == "" || m.from == "" || len(m.to) == 0 {
		return nil, errors.New("smtp: want smtp://[user:pass@]host[:port]/?from=ADDR&to=ADDR[,ADDR]")
	}
	return m, nil
}

func (s *mailer) send(ctx context.Context, _ *http.Client, m Message, now time.Time) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = now.Add(30 * time.Second)
	}
	d := net.Dialer{Deadline: deadline}
	var conn net.Conn
	var err error
	tc := &tls.Config{ServerName: s.host}
	if s.encryption == "implicit" {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: tc}).DialContext(ctx, "tcp", s.addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.addr)
	}
	if err != nil {
		return err
	}
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return err
	}
	if s.encryption == "auto" || s.encryption == "explicit" {
		if has, _ := c.Extension("STARTTLS"); has {
			if err := c.StartTLS(tc); err != nil {
				return err
			}
		} else if s.encryption == "explicit" {
			return permanentError{errors.New("smtp: the server offers no STARTTLS")}
		}
	}
	if s.user != "" {
		// PlainAuth itself refuses to send the password unencrypted to
		// anything but localhost.
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.host)); err != nil {
			return permanentError{fmt.Errorf("smtp auth: %v", err)}
		}
	}
	if err := c.Mail(s.from); err != nil {
		return err
	}
	for _, r := range s.to {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	from := s.from
	if s.fromName != "" {
		from = mime.QEncoding.Encode("utf-8", s.fromName) + " <" + s.from + ">"
	}
	subject := orDefault(s.subject, m.Title())
	body := strings.ReplaceAll(m.Text(), "\n", "\r\n")
	fmt.Fprintf(w, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
		from, strings.Join(s.to, ", "), mime.QEncoding.Encode("utf-8", subject), now.Format(time.RFC1123Z), body)
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

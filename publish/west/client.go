package west

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/ddns-go/ddns/publish"
)

// errNoDomain is West's code 404: the zone is not in this account (or is
// not the domain an apidomainkey belongs to). Set moves on to the next
// split of the name.
var errNoDomain = errors.New("domain not found")

// update sends one dnsrec.update for c and returns the record id West
// reports ("" when it reports none). It returns errNoDomain for code 404;
// other failures carry West's code and message, classified by apiError or,
// for HTTP errors, by publish.Response.Err (which keeps Retry-After).
func (p *provider) update(ctx context.Context, c candidate, r publish.Record) (string, error) {
	params := publish.Extra{
		{Key: "act", Value: "dnsrec.update"},
		{Key: "domain", Value: c.zone},
		{Key: "hostname", Value: c.host},
		{Key: "record_value", Value: r.Addr.String()},
	}
	if line := lineCode(r.Line); line != "" {
		params = append(params, publish.KV{Key: "record_line", Value: line})
	}
	if p.s.ID == "" {
		params = append(params, publish.KV{Key: "apidomainkey", Value: p.s.Token})
	} else {
		params = append(params, publish.KV{Key: "username", Value: p.s.ID}, publish.KV{Key: "apikey", Value: p.s.Token})
	}
	resp, err := p.s.Do(ctx, publish.Request{
		Method: http.MethodPost,
		URL:    p.url,
		Header: http.Header{
			"Content-Type": {"application/x-www-form-urlencoded"},
			"Accept":       {"application/json"},
		},
		Body: []byte(publish.Form(params)),
	})
	if err != nil {
		return "", fmt.Errorf("dnsrec.update in %s: %w", c.zone, err)
	}
	contentType := resp.Header.Get("Content-Type")
	if err := resp.Err(); err != nil {
		// Show the body decoded and without the key, keeping the class and
		// Retry-After of the status error.
		var se *publish.StatusError
		if errors.As(err, &se) {
			se.Body = p.clean(decodeText(resp.Body, contentType))
		}
		return "", fmt.Errorf("dnsrec.update in %s: %w", c.zone, err)
	}
	a, err := parseAnswer(resp.Body, contentType)
	if err != nil {
		return "", fmt.Errorf("dnsrec.update in %s: %w", c.zone, err)
	}
	switch a.Code {
	case codeOK:
		return a.RecordID, nil
	case codeNoDomain:
		return "", errNoDomain
	}
	return "", fmt.Errorf("dnsrec.update in %s: %w", c.zone, p.apiError(a))
}

// apiError turns a West error code into an error carrying the code and
// message. West documents no code list besides 200 and 404, so codes are
// read as HTTP statuses: 401/403 mean bad credentials and other 4xx an
// invalid parameter (permanent); 408, 429, 5xx and unknown codes may pass
// (transient).
func (p *provider) apiError(a answer) error {
	err := fmt.Errorf("API code %d", a.Code)
	if msg := p.clean(a.Msg); msg != "" {
		if strings.ContainsRune(msg, utf8.RuneError) {
			msg += " (Chinese text not shown: GBK is not decoded)"
		}
		err = fmt.Errorf("API code %d: %s", a.Code, msg)
	}
	switch {
	case a.Code == http.StatusUnauthorized || a.Code == http.StatusForbidden:
		return publish.Permanent(fmt.Errorf("%w (check id = West.cn user name with token = API key, or an empty id with the domain's apidomainkey)", err))
	case a.Code == http.StatusRequestTimeout || a.Code == http.StatusTooManyRequests:
		return err
	case a.Code >= 400 && a.Code < 500:
		return publish.Permanent(err)
	}
	return err
}

// maxMessage bounds the API text quoted in an error.
const maxMessage = 200

// clean makes API text fit for a one-line error: whitespace collapsed,
// clipped, and the token masked in case West echoes it.
func (p *provider) clean(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if p.s.Token != "" {
		s = strings.ReplaceAll(s, p.s.Token, publish.Mask(p.s.Token))
	}
	return publish.Clip(s, maxMessage)
}

// lineCodes maps the line names users know from other Chinese DNS services
// to West's line codes. West reads parameters as GBK, so Chinese names sent
// as UTF-8 would arrive garbled; the codes are plain ASCII. The default
// line is West's when no record_line is sent.
var lineCodes = map[string]string{
	"默认": "", "default": "",
	"电信": "LTEL", "联通": "LCNC", "移动": "LMOB",
	"教育网": "LEDU", "搜索引擎": "LSEO", "境外": "LFOR",
}

// lineCode returns the record_line to send for a configured line: "" for
// none or the default line, West's code for a known name, else the line
// as configured (e.g. a code such as "LTEL").
func lineCode(line string) string {
	line = strings.TrimSpace(line)
	if code, ok := lineCodes[strings.ToLower(line)]; ok {
		return code
	}
	return line
}

package west

import (
	"mime"
	"strings"
	"unicode/utf8"
)

// decodeText returns a West answer as UTF-8 text.
//
// West answers in GBK (Content-Type "…; charset=gb2312"). A real GBK
// decoder needs golang.org/x/text, which this module does not depend on,
// so only the ASCII subset is decoded: every GBK double-byte character (and
// GB18030 four-byte sequence) becomes U+FFFD. That keeps everything this
// package reads — JSON structure, codes, ids, addresses — and loses only
// the wording of Chinese messages. Decoding by character rather than by
// byte matters: a GBK trail byte may be an ASCII '\' or '"'-range byte
// (0x40–0x7E), which read as ASCII would break the JSON around it.
//
// Like the original client, the declared charset wins; without one, valid
// UTF-8 is taken as UTF-8 and anything else as GBK.
func decodeText(body []byte, contentType string) string {
	if !isGBK(contentType) && utf8.Valid(body) {
		return string(body)
	}
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c < 0x80:
			b.WriteByte(c)
			i++
			continue
		case c == 0x80 || c == 0xFF:
			// Not a lead byte in GBK.
			i++
		case i+3 < len(body) && isDigit(body[i+1]) && body[i+2] >= 0x81 && body[i+2] <= 0xFE && isDigit(body[i+3]):
			// GB18030 four-byte sequence.
			i += 4
		case i+1 < len(body) && body[i+1] >= 0x40 && body[i+1] <= 0xFE && body[i+1] != 0x7F:
			// GBK double-byte character: lead 0x81–0xFE, trail 0x40–0xFE except 0x7F.
			i += 2
		default:
			// A lead byte without a valid trail byte: skip it alone, so
			// the ASCII byte after it is kept.
			i++
		}
		b.WriteRune(utf8.RuneError)
	}
	return b.String()
}

// isGBK reports whether a Content-Type declares a GBK-family charset.
func isGBK(contentType string) bool {
	if contentType == "" {
		return false
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch strings.ToLower(params["charset"]) {
	case "gbk", "gb2312", "gb18030", "cp936", "x-gbk":
		return true
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

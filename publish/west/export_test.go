package west

// ParseAnswer exposes the response parser to the black-box tests.
func ParseAnswer(body []byte, contentType string) (code int, msg, recordID string, err error) {
	a, err := parseAnswer(body, contentType)
	return a.Code, a.Msg, a.RecordID, err
}

// DecodeText exposes the GBK-tolerant body decoder.
var DecodeText = decodeText

// Candidates exposes the zone search order as "host|zone" pairs.
func Candidates(domain string) ([]string, error) {
	cs, err := candidates(domain)
	var out []string
	for _, c := range cs {
		out = append(out, c.host+"|"+c.zone)
	}
	return out, err
}

package dnscom

// ParseAll feeds body to every reply parser, as the provider would for
// each action, so the fuzz test reaches them all.
func ParseAll(body []byte) {
	a, err := parseAnswer(body)
	if err != nil {
		return
	}
	_ = a.ok()
	_ = text(a.Message)
	_, _, _ = parseZone(a.Data)
	_, _ = parseRecords(a.Data)
	_, _ = parseRecordID(a.Data)
}

// Timestamp exposes the timestamp format to tests.
var Timestamp = timestamp

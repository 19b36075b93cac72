package cloudns

// Parse runs the response parsers on body, for the black-box fuzz test.
func Parse(body []byte) {
	_, _ = parseZone(body)
	_, _ = parseRecords(body)
	_, _ = parseWrite(body)
}

// RoundTTL exposes the TTL rounding to the black-box tests.
var RoundTTL = roundTTL

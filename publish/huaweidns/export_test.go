package huaweidns

// Exported for the black-box tests: the signer, so the recorded vectors'
// intermediates can be compared, and the parsers, for fuzzing.

type Header = header
type Signature = signature

var (
	Sign          = sign
	CanonicalURI  = canonicalURI
	ParseZoneID   = parseZoneID
	ParseRecords  = parseRecords
	ParseRecordID = parseRecordID
	ParseError    = parseError
)

// NewHeader builds a signed header for Sign.
func NewHeader(name, value string) Header { return header{name, value} }

package tencentcloud

// Exported for the black-box tests: the response parsers, for fuzzing.
var (
	ParseDomainID = parseDomainID
	ParseRecords  = parseRecords
	ParseRecordID = parseRecordID
)

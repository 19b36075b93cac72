package edgeone

// Exported for the black-box tests: the response parsers, for fuzzing.
var (
	ParseZoneID             = parseZoneID
	ParseDNSRecords         = parseDNSRecords
	ParseAccelerationDomain = parseAccelerationDomain
	ParseRecordID           = parseRecordID
)

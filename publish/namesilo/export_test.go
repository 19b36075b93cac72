package namesilo

// ParseReply exposes the response parser to the black-box tests: the
// reply code, the record ids listed and the record_id answered.
func ParseReply(body []byte) (code string, listed []string, recordID string, err error) {
	rep, err := parseReply(body)
	for _, r := range rep.Records {
		listed = append(listed, string(r.ID))
	}
	return string(rep.Code), listed, string(rep.RecordID), err
}

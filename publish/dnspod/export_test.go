package dnspod

// ParseAnswer exposes the response parser to the black-box fuzz test.
func ParseAnswer(body []byte) error {
	_, err := parseAnswer(body)
	return err
}

package huaweidnsfake

import (
	"encoding/json"
	"io"
	"net/http"
)

// apiError is an error answer. The API gateway (authentication, routing,
// throttling) answers {"error_code", "error_msg", "request_id"}; the DNS
// service itself {"code", "message"}.
type apiError struct {
	Status        int
	Gateway       bool
	Code, Message string
}

func gatewayAuthError(detail string) *apiError {
	return &apiError{Status: http.StatusUnauthorized, Gateway: true, Code: "APIGW.0301", Message: "Incorrect IAM authentication information: " + detail}
}

func zoneNotFound() *apiError {
	return &apiError{Status: http.StatusNotFound, Code: "DNS.0302", Message: "This zone does not exist."}
}

func invalid(code, msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: code, Message: msg}
}

func (e *apiError) write(w http.ResponseWriter) {
	if e.Gateway {
		writeJSON(w, e.Status, map[string]string{"error_code": e.Code, "error_msg": e.Message, "request_id": "0123456789abcdef0123456789abcdef"})
		return
	}
	writeJSON(w, e.Status, map[string]string{"code": e.Code, "message": e.Message})
}

func writeFault(w http.ResponseWriter, f *Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Body == "" {
		e := &apiError{Status: f.Status, Code: "DNS.0001", Message: "Internal error."}
		if f.Status == http.StatusTooManyRequests {
			e = &apiError{Status: f.Status, Gateway: true, Code: "APIGW.0308", Message: "The throttling threshold has been reached: policy user over ratelimit, limit:100, time:1 minute"}
		}
		e.write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Status)
	io.WriteString(w, f.Body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

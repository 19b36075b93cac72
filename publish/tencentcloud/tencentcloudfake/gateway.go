package tencentcloudfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Error is an API 3.0 error: answered with HTTP 200 as
// {"Response": {"Error": {"Code", "Message"}, "RequestId"}}.
type Error struct{ Code, Message string }

// Fault is an injected answer, given before authentication, as a
// throttling front end or a broken backend would. Without Body, Code and
// Message make an API error answer, and with neither the status picks
// one: 429 RequestLimitExceeded, anything else InternalError.
type Fault = publishtest.Fault

// Faults every Tencent Cloud API answers.
var (
	// Throttled is how API 3.0 really refuses an excess request: HTTP 200
	// and an error code.
	Throttled = Fault{Code: "RequestLimitExceeded", Message: "请求的次数超过了频率限制。"}
	// MalformedJSON is a 200 answer cut short.
	MalformedJSON = Fault{Body: `{"Response": {"RecordList": [{"RecordId": `}
)

// Handler serves one action: it returns the members of the Response
// object (RequestId is added) or an error.
type Handler func(action string, params json.RawMessage) (map[string]any, *Error)

// Action serves one action: its parameters, the Response's members or
// an error.
type Action func(params json.RawMessage) (map[string]any, *Error)

// Actions is the Handler of a fake serving actions, each called with mu
// held; any other action is refused as the gateway refuses it.
func Actions(mu *sync.Mutex, actions map[string]Action) Handler {
	return func(action string, params json.RawMessage) (map[string]any, *Error) {
		serve, ok := actions[action]
		if !ok {
			return nil, &Error{"InvalidAction", "The requested action `" + action + "` does not exist."}
		}
		mu.Lock()
		defer mu.Unlock()
		return serve(params)
	}
}

// maxSkew is how far X-TC-Timestamp may be from the server's clock:
// Tencent Cloud refuses signatures more than five minutes off.
const maxSkew = 5 * time.Minute

// Gateway is the API 3.0 front door shared by the Tencent Cloud fakes: it
// logs requests by action and answers queued faults (publishtest.Base),
// checks the
// TC3-HMAC-SHA256 signature and the common headers as the real gateway
// does, and wraps answers in the Response envelope. Set the fields before
// serving; the methods are safe for concurrent use.
type Gateway struct {
	SecretID, SecretKey string
	Service             string           // credential scope service: "dnspod", "teo"
	Version             string           // the one X-TC-Version served
	Now                 func() time.Time // server clock; nil = time.Now

	publishtest.Base // requests (action: X-TC-Action), counts, faults

	mu  sync.Mutex
	seq int
}

// Serve answers one request with h after the gateway's checks.
func (g *Gateway) Serve(w http.ResponseWriter, r *http.Request, h Handler) {
	action := r.Header.Get("X-TC-Action")
	fault := g.Take(r, action)
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	g.mu.Lock()
	g.seq++
	reqID := fmt.Sprintf("6e1b0c1e-7d4c-4c8e-9a52-%012d", g.seq)
	g.mu.Unlock()

	if fault != nil {
		writeFault(w, fault, reqID)
		return
	}
	if e := g.check(r, body, action); e != nil {
		writeError(w, http.StatusOK, e, reqID)
		return
	}
	out, e := h(action, body)
	if e != nil {
		writeError(w, http.StatusOK, e, reqID)
		return
	}
	if out == nil {
		out = map[string]any{}
	}
	out["RequestId"] = reqID
	writeJSON(w, http.StatusOK, map[string]any{"Response": out})
}

// check runs the gateway's checks in the real order: signature first,
// then the common parameters.
func (g *Gateway) check(r *http.Request, body []byte, action string) *Error {
	if r.Method != http.MethodPost {
		return &Error{"UnsupportedProtocol", "This fake serves POST requests only."}
	}
	if e := g.authenticate(r, body); e != nil {
		return e
	}
	if action == "" {
		return &Error{"MissingParameter", "The request is missing a required parameter `Action`."}
	}
	if v := r.Header.Get("X-TC-Version"); v != g.Version {
		return &Error{"NoSuchVersion", fmt.Sprintf("The requested version `%s` of API `%s` does not exist.", v, action)}
	}
	if !json.Valid(body) || !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		return &Error{"InvalidParameter", "The request body is not a JSON object."}
	}
	return nil
}

func (g *Gateway) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

func writeFault(w http.ResponseWriter, f *Fault, reqID string) {
	if f.Body == "" && f.Code == "" {
		f.Code, f.Message = "InternalError", "内部错误。"
		if f.Status == http.StatusTooManyRequests {
			f.Code, f.Message = "RequestLimitExceeded", "请求的次数超过了频率限制。"
		}
	}
	status := f.StatusOr(http.StatusOK)
	if f.Body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	if f.WritePlain(w) {
		return
	}
	writeError(w, status, &Error{f.Code, f.Message}, reqID)
}

func writeError(w http.ResponseWriter, status int, e *Error, reqID string) {
	writeJSON(w, status, map[string]any{"Response": map[string]any{
		"Error":     map[string]string{"Code": e.Code, "Message": e.Message},
		"RequestId": reqID,
	}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Decode parses an action's parameters into v (a pointer to a struct of
// pointer fields named like the parameters, or embedding such structs:
// the parameters several actions share), as the API does: parameter
// names are case-sensitive, and an unknown parameter or a value of the
// wrong JSON type is an error naming it.
func Decode(params json.RawMessage, v any) *Error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(params, &keys); err != nil {
		return &Error{"InvalidParameter", "The request body is not a JSON object."}
	}
	known := map[string]bool{}
	parameters(reflect.TypeOf(v).Elem(), known)
	for k := range keys {
		if !known[k] {
			return &Error{"UnknownParameter", fmt.Sprintf("The parameter `%s` is not recognized.", k)}
		}
	}
	if err := json.Unmarshal(params, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &Error{"InvalidParameter", fmt.Sprintf("The value type of parameter `%s` is incorrect.", te.Field)}
		}
		return &Error{"InvalidParameter", "The request body is not valid: " + err.Error()}
	}
	return nil
}

// parameters notes the parameter names of the struct type t in known.
func parameters(t reflect.Type, known map[string]bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			parameters(f.Type, known)
			continue
		}
		name := f.Name
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" {
			name = tag
		}
		known[name] = true
	}
}

// Missing returns the error for a required parameter that is absent.
func Missing(name string) *Error {
	return &Error{"MissingParameter", fmt.Sprintf("The request is missing a required parameter `%s`.", name)}
}

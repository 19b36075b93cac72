package tencentcloudfake

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// authenticate verifies a TC3-HMAC-SHA256 signature as the gateway does,
// independently of the provider's signer: it parses Authorization, checks
// the timestamp, the key id and the credential scope, rebuilds the
// canonical request from what was received (the listed headers with
// lower-cased names and values, the path, the body hash) and compares
// HMAC(derived key, string to sign). Codes and messages are the API's.
func (g *Gateway) authenticate(r *http.Request, body []byte) *Error {
	fields, ok := publishtest.AuthFields(r.Header.Get("Authorization"), "TC3-HMAC-SHA256 ")
	if !ok {
		return invalidAuthorization()
	}
	cred := strings.Split(fields["Credential"], "/")
	signedHeaders, sig := fields["SignedHeaders"], fields["Signature"]
	if len(cred) != 4 || cred[3] != "tc3_request" || signedHeaders == "" || sig == "" {
		return invalidAuthorization()
	}
	id, date, service := cred[0], cred[1], cred[2]

	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return &Error{"InvalidParameter", "The value of parameter `Timestamp` is invalid."}
	}
	signedAt := time.Unix(ts, 0)
	if d := g.now().Sub(signedAt); d > maxSkew || d < -maxSkew {
		return &Error{"AuthFailure.SignatureExpire", "签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。"}
	}
	if id != g.SecretID {
		return &Error{"AuthFailure.SecretIdNotFound", "密钥不存在。请在控制台检查密钥是否已被删除或者禁用，如状态正常，请检查密钥是否填写正确，注意前后不得有空格。"}
	}
	names := strings.Split(signedHeaders, ";")
	if !slices.Contains(names, "content-type") || !slices.Contains(names, "host") ||
		date != signedAt.UTC().Format(time.DateOnly) || service != g.Service {
		return signatureFailure()
	}

	// TC3 lower-cases the names and the values of the signed headers.
	canon := strings.ToLower(publishtest.CanonicalHeaders(r, names))
	cr := strings.Join([]string{r.Method, publishtest.CanonicalPath(r), r.URL.RawQuery, canon, signedHeaders, publish.HexSHA256(body)}, "\n")
	scope := date + "/" + service + "/tc3_request"
	sts := "TC3-HMAC-SHA256\n" + strconv.FormatInt(ts, 10) + "\n" + scope + "\n" + publish.HexSHA256([]byte(cr))
	key := publish.HMACSHA256([]byte("TC3"+g.SecretKey), date)
	key = publish.HMACSHA256(key, service)
	key = publish.HMACSHA256(key, "tc3_request")
	if !publishtest.SameSignature(sig, publish.HMACSHA256(key, sts)) {
		return signatureFailure()
	}
	return nil
}

func invalidAuthorization() *Error {
	return &Error{"AuthFailure.InvalidAuthorization", "请求头部的 Authorization 不符合腾讯云标准。"}
}

func signatureFailure() *Error {
	return &Error{"AuthFailure.SignatureFailure", "请求签名验证失败，请检查您的签名计算是否正确。"}
}

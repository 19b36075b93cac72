package tencentcloudfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// authenticate verifies a TC3-HMAC-SHA256 signature as the gateway does,
// independently of the provider's signer: it parses Authorization, checks
// the timestamp, the key id and the credential scope, rebuilds the
// canonical request from what was received (the listed headers with
// lower-cased names and values, the path, the body hash) and compares
// HMAC(derived key, string to sign). Codes and messages are the API's.
func (g *Gateway) authenticate(r *http.Request, body []byte) *Error {
	const scheme = "TC3-HMAC-SHA256 "
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, scheme) {
		return invalidAuthorization()
	}
	fields := map[string]string{}
	for _, f := range strings.Split(strings.TrimPrefix(auth, scheme), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		fields[k] = v
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

	var canon strings.Builder
	for _, n := range names {
		v := r.Header.Get(n)
		if n == "host" {
			v = r.Host
		}
		canon.WriteString(strings.ToLower(n) + ":" + strings.ToLower(strings.TrimSpace(v)) + "\n")
	}
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	cr := strings.Join([]string{r.Method, path, r.URL.RawQuery, canon.String(), signedHeaders, hexSHA256(body)}, "\n")
	scope := date + "/" + service + "/tc3_request"
	sts := "TC3-HMAC-SHA256\n" + strconv.FormatInt(ts, 10) + "\n" + scope + "\n" + hexSHA256([]byte(cr))
	key := mac([]byte("TC3"+g.SecretKey), date)
	key = mac(key, service)
	key = mac(key, "tc3_request")
	want := hex.EncodeToString(mac(key, sts))
	if !hmac.Equal([]byte(want), []byte(sig)) {
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

func mac(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func hexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

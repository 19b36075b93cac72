package tencentcloudfake

import (
	"encoding/json"
	"os"
)

// VectorFile is the layout of the shared spec's vectors/tencentcloud.json,
// edgeone.json and edgeone_dns.json: TC3 signing vectors (and complete
// runs of the original client, recorded with its clock pinned, which
// publishtest.ReadFlows reads).
type VectorFile struct {
	SigningVectors []SigningVector `json:"signing_vectors"`
}

// SigningVector is one signature computed by the original client, with
// its inputs and every intermediate. The public Tencent example gives a
// derived key, headers and a body hash instead of credentials and
// parameters.
type SigningVector struct {
	Name   string `json:"name"`
	Inputs struct {
		SecretID       string          `json:"secret_id"`
		SecretKey      string          `json:"secret_key"`
		Service        string          `json:"service"`
		Host           string          `json:"host"`
		Method         string          `json:"method"`
		CanonicalURI   string          `json:"canonical_uri"`
		CanonicalQuery string          `json:"canonical_query_string"`
		ContentType    string          `json:"content_type"`
		Action         string          `json:"action"`
		Version        string          `json:"version"`
		Timestamp      string          `json:"timestamp"`
		Date           string          `json:"date_utc"`
		Params         json.RawMessage `json:"params"`
		SigningKeyHex  string          `json:"secret_signing_hex"`
		HeadersToSign  json.RawMessage `json:"headers_to_sign"`
		BodySHA256     string          `json:"body_sha256"`
		Scope          string          `json:"credential_scope"`
	} `json:"inputs"`
	Intermediate struct {
		Body                   string `json:"body"`
		BodySHA256             string `json:"body_sha256"`
		CredentialScope        string `json:"credential_scope"`
		SecretDateHex          string `json:"secret_date_hex"`
		SecretServiceHex       string `json:"secret_service_hex"`
		SecretSigningHex       string `json:"secret_signing_hex"`
		SignedHeaders          string `json:"signed_headers"`
		CanonicalRequest       string `json:"canonical_request"`
		HashedCanonicalRequest string `json:"hashed_canonical_request"`
		StringToSign           string `json:"string_to_sign"`
	} `json:"intermediate"`
	Expected struct {
		Signature      string            `json:"signature"`
		Authorization  string            `json:"authorization"`
		RequestURL     string            `json:"request_url"`
		RequestHeaders map[string]string `json:"request_headers_before_transport"`
		RequestBody    string            `json:"request_body"`
	} `json:"expected"`
}

// LoadVectors reads a vector file.
func LoadVectors(path string) (VectorFile, error) {
	var vf VectorFile
	data, err := os.ReadFile(path)
	if err != nil {
		return vf, err
	}
	err = json.Unmarshal(data, &vf)
	return vf, err
}

package cloudflarefake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account reached with an API
// token, seen as the provider test kit sees every service.
func Service() publishtest.Service {
	const token = "Kit_Cloudflare-Token-0123456789abcdefghi"
	return service(Credentials{Token: token}, "", token, "Kit_Cloudflare-Token-WRONG-456789abcdef")
}

// GlobalKeyService is Service for an account reached with its e-mail
// and Global API Key (the id and the token).
func GlobalKeyService() publishtest.Service {
	const email, key = "ops@example.com", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2"
	return service(Credentials{Email: email, Key: key}, email, key, "ffffffffffffffffffffffffffffffffffff0")
}

func service(creds Credentials, id, token, bad string) publishtest.Service {
	f := New(creds)
	s := publishtest.Service{
		Provider: "cloudflare", ID: id, Token: token, BadToken: bad,
		Fake: f, AddZone: func(name string) { f.AddZone(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(f.Records,
		func(r Record) string { return r.Content }, func(_ string, r Record) { f.DeleteRecord(r.ID) })
	return s
}

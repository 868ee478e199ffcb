// The contract between the glue and an adapter's JWT library (Library: the verify call,
// key import and choice, the claim checks, the vendor profiles' few library calls) and
// VendorProfiles, which builds the pendo, watson, pomerium, pomerium-proxy and coyo
// handlers around it.

package glue

import (
	"crypto/rsa"
	"encoding/json"
)

// Token is the parsed, not yet verified token a key chooser sees.
type Token struct {
	// Alg is the header's alg.
	Alg string
	// Kid is the header's kid (nil: none).
	Kid *string
	// KidShown is the kid as the library's adapter writes it in a detail.
	KidShown string
	// Jku is the header's jku (HasJku: present).
	Jku    interface{}
	HasJku bool
	// Claims are the unverified claims (nil when the payload is no JSON object).
	Claims map[string]interface{}
	// Lib is the library's own view of the token.
	Lib interface{}
}

// Verified is a token the library verified.
type Verified struct {
	// Claims are its claims as the library decoded them.
	Claims map[string]interface{}
	// Lib is the library's own result (what CheckClaims reads).
	Lib interface{}
}

// Expect is what CheckClaims checks besides the time claims.
type Expect struct {
	// Audience and Issuer, when set, must be the token's.
	Audience, Issuer *string
	// RequireExp: a token without exp is a claim_missing.
	RequireExp bool
}

// Library is what an adapter implements with its JWT library; K is its key type.
type Library[K any] interface {
	// ImportKeys reads keys for algorithm alg; a key that does not import is left out
	// with a note.
	ImportKeys(raw []json.RawMessage, alg string, notes *[]string) []K
	// Candidates are the keys that may verify t with alg (kid, use, key_ops, alg).
	Candidates(keys []K, t *Token, alg string) []K
	// DeclaresAlg: whether k's own alg member is alg.
	DeclaresAlg(k K, alg string) bool
	// SecretKey is an HMAC secret configured under a name.
	SecretKey(name string, secret []byte) K
	// Verify verifies token with one of algs and the keys choose picks (each in turn);
	// no claim is checked. Its failures are *Reject.
	Verify(token string, algs []string, choose func(t *Token) ([]K, error)) (*Verified, error)
	// CheckClaims checks v's claims at now with skew seconds of leeway, as the library does.
	CheckClaims(v *Verified, want Expect, now, skew int64) error
	// PeekAlg is the alg of token's header, unverified ("" when it does not parse).
	PeekAlg(token string) string
	// IssuerIs: whether the unverified claims' iss is issuer, by the library's own check.
	IssuerIs(claims map[string]interface{}, issuer string) bool
	// PrivateRSA reads an RSA private JWK (Watson's decryption key).
	PrivateRSA(raw json.RawMessage) (*rsa.PrivateKey, error)
	// SignES256 signs claims as a JWT with the ES256 private JWK key (its kid in the header).
	SignES256(key json.RawMessage, claims map[string]interface{}) (string, error)
}

// Vendor is an adapter's library with what the vendor profiles' details name.
type Vendor[K any] struct {
	Lib Library[K]
	// ExpMissing is the detail of a token without exp where exp is required (watson).
	ExpMissing string
}

// VendorProfiles adds the pendo, watson, pomerium, pomerium-proxy and coyo handlers to h.
func VendorProfiles[K any](v Vendor[K], h map[string]Handler) map[string]Handler {
	h["pendo"] = v.pendo
	h["watson"] = v.watson
	h["pomerium"] = v.pomerium
	h["pomerium-proxy"] = v.proxy
	h["coyo"] = v.coyo
	return h
}

// CoreContext is the context of the core and jws profiles.
type CoreContext struct {
	Algorithm  string            `json:"algorithm"`
	Algorithms []string          `json:"algorithms"`
	Keys       []json.RawMessage `json:"keys"`
	Skew       int64             `json:"skew"`
}

// CoreInput is a core or jws case's context and its input.token.
func CoreInput(c *Case) (*CoreContext, string, error) {
	var ctx CoreContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, "", err
	}
	token, err := tokenInput(c)
	if err != nil {
		return nil, "", err
	}
	return &ctx, token, nil
}

// tokenInput is the case's input.token.
func tokenInput(c *Case) (string, error) {
	var token string
	if err := json.Unmarshal(c.Input["token"], &token); err != nil {
		return "", Rejectf("malformed", "input.token is not a string")
	}
	return token, nil
}

// KeyOpsVerify: whether a JWK's key_ops (as JSON decodes it; nil when absent) lets it
// verify (RFC 7517 §4.3): absent, or an array holding "verify".
func KeyOpsVerify(keyOps interface{}) bool {
	if keyOps == nil {
		return true
	}
	ops, ok := keyOps.([]interface{})
	found := false
	for _, o := range ops {
		if o == "verify" {
			found = true
		}
	}
	return ok && found
}

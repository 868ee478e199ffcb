// golang-jwt as the shared glue's Library (glue/go/library.go): the verify call and the
// claim checks of verify.go, the keys of keys.go, and the few library calls the vendor
// profiles make (the unverified alg, MapClaims.VerifyIssuer, Watson's decryption key,
// the pomerium-proxy assertion signed with jwt.NewWithClaims(jwt.SigningMethodES256, ...)).

package main

import (
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"math/big"

	jwt "github.com/golang-jwt/jwt/v4"
	"jwtc/glue"
)

// expMissing is the detail of a token without exp where the profile requires it.
const expMissing = "exp missing (VerifyExpiresAt with req true)"

type library struct{}

func (library) ImportKeys(raw []json.RawMessage, alg string, notes *[]string) []*Key {
	return importKeys(raw, alg, notes)
}

func (library) Candidates(keys []*Key, t *glue.Token, alg string) []*Key {
	return candidates(keys, t.Kid, alg)
}

func (library) DeclaresAlg(k *Key, alg string) bool {
	return k.JWK.Alg != nil && *k.JWK.Alg == alg
}

func (library) SecretKey(name string, secret []byte) *Key {
	return &Key{Kid: name, JWK: &JWK{}, Key: secret}
}

func (library) Verify(token string, algs []string, choose func(t *glue.Token) ([]*Key, error)) (*glue.Verified, error) {
	v, err := verify(token, algs, choose)
	if err != nil {
		return nil, err
	}
	return &glue.Verified{Claims: v.Claims, Lib: v}, nil
}

// CheckClaims: MapClaims.VerifyAudience, VerifyIssuer, exp present when required, then
// checkTimes (verify.go).
func (library) CheckClaims(v *glue.Verified, want glue.Expect, now, skew int64) error {
	cl := jwt.MapClaims(v.Claims)
	if want.Audience != nil && !cl.VerifyAudience(*want.Audience, true) {
		return glue.Rejectf("audience_mismatch", "golang-jwt: VerifyAudience(%q) is false for aud %s", *want.Audience, glue.Describe(cl["aud"]))
	}
	if want.Issuer != nil && !cl.VerifyIssuer(*want.Issuer, true) {
		return glue.Rejectf("issuer_mismatch", "golang-jwt: VerifyIssuer(%q) is false for iss %s", *want.Issuer, glue.Describe(cl["iss"]))
	}
	if _, ok := cl["exp"]; want.RequireExp && !ok {
		return glue.Rejectf("claim_missing", "%s", expMissing)
	}
	if r := checkTimes(cl, now, skew); r != nil {
		return r
	}
	return nil
}

func (library) PeekAlg(token string) string {
	if t, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{}); err == nil {
		return t.Method.Alg()
	}
	return ""
}

func (library) IssuerIs(claims map[string]interface{}, issuer string) bool {
	return jwt.MapClaims(claims).VerifyIssuer(issuer, true)
}

// PrivateRSA: the JWK's public part (keys.go) with d, p and q, validated by Go.
func (library) PrivateRSA(raw json.RawMessage) (*rsa.PrivateKey, error) {
	var j JWK
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, err
	}
	pub, err := publicKey(&j)
	if err != nil {
		return nil, err
	}
	rp, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("decryption_key is not an RSA key")
	}
	d, err := bigInt(j.D, "d")
	if err != nil {
		return nil, err
	}
	p, err := bigInt(j.P, "p")
	if err != nil {
		return nil, err
	}
	q, err := bigInt(j.Q, "q")
	if err != nil {
		return nil, err
	}
	k := &rsa.PrivateKey{PublicKey: *rp, D: d, Primes: []*big.Int{p, q}}
	k.Precompute()
	return k, k.Validate()
}

// SignES256: jwt.NewWithClaims(jwt.SigningMethodES256, claims), the JWK's kid in the header.
func (library) SignES256(key json.RawMessage, claims map[string]interface{}) (string, error) {
	var j JWK
	if err := json.Unmarshal(key, &j); err != nil {
		return "", err
	}
	private, err := privateEC(&j)
	if err != nil {
		return "", err
	}
	t := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims(claims))
	if j.Kid != nil {
		t.Header["kid"] = *j.Kid
	}
	return t.SignedString(private)
}

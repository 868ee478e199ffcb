// go-jose as the shared glue's Library (glue/go/library.go): the verify call and
// validate of verify.go, the keys of keys.go, and the few library calls the vendor
// profiles make (the unverified alg by jwt.ParseSigned, Watson's decryption key read by
// jose.JSONWebKey, the pomerium-proxy assertion signed with
// jwt.Signed(jose.NewSigner(ES256 ...))).

package main

import (
	"crypto/rsa"
	"encoding/json"
	"fmt"

	jose "gopkg.in/square/go-jose.v2"
	"gopkg.in/square/go-jose.v2/jwt"
	"jwtc/glue"
)

// expMissing is the detail of a token without exp where the profile requires it.
const expMissing = "exp missing (go-jose has no option to require it)"

type library struct{}

func (library) ImportKeys(raw []json.RawMessage, alg string, notes *[]string) []*Key {
	return importKeys(raw, alg, notes)
}

func (library) Candidates(keys []*Key, t *glue.Token, alg string) []*Key {
	return candidates(keys, kidOf(t), alg)
}

func (library) DeclaresAlg(k *Key, alg string) bool {
	return k.JWK.Algorithm == alg
}

func (library) SecretKey(name string, secret []byte) *Key {
	return &Key{JWK: jose.JSONWebKey{Key: secret, KeyID: name}}
}

func (library) Verify(token string, algs []string, choose func(t *glue.Token) ([]*Key, error)) (*glue.Verified, error) {
	v, err := verify(token, algs, choose)
	if err != nil {
		return nil, err
	}
	return &glue.Verified{Claims: v.Claims, Lib: v}, nil
}

// CheckClaims: exp present when required (go-jose cannot be told to), then validate
// (verify.go: Claims.ValidateWithLeeway with the audience and issuer expected).
func (library) CheckClaims(gv *glue.Verified, want glue.Expect, now, skew int64) error {
	v := gv.Lib.(*Verified)
	if want.RequireExp && v.Std.Expiry == nil {
		return glue.Rejectf("claim_missing", "%s", expMissing)
	}
	e := jwt.Expected{}
	if want.Audience != nil {
		e.Audience = jwt.Audience{*want.Audience}
	}
	if want.Issuer != nil {
		e.Issuer = *want.Issuer
	}
	return validate(v, e, now, skew)
}

func (library) PeekAlg(token string) string {
	if t, err := jwt.ParseSigned(token); err == nil && len(t.Headers) == 1 {
		return t.Headers[0].Algorithm
	}
	return ""
}

func (library) IssuerIs(claims map[string]interface{}, issuer string) bool {
	iss, _ := claims["iss"].(string)
	return iss == issuer
}

// PrivateRSA: the decryption key, read by go-jose's JSONWebKey.
func (library) PrivateRSA(raw json.RawMessage) (*rsa.PrivateKey, error) {
	var j jose.JSONWebKey
	if err := j.UnmarshalJSON(raw); err != nil {
		return nil, err
	}
	k, ok := j.Key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("decryption_key is not a private RSA key")
	}
	return k, nil
}

// SignES256: jwt.Signed(jose.NewSigner(ES256, typ JWT, the JWK's kid)).Claims(claims).
func (library) SignES256(key json.RawMessage, claims map[string]interface{}) (string, error) {
	var j jose.JSONWebKey
	if err := j.UnmarshalJSON(key); err != nil {
		return "", fmt.Errorf("signing_key refused: %v", err)
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if j.KeyID != "" {
		opts = opts.WithHeader("kid", j.KeyID)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: j.Key}, opts)
	if err != nil {
		return "", err
	}
	return jwt.Signed(signer).Claims(claims).CompactSerialize()
}

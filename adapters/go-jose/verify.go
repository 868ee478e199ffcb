// The library calls of the go-jose adapter (gopkg.in/square/go-jose.v2): jwt.ParseSigned
// then tok.Claims(key, &claims, &raw) and claims.ValidateWithLeeway for JWTs;
// jose.ParseSigned then sig.Verify(key) for plain JWS. go-jose v2 has no algorithm
// allowlist, so the header's alg is compared with the configured ones first, as its
// users must; candidate keys are tried in turn.

package main

import (
	"fmt"
	"strings"
	"time"

	jose "gopkg.in/square/go-jose.v2"
	"gopkg.in/square/go-jose.v2/jwt"
	"jwtc/glue"
)

func allowed(alg string, algs []string) bool {
	for _, a := range algs {
		if a == alg {
			return true
		}
	}
	return false
}

// Unverified is what a key chooser sees: the header and the claims, not yet verified
// (tok.UnsafeClaimsWithoutVerification).
type Unverified struct {
	Header jose.Header
	Claims map[string]interface{}
}

// view is what the glue's key chooser sees of u.
func view(u *Unverified) *glue.Token {
	t := &glue.Token{Alg: u.Header.Algorithm, KidShown: fmt.Sprintf("%q", u.Header.KeyID), Claims: u.Claims, Lib: u}
	if u.Header.KeyID != "" {
		t.Kid = &u.Header.KeyID
	}
	t.Jku, t.HasJku = u.Header.ExtraHeaders["jku"]
	return t
}

// kidOf is t's kid, "" when the header has none.
func kidOf(t *glue.Token) string {
	if t.Kid == nil {
		return ""
	}
	return *t.Kid
}

// Verified is a token go-jose verified: its claims as a map and as jwt.Claims.
type Verified struct {
	Claims map[string]interface{}
	Std    jwt.Claims
}

// verify verifies token as a JWT with the keys chosen by choose: the header's alg must be
// one of algs; each candidate in turn. No claim is checked here.
func verify(token string, algs []string, choose func(t *glue.Token) ([]*Key, error)) (*Verified, error) {
	tok, err := jwt.ParseSigned(token)
	if err != nil {
		return nil, glue.Rejectf("malformed", "go-jose: %v", err)
	}
	if len(tok.Headers) != 1 {
		return nil, glue.Rejectf("malformed", "go-jose: %d signatures", len(tok.Headers))
	}
	u := &Unverified{Header: tok.Headers[0]}
	if !allowed(u.Header.Algorithm, algs) {
		return nil, glue.Rejectf("alg_not_allowed", "alg %q is not one of %v", u.Header.Algorithm, algs)
	}
	_ = tok.UnsafeClaimsWithoutVerification(&u.Claims)
	cands, err := choose(view(u))
	if err != nil {
		return nil, err
	}
	if len(cands) == 0 {
		return nil, glue.Rejectf("key_unknown", "no configured key fits kid %q and alg %s", u.Header.KeyID, u.Header.Algorithm)
	}
	var failures []string
	for _, k := range cands {
		if err := tok.Claims(k.JWK.Key); err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", k.name(), err))
			continue
		}
		v := &Verified{Claims: map[string]interface{}{}}
		if err := tok.Claims(k.JWK.Key, &v.Std, &v.Claims); err != nil {
			return nil, glue.Rejectf("claim_invalid", "go-jose: %v", err)
		}
		return v, nil
	}
	return nil, glue.Rejectf("bad_signature", "go-jose: %s", strings.Join(failures, "; "))
}

// validate is go-jose's Claims.ValidateWithLeeway at the suite's now with skew seconds, its
// errors as codes.
func validate(v *Verified, e jwt.Expected, now, skew int64) error {
	e.Time = time.Unix(now, 0)
	err := v.Std.ValidateWithLeeway(e, time.Duration(skew)*time.Second)
	if err == nil {
		return nil
	}
	code := "claim_invalid"
	switch err {
	case jwt.ErrExpired:
		code = "expired"
	case jwt.ErrNotValidYet, jwt.ErrIssuedInTheFuture:
		code = "not_yet_valid"
	case jwt.ErrInvalidAudience:
		code = "audience_mismatch"
	case jwt.ErrInvalidIssuer:
		code = "issuer_mismatch"
	}
	return glue.Rejectf(code, "go-jose: %v", err)
}

// verifyJWT verifies token as a JWT with one algorithm and checks its time claims.
func verifyJWT(token string, alg string, keys []*Key, now, skew int64) (map[string]interface{}, error) {
	v, err := verify(token, []string{alg}, func(t *glue.Token) ([]*Key, error) {
		return candidates(keys, kidOf(t), alg), nil
	})
	if err != nil {
		return nil, err
	}
	if err := validate(v, jwt.Expected{}, now, skew); err != nil {
		return nil, err
	}
	return v.Claims, nil
}

// verifyJWS verifies token as a plain compact JWS; the payload bytes and the header.
func verifyJWS(token string, algs []string, keysFor func(alg string) []*Key) ([]byte, *jose.JSONWebSignature, error) {
	sig, err := jose.ParseSigned(token)
	if err != nil {
		return nil, nil, glue.Rejectf("malformed", "go-jose: %v", err)
	}
	if len(sig.Signatures) != 1 {
		return nil, nil, glue.Rejectf("malformed", "go-jose: %d signatures", len(sig.Signatures))
	}
	h := sig.Signatures[0].Header
	if !allowed(h.Algorithm, algs) {
		return nil, nil, glue.Rejectf("alg_not_allowed", "alg %q is not one of %v", h.Algorithm, algs)
	}
	cands := candidates(keysFor(h.Algorithm), h.KeyID, h.Algorithm)
	if len(cands) == 0 {
		return nil, nil, glue.Rejectf("key_unknown", "no configured key fits kid %q and alg %s", h.KeyID, h.Algorithm)
	}
	var failures []string
	for _, k := range cands {
		payload, err := sig.Verify(k.JWK.Key)
		if err == nil {
			return payload, sig, nil
		}
		failures = append(failures, fmt.Sprintf("%s: %v", k.name(), err))
	}
	return nil, nil, glue.Rejectf("bad_signature", "go-jose: %s", strings.Join(failures, "; "))
}

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
)

func allowed(alg string, algs []string) bool {
	for _, a := range algs {
		if a == alg {
			return true
		}
	}
	return false
}

// verifyJWT verifies token as a JWT and checks its time claims at now with skew seconds.
func verifyJWT(token string, alg string, keys []*Key, now, skew int64) (map[string]interface{}, error) {
	tok, err := jwt.ParseSigned(token)
	if err != nil {
		return nil, reject("malformed", "go-jose: %v", err)
	}
	if len(tok.Headers) != 1 {
		return nil, reject("malformed", "go-jose: %d signatures", len(tok.Headers))
	}
	h := tok.Headers[0]
	if h.Algorithm != alg {
		return nil, reject("alg_not_allowed", "alg %q is not %s", h.Algorithm, alg)
	}
	cands := candidates(keys, h.KeyID, alg)
	if len(cands) == 0 {
		return nil, reject("key_unknown", "no configured key fits kid %q and alg %s", h.KeyID, alg)
	}
	var failures []string
	for _, k := range cands {
		if err := tok.Claims(k.JWK.Key); err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", k.name(), err))
			continue
		}
		var claims jwt.Claims
		raw := map[string]interface{}{}
		if err := tok.Claims(k.JWK.Key, &claims, &raw); err != nil {
			return nil, reject("claim_invalid", "go-jose: %v", err)
		}
		if err := claims.ValidateWithLeeway(jwt.Expected{Time: time.Unix(now, 0)}, time.Duration(skew)*time.Second); err != nil {
			code := "claim_invalid"
			switch err {
			case jwt.ErrExpired:
				code = "expired"
			case jwt.ErrNotValidYet, jwt.ErrIssuedInTheFuture:
				code = "not_yet_valid"
			}
			return nil, reject(code, "go-jose: %v", err)
		}
		return raw, nil
	}
	return nil, reject("bad_signature", "go-jose: %s", strings.Join(failures, "; "))
}

// verifyJWS verifies token as a plain compact JWS; the payload bytes and the header.
func verifyJWS(token string, algs []string, keysFor func(alg string) []*Key) ([]byte, *jose.JSONWebSignature, error) {
	sig, err := jose.ParseSigned(token)
	if err != nil {
		return nil, nil, reject("malformed", "go-jose: %v", err)
	}
	if len(sig.Signatures) != 1 {
		return nil, nil, reject("malformed", "go-jose: %d signatures", len(sig.Signatures))
	}
	h := sig.Signatures[0].Header
	if !allowed(h.Algorithm, algs) {
		return nil, nil, reject("alg_not_allowed", "alg %q is not one of %v", h.Algorithm, algs)
	}
	cands := candidates(keysFor(h.Algorithm), h.KeyID, h.Algorithm)
	if len(cands) == 0 {
		return nil, nil, reject("key_unknown", "no configured key fits kid %q and alg %s", h.KeyID, h.Algorithm)
	}
	var failures []string
	for _, k := range cands {
		payload, err := sig.Verify(k.JWK.Key)
		if err == nil {
			return payload, sig, nil
		}
		failures = append(failures, fmt.Sprintf("%s: %v", k.name(), err))
	}
	return nil, nil, reject("bad_signature", "go-jose: %s", strings.Join(failures, "; "))
}

// The library call of the golang-jwt adapter: jwt.NewParser(jwt.WithValidMethods(...),
// jwt.WithJSONNumber(), jwt.WithoutClaimsValidation()).ParseWithClaims(token,
// jwt.MapClaims{}, keyfunc), once per candidate key; then the time claims with the
// library's own MapClaims.VerifyExpiresAt / VerifyNotBefore / VerifyIssuedAt at the suite's
// clock moved by the skew (golang-jwt v4 has no leeway option: README.md, The clock).

package main

import (
	"errors"
	"fmt"
	"strings"

	jwt "github.com/golang-jwt/jwt/v4"
	"jwtc/glue"
)

// Verified is a token golang-jwt verified, with its claims.
type Verified struct {
	Token  *jwt.Token
	Claims jwt.MapClaims
	Key    *Key
}

// headerKid is the token header's kid when it is a string (nil otherwise).
func headerKid(t *jwt.Token) *string {
	if s, ok := t.Header["kid"].(string); ok {
		return &s
	}
	return nil
}

// parser is the parser every profile uses, with the algorithms it allows.
func parser(algs []string) *jwt.Parser {
	return jwt.NewParser(jwt.WithValidMethods(algs), jwt.WithJSONNumber(), jwt.WithoutClaimsValidation())
}

// view is the token golang-jwt hands to the Keyfunc as the glue's key chooser sees it.
func view(t *jwt.Token) *glue.Token {
	claims, _ := t.Claims.(jwt.MapClaims)
	jku, hasJku := t.Header["jku"]
	return &glue.Token{
		Alg: t.Method.Alg(), Kid: headerKid(t), KidShown: glue.Describe(t.Header["kid"]),
		Jku: jku, HasJku: hasJku, Claims: claims, Lib: t,
	}
}

// verify verifies token with the keys chosen by choose(the parsed, unverified token: its
// header and claims, as golang-jwt hands them to the Keyfunc): each candidate in
// turn while the failure is about the key or the signature; any other failure is the
// verdict. No claim is checked here.
func verify(token string, algs []string, choose func(t *glue.Token) ([]*Key, error)) (*Verified, error) {
	p := parser(algs)
	var cands []*Key
	var chooseErr error
	index := 0
	var failures []string
	for {
		claims := jwt.MapClaims{}
		t, err := p.ParseWithClaims(token, claims, func(t *jwt.Token) (interface{}, error) {
			if kid, ok := t.Header["kid"]; ok && headerKid(t) == nil && chooseErr == nil {
				// The user's `kid, ok := token.Header["kid"].(string)` fails.
				chooseErr = glue.Rejectf("malformed", "kid is %T, not a string", kid)
			}
			if cands == nil && chooseErr == nil {
				cands, chooseErr = choose(view(t))
				if chooseErr == nil && len(cands) == 0 {
					kid := "(none)"
					if k := headerKid(t); k != nil {
						kid = fmt.Sprintf("%q", *k)
					}
					chooseErr = glue.Rejectf("key_unknown", "no configured key fits kid %s and alg %s", kid, t.Method.Alg())
				}
			}
			if chooseErr != nil {
				return nil, chooseErr
			}
			return cands[index].Key, nil
		})
		if err == nil {
			return &Verified{Token: t, Claims: claims, Key: cands[index]}, nil
		}
		var r *glue.Reject
		if errors.As(err, &r) {
			return nil, r
		}
		var ve *jwt.ValidationError
		if !errors.As(err, &ve) {
			return nil, glue.Rejectf("malformed", "golang-jwt: %v", err)
		}
		switch {
		case ve.Errors&jwt.ValidationErrorMalformed != 0:
			return nil, glue.Rejectf("malformed", "golang-jwt: %v", err)
		case ve.Errors&jwt.ValidationErrorUnverifiable != 0:
			// "signing method (alg) is unavailable.": alg unknown to the library, or absent.
			return nil, glue.Rejectf("alg_not_allowed", "golang-jwt: %v", err)
		case ve.Inner == nil && strings.HasPrefix(err.Error(), "signing method "):
			return nil, glue.Rejectf("alg_not_allowed", "golang-jwt: %v", err)
		case ve.Errors&jwt.ValidationErrorSignatureInvalid != 0 && cands != nil:
			failures = append(failures, fmt.Sprintf("%s: %v", cands[index].name(), err))
			index++
			if index < len(cands) {
				continue
			}
			code := "bad_signature"
			if allKeyType(failures) {
				code = "key_unknown"
			}
			return nil, glue.Rejectf(code, "golang-jwt: %s", strings.Join(failures, "; "))
		}
		return nil, glue.Rejectf("malformed", "golang-jwt: %v", err)
	}
}

func allKeyType(failures []string) bool {
	for _, f := range failures {
		if !strings.Contains(f, jwt.ErrInvalidKeyType.Error()) && !strings.Contains(f, jwt.ErrInvalidKey.Error()) {
			return false
		}
	}
	return true
}

// checkTimes applies the library's MapClaims checks at now, with skew seconds of leeway:
// exp against now - skew, nbf and iat against now + skew (what MapClaims.Valid does at
// TimeFunc(), moved by the skew).
func checkTimes(c jwt.MapClaims, now, skew int64) *glue.Reject {
	if !c.VerifyExpiresAt(now-skew, false) {
		return glue.Rejectf("expired", "golang-jwt: VerifyExpiresAt(now %d - skew %d) is false for exp %v", now, skew, c["exp"])
	}
	if !c.VerifyNotBefore(now+skew, false) {
		return glue.Rejectf("not_yet_valid", "golang-jwt: VerifyNotBefore(now %d + skew %d) is false for nbf %v", now, skew, c["nbf"])
	}
	if !c.VerifyIssuedAt(now+skew, false) {
		return glue.Rejectf("not_yet_valid", "golang-jwt: VerifyIssuedAt(now %d + skew %d) is false for iat %v", now, skew, c["iat"])
	}
	return nil
}

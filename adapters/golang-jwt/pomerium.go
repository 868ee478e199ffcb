// The two Pomerium roles of the golang-jwt adapter (Pomerium's "Securing your app with
// signed headers"): pomerium, a Go app behind the proxy verifying the ES256 assertion, and
// pomerium-proxy, the proxy signing it.
//
// pomerium: the request's headers as Go's net/http server hands them to a handler (names
// canonical, values trimmed of SP/HTAB, a name that is no token or a value with a control
// character answered 400 before the handler runs), the assertion from
// r.Header.Values("X-Pomerium-Jwt-Assertion"), golang-jwt with WithValidMethods(ES256),
// then the library's MapClaims checks: VerifyAudience, VerifyIssuer, VerifyExpiresAt
// (required) and VerifyIssuedAt with the minute of skew, then the identity claims.

package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	jwt "github.com/golang-jwt/jwt/v4"
)

type pomeriumContext struct {
	Audience   string                 `json:"audience"`
	Issuer     *string                `json:"issuer"`
	Keys       []json.RawMessage      `json:"keys"`
	JwksURL    *string                `json:"jwks_url"`
	Skew       *int64                 `json:"skew"`
	SigningKey json.RawMessage        `json:"signing_key"`
	Identity   map[string]interface{} `json:"identity"`
}

var (
	tchar   = regexp.MustCompile("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$")
	control = regexp.MustCompile("[\x00-\x08\x0a-\x1f\x7f]")
)

// goHeaders is the request's headers as net/http's server parses them (or its 400).
func goHeaders(c *Case) (http.Header, [][2]string, error) {
	var list [][2]string
	if err := json.Unmarshal(c.Input["headers"], &list); err != nil {
		return nil, nil, reject("malformed", "input.headers is not a list of [name, value] pairs")
	}
	h := http.Header{}
	for _, p := range list {
		if !tchar.MatchString(p[0]) {
			return nil, nil, reject("malformed", "header name %q is not an HTTP token (net/http answers 400)", p[0])
		}
		if control.MatchString(p[1]) {
			return nil, nil, reject("malformed", "header %s has a control character in its value (net/http answers 400)", p[0])
		}
		h.Add(p[0], strings.Trim(p[1], " \t"))
	}
	return h, list, nil
}

func verifyPomerium(c *Case, now int64, notes *[]string) (interface{}, error) {
	var ctx pomeriumContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, err
	}
	h, _, err := goHeaders(c)
	if err != nil {
		return nil, err
	}
	values := h.Values("X-Pomerium-Jwt-Assertion")
	if len(values) == 0 || values[0] == "" {
		return nil, reject("token_missing", "no X-Pomerium-Jwt-Assertion header")
	}
	for _, v := range values[1:] {
		if v != values[0] {
			return nil, reject("header_conflict", "%d differing X-Pomerium-Jwt-Assertion values", len(values))
		}
	}
	token := values[0]
	issuer := "pomerium-proxy"
	if ctx.Issuer != nil {
		issuer = *ctx.Issuer
	}
	skew := int64(60)
	if ctx.Skew != nil {
		skew = *ctx.Skew
	}
	var configured []*Key
	if ctx.Keys != nil {
		configured = importKeys(ctx.Keys, "ES256", notes)
	}
	v, err := verify(token, []string{"ES256"}, func(t *jwt.Token) ([]*Key, error) {
		if ctx.Keys != nil {
			return candidates(configured, headerKid(t), "ES256"), nil
		}
		// The JWKS at the configured URL (or the configured issuer's), never one the token
		// names; the Keyfunc sees the unverified claims, so another issuer is refused
		// before anything is fetched.
		if claims, _ := t.Claims.(jwt.MapClaims); !claims.VerifyIssuer(issuer, true) {
			return nil, reject("issuer_mismatch", "iss %s is not %q (checked before fetching the JWKS)", describe(claims["iss"]), issuer)
		}
		url := "https://" + issuer + "/.well-known/pomerium/jwks.json"
		if ctx.JwksURL != nil {
			url = *ctx.JwksURL
		}
		raw, err := cachedJwks(state, url)
		if err != nil {
			return nil, err
		}
		return candidates(importKeys(raw, "ES256", notes), headerKid(t), "ES256"), nil
	})
	if err != nil {
		return nil, err
	}
	cl := v.Claims
	if !cl.VerifyAudience(ctx.Audience, true) {
		return nil, reject("audience_mismatch", "golang-jwt: VerifyAudience(%q) is false for aud %s", ctx.Audience, describe(cl["aud"]))
	}
	if !cl.VerifyIssuer(issuer, true) {
		return nil, reject("issuer_mismatch", "golang-jwt: VerifyIssuer(%q) is false for iss %s", issuer, describe(cl["iss"]))
	}
	if _, ok := cl["exp"]; !ok {
		return nil, reject("claim_missing", "exp missing (VerifyExpiresAt with req true)")
	}
	if r := checkTimes(cl, now, skew); r != nil {
		return nil, r
	}
	return identity(cl)
}

// identity: what the app reads from the verified claims (sub a string; email a string, ""
// absent; groups an array of strings, null or [] absent).
func identity(cl jwt.MapClaims) (interface{}, error) {
	sub, ok := cl["sub"]
	if !ok || sub == nil {
		return nil, reject("claim_missing", "sub missing")
	}
	s, ok := sub.(string)
	if !ok {
		return nil, reject("claim_invalid", "sub is not a string")
	}
	out := map[string]interface{}{"sub": s}
	if e, ok := cl["email"]; ok && e != nil {
		es, ok := e.(string)
		if !ok {
			return nil, reject("claim_invalid", "email is not a string")
		}
		if es != "" {
			out["email"] = es
		}
	}
	if g, ok := cl["groups"]; ok && g != nil {
		gs, ok := g.([]interface{})
		if !ok {
			return nil, reject("claim_invalid", "groups is not an array of strings")
		}
		for _, x := range gs {
			if _, ok := x.(string); !ok {
				return nil, reject("claim_invalid", "groups is not an array of strings")
			}
		}
		if len(gs) > 0 {
			out["groups"] = gs
		}
	}
	return out, nil
}

// proxyPomerium: refuse what net/http refuses, drop every client X-Pomerium-* header,
// append one assertion signed with jwt.NewWithClaims(jwt.SigningMethodES256, ...)
// (iat now, exp now + 300).
func proxyPomerium(c *Case, now int64, notes *[]string) (interface{}, error) {
	var ctx pomeriumContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, err
	}
	_, list, err := goHeaders(c)
	if err != nil {
		return nil, err
	}
	var j JWK
	if err := json.Unmarshal(ctx.SigningKey, &j); err != nil {
		return nil, err
	}
	key, err := privateEC(&j)
	if err != nil {
		return nil, err
	}
	claims := jwt.MapClaims{}
	for k, v := range ctx.Identity {
		claims[k] = v
	}
	issuer := "pomerium-proxy"
	if ctx.Issuer != nil {
		issuer = *ctx.Issuer
	}
	claims["iss"], claims["aud"], claims["iat"], claims["exp"] = issuer, ctx.Audience, now, now+300
	t := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	if j.Kid != nil {
		t.Header["kid"] = *j.Kid
	}
	assertion, err := t.SignedString(key)
	if err != nil {
		return nil, err
	}
	kept := [][2]string{}
	for _, p := range list {
		if !strings.HasPrefix(strings.ToLower(p[0]), "x-pomerium-") {
			kept = append(kept, p)
		}
	}
	kept = append(kept, [2]string{"x-pomerium-jwt-assertion", assertion})
	return map[string]interface{}{"headers": kept}, nil
}

// The two Pomerium roles (Pomerium's "Securing your app with signed headers"): pomerium, a
// Go app behind the proxy verifying the ES256 assertion, and pomerium-proxy, the proxy
// signing it.
//
// pomerium: the request's headers as Go's net/http server hands them to a handler (names
// canonical, values trimmed of SP/HTAB, a name that is no token or a value with a control
// character answered 400 before the handler runs), the assertion from
// r.Header.Values("X-Pomerium-Jwt-Assertion"), the library with ES256 only, then the
// library's own audience, issuer and time checks (exp required) with the minute of skew,
// then the identity claims.

package glue

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
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

func (ctx *pomeriumContext) issuer() string {
	if ctx.Issuer != nil {
		return *ctx.Issuer
	}
	return "pomerium-proxy"
}

var (
	tchar   = regexp.MustCompile("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$")
	control = regexp.MustCompile("[\x00-\x08\x0a-\x1f\x7f]")
)

// goHeaders is the request's headers as net/http's server parses them (or its 400).
func goHeaders(c *Case) (http.Header, [][2]string, error) {
	var list [][2]string
	if err := json.Unmarshal(c.Input["headers"], &list); err != nil {
		return nil, nil, Rejectf("malformed", "input.headers is not a list of [name, value] pairs")
	}
	h := http.Header{}
	for _, p := range list {
		if !tchar.MatchString(p[0]) {
			return nil, nil, Rejectf("malformed", "header name %q is not an HTTP token (net/http answers 400)", p[0])
		}
		if control.MatchString(p[1]) {
			return nil, nil, Rejectf("malformed", "header %s has a control character in its value (net/http answers 400)", p[0])
		}
		h.Add(p[0], strings.Trim(p[1], " \t"))
	}
	return h, list, nil
}

func (v Vendor[K]) pomerium(c *Case, now int64, st *State, notes *[]string) (interface{}, error) {
	lib := v.Lib
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
		return nil, Rejectf("token_missing", "no X-Pomerium-Jwt-Assertion header")
	}
	for _, v := range values[1:] {
		if v != values[0] {
			return nil, Rejectf("header_conflict", "%d differing X-Pomerium-Jwt-Assertion values", len(values))
		}
	}
	token := values[0]
	issuer := ctx.issuer()
	skew := int64(60)
	if ctx.Skew != nil {
		skew = *ctx.Skew
	}
	var configured []K
	if ctx.Keys != nil {
		configured = lib.ImportKeys(ctx.Keys, "ES256", notes)
	}
	verified, err := lib.Verify(token, []string{"ES256"}, func(t *Token) ([]K, error) {
		if ctx.Keys != nil {
			return lib.Candidates(configured, t, "ES256"), nil
		}
		// The JWKS at the configured URL (or the configured issuer's), never one the token
		// names; the key chooser sees the unverified claims, so another issuer is refused
		// before anything is fetched.
		if !lib.IssuerIs(t.Claims, issuer) {
			return nil, Rejectf("issuer_mismatch", "iss %s is not %q (checked before fetching the JWKS)", Describe(t.Claims["iss"]), issuer)
		}
		url := "https://" + issuer + "/.well-known/pomerium/jwks.json"
		if ctx.JwksURL != nil {
			url = *ctx.JwksURL
		}
		raw, err := st.cached(url, false)
		if err != nil {
			return nil, err
		}
		return lib.Candidates(lib.ImportKeys(raw, "ES256", notes), t, "ES256"), nil
	})
	if err != nil {
		return nil, err
	}
	want := Expect{Audience: &ctx.Audience, Issuer: &issuer, RequireExp: true}
	if err := lib.CheckClaims(verified, want, now, skew); err != nil {
		return nil, err
	}
	return identity(verified.Claims)
}

// identity: what the app reads from the verified claims (sub a string; email a string, ""
// absent; groups an array of strings, null or [] absent).
func identity(cl map[string]interface{}) (interface{}, error) {
	sub, ok := cl["sub"]
	if !ok || sub == nil {
		return nil, Rejectf("claim_missing", "sub missing")
	}
	s, ok := sub.(string)
	if !ok {
		return nil, Rejectf("claim_invalid", "sub is not a string")
	}
	out := map[string]interface{}{"sub": s}
	if e, ok := cl["email"]; ok && e != nil {
		es, ok := e.(string)
		if !ok {
			return nil, Rejectf("claim_invalid", "email is not a string")
		}
		if es != "" {
			out["email"] = es
		}
	}
	if g, ok := cl["groups"]; ok && g != nil {
		gs, ok := g.([]interface{})
		if !ok {
			return nil, Rejectf("claim_invalid", "groups is not an array of strings")
		}
		for _, x := range gs {
			if _, ok := x.(string); !ok {
				return nil, Rejectf("claim_invalid", "groups is not an array of strings")
			}
		}
		if len(gs) > 0 {
			out["groups"] = gs
		}
	}
	return out, nil
}

// proxy (pomerium-proxy): refuse what net/http refuses, drop every client X-Pomerium-*
// header, append one assertion the library signs with ES256 (iat now, exp now + 300).
func (v Vendor[K]) proxy(c *Case, now int64, _ *State, notes *[]string) (interface{}, error) {
	var ctx pomeriumContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, err
	}
	_, list, err := goHeaders(c)
	if err != nil {
		return nil, err
	}
	claims := map[string]interface{}{}
	for k, v := range ctx.Identity {
		claims[k] = v
	}
	claims["iss"], claims["aud"], claims["iat"], claims["exp"] = ctx.issuer(), ctx.Audience, now, now+300
	assertion, err := v.Lib.SignES256(ctx.SigningKey, claims)
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

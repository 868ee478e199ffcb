// The coyo profile of the golang-jwt adapter: RS256 (RS512 by a key declaring it) with
// jku (COYO's "JWT token security"). Glue, as an integrator following the seed writes it
// around golang-jwt (which has no jku support), all inside the Keyfunc, which sees the
// unverified header and claims: built-in keys first, then keys registered under an issuer
// pattern matching iss, then the jku, checked against the allowlist before any fetch
// (net/url: https and an allowlisted origin), fetched through the protocol, the key chosen
// by kid.

package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	jwt "github.com/golang-jwt/jwt/v4"
)

type coyoContext struct {
	Issuers []struct {
		Pattern string            `json:"pattern"`
		Keys    []json.RawMessage `json:"keys"`
	} `json:"issuers"`
	Builtin      []json.RawMessage `json:"builtin"`
	JkuAllowlist []string          `json:"jku_allowlist"`
}

var slashed = regexp.MustCompile(`(?s)^/(.*)/([a-z]*)$`)

// coyoPattern is an issuer pattern as the seed writes it (/source/flags, only i) as a Go
// regexp matched against the whole iss.
func coyoPattern(p string) (*regexp.Regexp, error) {
	source, flags := p, ""
	if m := slashed.FindStringSubmatch(p); m != nil {
		source, flags = m[1], m[2]
	}
	if flags != "" && flags != "i" {
		return nil, fmt.Errorf("flags %q: only i is supported", flags)
	}
	if _, err := regexp.Compile(source); err != nil {
		return nil, err
	}
	prefix := ""
	if flags == "i" {
		prefix = "(?i)"
	}
	return regexp.Compile(prefix + "^(?:" + source + ")$")
}

// origin is u's origin as the allowlist is written: scheme://host[:port], the default
// port left out, the host lowercased.
func origin(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && !(u.Scheme == "https" && p == "443") {
		host += ":" + p
	}
	return u.Scheme + "://" + host
}

// fromKeyDocument: COYO's {"alg": <WebCrypto algorithm>, "key": <JWK>} document (the shape
// COYO's own plug-in library reads from a jku; docs/rules.md coyo.fetch) as its one JWK.
func fromKeyDocument(u string, body string) ([]json.RawMessage, bool, error) {
	var doc map[string]json.RawMessage
	if json.Unmarshal([]byte(body), &doc) != nil || doc["key"] == nil || doc["keys"] != nil {
		return nil, false, nil
	}
	bad := func(why string, a ...interface{}) error {
		return reject("key_unavailable", "GET %s: key document: %s", u, fmt.Sprintf(why, a...))
	}
	for k := range doc {
		if k != "alg" && k != "key" {
			return nil, true, bad("unknown member %q", k)
		}
	}
	var a struct {
		Name string      `json:"name"`
		Hash interface{} `json:"hash"`
	}
	json.Unmarshal(doc["alg"], &a)
	hash, _ := a.Hash.(string)
	if m, ok := a.Hash.(map[string]interface{}); ok {
		hash, _ = m["name"].(string)
	}
	alg := map[string]string{"SHA-256": "RS256", "SHA-512": "RS512"}[hash]
	if a.Name != "RSASSA-PKCS1-v1_5" || alg == "" {
		return nil, true, bad("alg %s is not RSASSA-PKCS1-v1_5 with SHA-256 or SHA-512", string(doc["alg"]))
	}
	var key map[string]interface{}
	if json.Unmarshal(doc["key"], &key) != nil || key == nil {
		return nil, true, bad("key is not a JWK object")
	}
	if ka, ok := key["alg"]; ok && ka != alg {
		return nil, true, bad("the key's alg %s is not the document's %s", describe(ka), alg)
	}
	key["alg"] = alg
	raw, _ := json.Marshal(key)
	return []json.RawMessage{raw}, true, nil
}

func verifyCoyo(c *Case, now int64, notes *[]string) (interface{}, error) {
	var ctx coyoContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, err
	}
	token, err := tokenInput(c)
	if err != nil {
		return nil, err
	}
	origins := map[string]bool{}
	for _, a := range ctx.JkuAllowlist {
		u, err := url.Parse(a)
		if err != nil || u.Host == "" {
			*notes = append(*notes, fmt.Sprintf("allowlist entry %q refused", a))
			continue
		}
		origins[origin(u)] = true
	}
	// coyo.alg: RS256, or RS512 by a key that declares it (COYO's built-in keys are RS512).
	alg := "RS256"
	if t, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{}); err == nil && t.Method.Alg() == "RS512" {
		alg = "RS512"
	}
	pick := func(keys []*Key, t *jwt.Token) []*Key {
		var out []*Key
		for _, k := range candidates(keys, headerKid(t), alg) {
			if alg == "RS256" || (k.JWK.Alg != nil && *k.JWK.Alg == "RS512") {
				out = append(out, k)
			}
		}
		return out
	}
	v, err := verify(token, []string{alg}, func(t *jwt.Token) ([]*Key, error) {
		// 1. built-in keys, no network.
		if cands := pick(importKeys(ctx.Builtin, alg, notes), t); len(cands) > 0 {
			return cands, nil
		}
		// 2. keys registered under a pattern that matches the (unverified) iss.
		var cands []*Key
		if iss, ok := t.Claims.(jwt.MapClaims)["iss"].(string); ok {
			for _, e := range ctx.Issuers {
				re, err := coyoPattern(e.Pattern)
				if err != nil {
					*notes = append(*notes, fmt.Sprintf("issuer pattern %q refused: %v", e.Pattern, err))
					continue
				}
				if re.MatchString(iss) {
					cands = append(cands, pick(importKeys(e.Keys, alg, notes), t)...)
				}
			}
		}
		if len(cands) > 0 {
			return cands, nil
		}
		// 3. the jku, checked against the allowlist before any fetch.
		raw, ok := t.Header["jku"]
		if !ok {
			return nil, nil
		}
		jku, ok := raw.(string)
		if !ok {
			return nil, reject("malformed", "jku is not a string")
		}
		u, err := url.Parse(jku)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return nil, reject("jku_not_allowed", "jku %q is not an absolute URL", jku)
		}
		if u.Scheme != "https" || !origins[origin(u)] || u.User != nil {
			return nil, reject("jku_not_allowed", "jku origin %s is not on the allowlist", origin(u))
		}
		keys, err := coyoKeys(u.String())
		if err != nil {
			return nil, err
		}
		cands = pick(importKeys(keys, alg, notes), t)
		if len(cands) == 0 {
			return nil, reject("key_unknown", "the set at %s has no usable %s key for kid %s", u, alg, describe(t.Header["kid"]))
		}
		return cands, nil
	})
	if err != nil {
		return nil, err
	}
	cl := v.Claims
	if r := checkTimes(cl, now, 0); r != nil {
		return nil, r
	}
	iss, ok := cl["iss"]
	if !ok || iss == nil {
		return nil, reject("claim_missing", "iss missing")
	}
	if _, ok := iss.(string); !ok {
		return nil, reject("claim_invalid", "iss is not a string")
	}
	out := map[string]interface{}{"iss": iss}
	if sub, ok := cl["sub"]; ok {
		if _, ok := sub.(string); !ok {
			return nil, reject("claim_invalid", "sub is not a string")
		}
		out["sub"] = sub
	}
	return out, nil
}

// coyoKeys: the JWK Set (or COYO's key document) at u, fetched once per case.
func coyoKeys(u string) ([]json.RawMessage, error) {
	if state.jwks == nil {
		state.jwks = map[string]*jwksEntry{}
	}
	if e, ok := state.jwks[u]; ok {
		if e.err != nil {
			return nil, e.err
		}
		return e.keys, nil
	}
	keys, err := fetchCoyo(u)
	state.jwks[u] = &jwksEntry{keys: keys, err: err}
	if err != nil {
		return nil, err
	}
	return keys, nil
}

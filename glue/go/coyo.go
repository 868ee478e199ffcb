// The coyo profile: RS256 (RS512 by a key declaring it) with jku (COYO's "JWT token
// security"). Glue, as an integrator following the seed writes it around a library without
// jku support, all in the key chooser, which sees the unverified header and claims:
// built-in keys first, then keys registered under an issuer pattern matching iss, then the
// jku, checked against the allowlist before any fetch (net/url: https and an allowlisted
// origin), fetched through the protocol, the key chosen by kid.

package glue

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
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

func (v Vendor[K]) coyo(c *Case, now int64, st *State, notes *[]string) (interface{}, error) {
	lib := v.Lib
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
	if lib.PeekAlg(token) == "RS512" {
		alg = "RS512"
	}
	pick := func(keys []K, t *Token) []K {
		var out []K
		for _, k := range lib.Candidates(keys, t, alg) {
			if alg == "RS256" || lib.DeclaresAlg(k, "RS512") {
				out = append(out, k)
			}
		}
		return out
	}
	verified, err := lib.Verify(token, []string{alg}, func(t *Token) ([]K, error) {
		// 1. built-in keys, no network.
		if cands := pick(lib.ImportKeys(ctx.Builtin, alg, notes), t); len(cands) > 0 {
			return cands, nil
		}
		// 2. keys registered under a pattern that matches the (unverified) iss.
		var cands []K
		if iss, ok := t.Claims["iss"].(string); ok {
			for _, e := range ctx.Issuers {
				re, err := coyoPattern(e.Pattern)
				if err != nil {
					*notes = append(*notes, fmt.Sprintf("issuer pattern %q refused: %v", e.Pattern, err))
					continue
				}
				if re.MatchString(iss) {
					cands = append(cands, pick(lib.ImportKeys(e.Keys, alg, notes), t)...)
				}
			}
		}
		if len(cands) > 0 {
			return cands, nil
		}
		// 3. the jku, checked against the allowlist before any fetch.
		if !t.HasJku {
			return nil, nil
		}
		jku, ok := t.Jku.(string)
		if !ok {
			return nil, Rejectf("malformed", "jku is not a string")
		}
		u, err := url.Parse(jku)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return nil, Rejectf("jku_not_allowed", "jku %q is not an absolute URL", jku)
		}
		if u.Scheme != "https" || !origins[origin(u)] || u.User != nil {
			return nil, Rejectf("jku_not_allowed", "jku origin %s is not on the allowlist", origin(u))
		}
		keys, err := st.cached(u.String(), true)
		if err != nil {
			return nil, err
		}
		cands = pick(lib.ImportKeys(keys, alg, notes), t)
		if len(cands) == 0 {
			return nil, Rejectf("key_unknown", "the set at %s has no usable %s key for kid %s", u, alg, t.KidShown)
		}
		return cands, nil
	})
	if err != nil {
		return nil, err
	}
	if err := lib.CheckClaims(verified, Expect{}, now, 0); err != nil {
		return nil, err
	}
	cl := verified.Claims
	iss, ok := cl["iss"]
	if !ok || iss == nil {
		return nil, Rejectf("claim_missing", "iss missing")
	}
	if _, ok := iss.(string); !ok {
		return nil, Rejectf("claim_invalid", "iss is not a string")
	}
	out := map[string]interface{}{"iss": iss}
	if sub, ok := cl["sub"]; ok {
		if _, ok := sub.(string); !ok {
			return nil, Rejectf("claim_invalid", "sub is not a string")
		}
		out["sub"] = sub
	}
	return out, nil
}

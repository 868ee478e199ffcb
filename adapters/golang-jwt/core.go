// The core (a generic JWT verifier with one algorithm) and jws (plain RFC 7515, no claim
// checks) profiles of the golang-jwt adapter.

package main

import (
	"encoding/base64"
	"strings"

	"jwtc/glue"
)

func verifyCore(c *glue.Case, now int64, _ *glue.State, notes *[]string) (interface{}, error) {
	ctx, token, err := glue.CoreInput(c)
	if err != nil {
		return nil, err
	}
	keys := importKeys(ctx.Keys, ctx.Algorithm, notes)
	v, err := verify(token, []string{ctx.Algorithm}, func(t *glue.Token) ([]*Key, error) {
		return candidates(keys, t.Kid, t.Alg), nil
	})
	if err != nil {
		return nil, err
	}
	if r := checkTimes(v.Claims, now, ctx.Skew); r != nil {
		return nil, r
	}
	return map[string]interface{}{"claims": v.Claims}, nil
}

func verifyJws(c *glue.Case, _ int64, _ *glue.State, notes *[]string) (interface{}, error) {
	ctx, token, err := glue.CoreInput(c)
	if err != nil {
		return nil, err
	}
	v, err := verify(token, ctx.Algorithms, func(t *glue.Token) ([]*Key, error) {
		// The key decides the algorithm: PEM text is read for the token's (allowed) alg.
		return candidates(importKeys(ctx.Keys, t.Alg, notes), t.Kid, t.Alg), nil
	})
	if err != nil {
		return nil, err
	}
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	return map[string]interface{}{
		"header":  v.Token.Header,
		"payload": base64.RawURLEncoding.EncodeToString(payload),
	}, nil
}

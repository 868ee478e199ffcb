// The core (a generic JWT verifier with one algorithm) and jws (plain RFC 7515, no claim
// checks, any payload) profiles of the go-jose adapter.

package main

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"jwtc/glue"
)

func verifyCore(c *glue.Case, now int64, _ *glue.State, notes *[]string) (interface{}, error) {
	ctx, token, err := glue.CoreInput(c)
	if err != nil {
		return nil, err
	}
	claims, err := verifyJWT(token, ctx.Algorithm, importKeys(ctx.Keys, ctx.Algorithm, notes), now, ctx.Skew)
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{"claims": claims}, nil
}

func verifyJws(c *glue.Case, _ int64, _ *glue.State, notes *[]string) (interface{}, error) {
	ctx, token, err := glue.CoreInput(c)
	if err != nil {
		return nil, err
	}
	payload, _, err := verifyJWS(token, ctx.Algorithms, func(alg string) []*Key {
		return importKeys(ctx.Keys, alg, notes)
	})
	if err != nil {
		return nil, err
	}
	// The protected header as the token carries it (go-jose's Header keeps only what it
	// knows, plus ExtraHeaders).
	var header map[string]interface{}
	if b, err := base64.RawURLEncoding.DecodeString(strings.SplitN(token, ".", 2)[0]); err == nil {
		json.Unmarshal(b, &header)
	}
	return map[string]interface{}{
		"header":  header,
		"payload": base64.RawURLEncoding.EncodeToString(payload),
	}, nil
}

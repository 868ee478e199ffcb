// The core (a generic JWT verifier with one algorithm) and jws (plain RFC 7515, no claim
// checks, any payload) profiles of the go-jose adapter.

package main

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

type coreContext struct {
	Algorithm  string            `json:"algorithm"`
	Algorithms []string          `json:"algorithms"`
	Keys       []json.RawMessage `json:"keys"`
	Skew       int64             `json:"skew"`
}

func tokenInput(c *Case) (string, error) {
	var token string
	if err := json.Unmarshal(c.Input["token"], &token); err != nil {
		return "", reject("malformed", "input.token is not a string")
	}
	return token, nil
}

func verifyCore(c *Case, now int64, notes *[]string) (interface{}, error) {
	var ctx coreContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, err
	}
	token, err := tokenInput(c)
	if err != nil {
		return nil, err
	}
	claims, err := verifyJWT(token, ctx.Algorithm, importKeys(ctx.Keys, ctx.Algorithm, notes), now, ctx.Skew)
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{"claims": claims}, nil
}

func verifyJws(c *Case, _ int64, notes *[]string) (interface{}, error) {
	var ctx coreContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, err
	}
	token, err := tokenInput(c)
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

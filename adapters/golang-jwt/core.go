// The core (a generic JWT verifier with one algorithm) and jws (plain RFC 7515, no claim
// checks) profiles of the golang-jwt adapter.

package main

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	jwt "github.com/golang-jwt/jwt/v4"
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
	keys := importKeys(ctx.Keys, ctx.Algorithm, notes)
	v, err := verify(token, []string{ctx.Algorithm}, func(t *jwt.Token) ([]*Key, error) {
		return candidates(keys, headerKid(t), t.Method.Alg()), nil
	})
	if err != nil {
		return nil, err
	}
	if r := checkTimes(v.Claims, now, ctx.Skew); r != nil {
		return nil, r
	}
	return map[string]interface{}{"claims": v.Claims}, nil
}

func verifyJws(c *Case, notes *[]string) (interface{}, error) {
	var ctx coreContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, err
	}
	token, err := tokenInput(c)
	if err != nil {
		return nil, err
	}
	v, err := verify(token, ctx.Algorithms, func(t *jwt.Token) ([]*Key, error) {
		// The key decides the algorithm: PEM text is read for the token's (allowed) alg.
		alg := t.Method.Alg()
		return candidates(importKeys(ctx.Keys, alg, notes), headerKid(t), alg), nil
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

// The watson profile of the go-jose adapter: an RS256 identity token (IBM's "Securing
// the web chat"). Glue: the claims the seed requires (iss, sub, exp), sub as visible ASCII
// (it becomes a header field), user_payload decrypted as node-rsa (the seed's library)
// makes it: standard base64, k-byte blocks each decrypted with Go's
// rsa.DecryptOAEP(sha1.New(), ...), joined, JSON; the session's pinned user id.

package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"

	jose "gopkg.in/square/go-jose.v2"
	"gopkg.in/square/go-jose.v2/jwt"
)

type watsonContext struct {
	Issuer        *string           `json:"issuer"`
	Keys          []json.RawMessage `json:"keys"`
	DecryptionKey json.RawMessage   `json:"decryption_key"`
	Skew          int64             `json:"skew"`
}

var visibleASCII = regexp.MustCompile(`^[\x21-\x7e]+$`)

// privateRSA is the decryption key, read by go-jose's JSONWebKey.
func privateRSA(raw json.RawMessage) (*rsa.PrivateKey, error) {
	var j jose.JSONWebKey
	if err := j.UnmarshalJSON(raw); err != nil {
		return nil, err
	}
	k, ok := j.Key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("decryption_key is not a private RSA key")
	}
	return k, nil
}

// decryptPayload undoes node-rsa's encrypt(payload, 'base64'): RSA-OAEP (SHA-1) blocks.
func decryptPayload(key *rsa.PrivateKey, text string) (interface{}, error) {
	data, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return nil, err
	}
	size := key.Size()
	if len(data) == 0 || len(data)%size != 0 {
		return nil, fmt.Errorf("%d bytes is not a whole number of %d-byte blocks", len(data), size)
	}
	var plain []byte
	for i := 0; i < len(data); i += size {
		b, err := rsa.DecryptOAEP(sha1.New(), rand.Reader, key, data[i:i+size], nil)
		if err != nil {
			return nil, err
		}
		plain = append(plain, b...)
	}
	var v interface{}
	if err := json.Unmarshal(plain, &v); err != nil {
		return nil, err
	}
	return v, nil
}

func verifyWatson(c *Case, now int64, notes *[]string) (interface{}, error) {
	var ctx watsonContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, err
	}
	var token string
	if raw, ok := c.Input["token"]; ok {
		if err := json.Unmarshal(raw, &token); err != nil {
			var null interface{}
			if json.Unmarshal(raw, &null) != nil || null != nil {
				return nil, reject("malformed", "input.token is not a string")
			}
		}
	}
	if token == "" {
		return nil, reject("token_missing", "security is on and the message carries no identity token")
	}
	var decryptor *rsa.PrivateKey
	if len(ctx.DecryptionKey) > 0 && string(ctx.DecryptionKey) != "null" {
		k, err := privateRSA(ctx.DecryptionKey)
		if err != nil {
			return nil, fmt.Errorf("decryption_key refused: %v", err)
		}
		decryptor = k
	}
	keys := importKeys(ctx.Keys, "RS256", notes)
	v, err := verify(token, []string{"RS256"}, func(t *Unverified) ([]*Key, error) {
		return candidates(keys, t.Header.KeyID, "RS256"), nil
	})
	if err != nil {
		return nil, err
	}
	cl := v.Claims
	expected := jwt.Expected{}
	if ctx.Issuer != nil {
		expected.Issuer = *ctx.Issuer
	}
	if err := validate(v, expected, now, ctx.Skew); err != nil {
		return nil, err
	}
	// "The JWT payload must specify values for the following claims: iss, sub, exp."
	for _, name := range []string{"iss", "sub"} {
		x, ok := cl[name]
		if !ok || x == nil {
			return nil, reject("claim_missing", "%s missing", name)
		}
		if _, ok := x.(string); !ok {
			return nil, reject("claim_invalid", "%s is not a string", name)
		}
	}
	if _, ok := cl["exp"]; !ok {
		return nil, reject("claim_missing", "exp missing (go-jose has no option to require it)")
	}
	sub := cl["sub"].(string)
	if !visibleASCII.MatchString(sub) {
		return nil, reject("claim_invalid", "sub %q is not a non-empty string of visible ASCII", sub)
	}
	out := map[string]interface{}{"user_id": sub}
	if up, ok := cl["user_payload"]; ok {
		s, ok := up.(string)
		if !ok {
			return nil, reject("claim_invalid", "user_payload is not a string")
		}
		if decryptor != nil {
			p, err := decryptPayload(decryptor, s)
			if err != nil {
				return nil, reject("payload_undecryptable", "%v", err)
			}
			out["user_payload"] = p
		} else {
			out["user_payload"] = s
		}
	}
	// "After you set the value of the sub claim … you cannot change the claim to another user."
	if state.sub != nil && *state.sub != sub {
		return nil, reject("subject_changed", "sub %q but the session is %q", sub, *state.sub)
	}
	state.sub = &sub
	return out, nil
}

// The watson profile: an RS256 identity token (IBM's "Securing the web chat"). Glue: the
// claims the seed requires (iss, sub, exp), sub as visible ASCII (it becomes a header
// field), user_payload decrypted as node-rsa (the seed's library) makes it: standard
// base64, k-byte blocks each decrypted with Go's rsa.DecryptOAEP(sha1.New(), ...), joined,
// JSON; the session's pinned user id.

package glue

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
)

type watsonContext struct {
	Issuer        *string           `json:"issuer"`
	Keys          []json.RawMessage `json:"keys"`
	DecryptionKey json.RawMessage   `json:"decryption_key"`
	Skew          int64             `json:"skew"`
}

var visibleASCII = regexp.MustCompile(`^[\x21-\x7e]+$`)

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

// watsonToken is input.token: absent or null is no token.
func watsonToken(c *Case) (string, error) {
	var token string
	if raw, ok := c.Input["token"]; ok {
		if err := json.Unmarshal(raw, &token); err != nil {
			var null interface{}
			if json.Unmarshal(raw, &null) != nil || null != nil {
				return "", Rejectf("malformed", "input.token is not a string")
			}
		}
	}
	if token == "" {
		return "", Rejectf("token_missing", "security is on and the message carries no identity token")
	}
	return token, nil
}

func (v Vendor[K]) watson(c *Case, now int64, st *State, notes *[]string) (interface{}, error) {
	var ctx watsonContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, err
	}
	token, err := watsonToken(c)
	if err != nil {
		return nil, err
	}
	var decryptor *rsa.PrivateKey
	if len(ctx.DecryptionKey) > 0 && string(ctx.DecryptionKey) != "null" {
		k, err := v.Lib.PrivateRSA(ctx.DecryptionKey)
		if err != nil {
			return nil, fmt.Errorf("decryption_key refused: %v", err)
		}
		decryptor = k
	}
	keys := v.Lib.ImportKeys(ctx.Keys, "RS256", notes)
	verified, err := v.Lib.Verify(token, []string{"RS256"}, func(t *Token) ([]K, error) {
		return v.Lib.Candidates(keys, t, "RS256"), nil
	})
	if err != nil {
		return nil, err
	}
	if err := v.Lib.CheckClaims(verified, Expect{Issuer: ctx.Issuer}, now, ctx.Skew); err != nil {
		return nil, err
	}
	cl := verified.Claims
	// "The JWT payload must specify values for the following claims: iss, sub, exp."
	for _, name := range []string{"iss", "sub"} {
		x, ok := cl[name]
		if !ok || x == nil {
			return nil, Rejectf("claim_missing", "%s missing", name)
		}
		if _, ok := x.(string); !ok {
			return nil, Rejectf("claim_invalid", "%s is not a string", name)
		}
	}
	if _, ok := cl["exp"]; !ok {
		return nil, Rejectf("claim_missing", "%s", v.ExpMissing)
	}
	sub := cl["sub"].(string)
	if !visibleASCII.MatchString(sub) {
		return nil, Rejectf("claim_invalid", "sub %q is not a non-empty string of visible ASCII", sub)
	}
	out := map[string]interface{}{"user_id": sub}
	if up, ok := cl["user_payload"]; ok {
		s, ok := up.(string)
		if !ok {
			return nil, Rejectf("claim_invalid", "user_payload is not a string")
		}
		if decryptor != nil {
			p, err := decryptPayload(decryptor, s)
			if err != nil {
				return nil, Rejectf("payload_undecryptable", "%v", err)
			}
			out["user_payload"] = p
		} else {
			out["user_payload"] = s
		}
	}
	// "After you set the value of the sub claim … you cannot change the claim to another user."
	if st.sub != nil && *st.sub != sub {
		return nil, Rejectf("subject_changed", "sub %q but the session is %q", sub, *st.sub)
	}
	st.sub = &sub
	return out, nil
}

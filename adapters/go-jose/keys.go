// Keys for the go-jose adapter. A JWK is read by go-jose itself (jose.JSONWebKey's
// UnmarshalJSON: kty, crv, sizes, the point on the curve); go-jose has no PEM reader, so PEM
// text goes through Go's crypto/x509 (SPKI, a certificate, PKCS#1), as its users do. Under
// an HMAC algorithm the configured text is the secret, as is.

package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"

	jose "gopkg.in/square/go-jose.v2"
	"jwtc/glue"
)

// Key is a configured key: go-jose's JSONWebKey (a PEM's key wrapped in one, no kid).
type Key struct {
	JWK    jose.JSONWebKey
	Pem    bool
	KeyOps interface{}
}

func (k *Key) name() string {
	if k.JWK.KeyID != "" {
		return fmt.Sprintf("%q", k.JWK.KeyID)
	}
	return "(no kid)"
}

func pemKey(text, alg string) (interface{}, error) {
	if strings.HasPrefix(alg, "HS") {
		return []byte(text), nil
	}
	block, _ := pem.Decode([]byte(strings.TrimSpace(text)))
	if block == nil {
		return nil, fmt.Errorf("not PEM")
	}
	switch block.Type {
	case "CERTIFICATE":
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		return c.PublicKey, nil
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(block.Bytes)
	}
	return x509.ParsePKIXPublicKey(block.Bytes)
}

// importKeys reads the context's keys for algorithm alg; a key that does not import is
// left out with a note.
func importKeys(raw []json.RawMessage, alg string, notes *[]string) []*Key {
	var keys []*Key
	for i, r := range raw {
		var probe struct {
			Pem    *string     `json:"pem"`
			Kid    string      `json:"kid"`
			KeyOps interface{} `json:"key_ops"`
		}
		if err := json.Unmarshal(r, &probe); err != nil {
			*notes = append(*notes, fmt.Sprintf("key %d refused: %v", i, err))
			continue
		}
		if probe.Pem != nil {
			k, err := pemKey(*probe.Pem, alg)
			if err != nil {
				*notes = append(*notes, fmt.Sprintf("key %d (PEM) refused: %v", i, err))
				continue
			}
			keys = append(keys, &Key{JWK: jose.JSONWebKey{Key: k, KeyID: probe.Kid}, Pem: true})
			continue
		}
		var j jose.JSONWebKey
		if err := j.UnmarshalJSON(r); err != nil {
			*notes = append(*notes, fmt.Sprintf("key %q refused: %v", probe.Kid, err))
			continue
		}
		if j.IsPublic() == false && !isSymmetric(j) {
			pub := j.Public()
			j = pub
		}
		keys = append(keys, &Key{JWK: j, KeyOps: probe.KeyOps})
	}
	return keys
}

func isSymmetric(j jose.JSONWebKey) bool {
	_, ok := j.Key.([]byte)
	return ok
}

// fits: whether a JWK may verify alg by its own members (use, key_ops, alg when present;
// go-jose's JSONWebKey reads use and alg, not key_ops).
func fits(k *Key, alg string) bool {
	if k.Pem {
		return true
	}
	if k.JWK.Use != "" && k.JWK.Use != "sig" {
		return false
	}
	if !glue.KeyOpsVerify(k.KeyOps) {
		return false
	}
	return k.JWK.Algorithm == "" || k.JWK.Algorithm == alg
}

// candidates: the keys with the token's kid or none (every key when the token names none)
// that fit alg.
func candidates(keys []*Key, kid string, alg string) []*Key {
	var out []*Key
	for _, k := range keys {
		if kid != "" && k.JWK.KeyID != "" && k.JWK.KeyID != kid {
			continue
		}
		if fits(k, alg) {
			out = append(out, k)
		}
	}
	return out
}

// Keys for the golang-jwt adapter. golang-jwt takes Go crypto keys ([]byte for HMAC,
// *rsa.PublicKey, *ecdsa.PublicKey) and knows nothing of JWKs, so turning a JWK into one
// and choosing candidates by kid is glue every user of the library writes; PEM text goes
// through the library's own jwt.ParseRSAPublicKeyFromPEM / ParseECPublicKeyFromPEM.

package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"

	jwt "github.com/golang-jwt/jwt/v4"
	"jwtc/glue"
)

// JWK is the members of a JWK the adapter reads (or {"pem", "kid"?}).
type JWK struct {
	Kty    string      `json:"kty"`
	Kid    *string     `json:"kid"`
	Use    *string     `json:"use"`
	KeyOps interface{} `json:"key_ops"`
	Alg    *string     `json:"alg"`
	Crv    string      `json:"crv"`
	N      string      `json:"n"`
	E      string      `json:"e"`
	X      string      `json:"x"`
	Y      string      `json:"y"`
	K      *string     `json:"k"`
	D      string      `json:"d"`
	P      string      `json:"p"`
	Q      string      `json:"q"`
	Pem    *string     `json:"pem"`
}

// Key is a configured key as golang-jwt takes it.
type Key struct {
	Kid string
	JWK *JWK
	Key interface{}
}

func (k *Key) name() string {
	if k.JWK != nil && k.JWK.Kid != nil {
		return fmt.Sprintf("%q", *k.JWK.Kid)
	}
	return "(no kid)"
}

func b64u(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func bigInt(s, member string) (*big.Int, error) {
	b, err := b64u(s)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%s is not base64url of a number", member)
	}
	return new(big.Int).SetBytes(b), nil
}

// coordinate is an EC coordinate of exactly the curve's size (RFC 7518 §6.2.1.2: "MUST be
// the full size of a coordinate for the curve").
func coordinate(s, member string, curve elliptic.Curve) (*big.Int, error) {
	b, err := b64u(s)
	size := (curve.Params().BitSize + 7) / 8
	if err != nil || len(b) != size {
		return nil, fmt.Errorf("%s is not base64url of %d bytes", member, size)
	}
	return new(big.Int).SetBytes(b), nil
}

// publicKey turns a JWK into the key golang-jwt verifies with.
func publicKey(j *JWK) (interface{}, error) {
	switch j.Kty {
	case "oct":
		if j.K == nil {
			return nil, fmt.Errorf("oct key without k")
		}
		return b64u(*j.K)
	case "RSA":
		n, err := bigInt(j.N, "n")
		if err != nil {
			return nil, err
		}
		e, err := bigInt(j.E, "e")
		if err != nil {
			return nil, err
		}
		if !e.IsInt64() || e.Int64() > 1<<31-1 {
			return nil, fmt.Errorf("e is too large")
		}
		return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
	case "EC":
		var curve elliptic.Curve
		switch j.Crv {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			return nil, fmt.Errorf("crv %q is not P-256, P-384 or P-521", j.Crv)
		}
		x, err := coordinate(j.X, "x", curve)
		if err != nil {
			return nil, err
		}
		y, err := coordinate(j.Y, "y", curve)
		if err != nil {
			return nil, err
		}
		if !curve.IsOnCurve(x, y) {
			return nil, fmt.Errorf("the point is not on %s", j.Crv)
		}
		return &ecdsa.PublicKey{Curve: curve, X: x, Y: y}, nil
	}
	return nil, fmt.Errorf("kty %q is not oct, RSA or EC", j.Kty)
}

// pemKey is PEM text (or an OpenSSH line) configured for algorithm alg, as a golang-jwt
// user loads it: the library's PEM parser of the algorithm's family, or the text itself as
// an HMAC secret when the configured algorithm is HMAC.
func pemKey(text, alg string) (interface{}, error) {
	switch {
	case strings.HasPrefix(alg, "HS"):
		return []byte(text), nil
	case strings.HasPrefix(alg, "ES"):
		return jwt.ParseECPublicKeyFromPEM([]byte(strings.TrimSpace(text)))
	}
	// The file's text trimmed (pem.Decode wants "-----BEGIN" at a line's start); golang-jwt
	// v4 reads SPKI and certificates only, so a PKCS#1 "RSA PUBLIC KEY" goes to Go's own
	// x509.ParsePKCS1PublicKey, as its users do.
	text = strings.TrimSpace(text)
	key, err := jwt.ParseRSAPublicKeyFromPEM([]byte(text))
	if err != nil {
		if block, _ := pem.Decode([]byte(text)); block != nil && block.Type == "RSA PUBLIC KEY" {
			return x509.ParsePKCS1PublicKey(block.Bytes)
		}
	}
	return key, err
}

// importKeys reads the context's keys for algorithm alg (the one configured); a key that
// does not import is left out with a note.
func importKeys(raw []json.RawMessage, alg string, notes *[]string) []*Key {
	var keys []*Key
	for i, r := range raw {
		var j JWK
		if err := json.Unmarshal(r, &j); err != nil {
			*notes = append(*notes, fmt.Sprintf("key %d refused: %v", i, err))
			continue
		}
		k := &Key{JWK: &j}
		if j.Kid != nil {
			k.Kid = *j.Kid
		}
		var err error
		if j.Pem != nil {
			k.Key, err = pemKey(*j.Pem, alg)
		} else {
			k.Key, err = publicKey(&j)
		}
		if err != nil {
			*notes = append(*notes, fmt.Sprintf("key %s refused: %v", k.name(), err))
			continue
		}
		keys = append(keys, k)
	}
	return keys
}

// fits: whether a JWK may verify alg by its own members (RFC 7517 §4.2-4.4: use, key_ops,
// alg when present). PEM keys carry none of them.
func fits(k *Key, alg string) bool {
	j := k.JWK
	if j.Pem != nil {
		return true
	}
	if j.Use != nil && *j.Use != "sig" {
		return false
	}
	if !glue.KeyOpsVerify(j.KeyOps) {
		return false
	}
	if j.Alg != nil && *j.Alg != alg {
		return false
	}
	return true
}

// candidates: the keys that may verify a token with this kid (nil: none in the header)
// and alg: those with that kid or none, every key when the token names none.
func candidates(keys []*Key, kid *string, alg string) []*Key {
	var out []*Key
	for _, k := range keys {
		if kid != nil && k.JWK.Kid != nil && *k.JWK.Kid != *kid {
			continue
		}
		if fits(k, alg) {
			out = append(out, k)
		}
	}
	return out
}

// privateEC is a private P-256 JWK as the *ecdsa.PrivateKey golang-jwt signs with.
func privateEC(j *JWK) (*ecdsa.PrivateKey, error) {
	pub, err := publicKey(j)
	if err != nil {
		return nil, err
	}
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("signing_key is not an EC key")
	}
	d, err := bigInt(j.D, "d")
	if err != nil {
		return nil, err
	}
	return &ecdsa.PrivateKey{PublicKey: *ec, D: d}, nil
}

// Fetching a JWK Set through the protocol for the golang-jwt adapter (golang-jwt has no
// JWKS client), as a careful integrator's net/http client does: GET, no redirect followed,
// a 5 s time-out, a 64 KiB body bound (io.LimitReader), status 2xx, JSON with a "keys"
// array. One fetch per URL per case, a failure remembered too (no refetch storm).

package main

import (
	"encoding/json"
	"fmt"
)

const (
	fetchTimeoutMs = 5000
	fetchMaxBytes  = 64 * 1024
)

// State is what a case keeps from its step 0 to its last step.
type State struct {
	jwks map[string]*jwksEntry
	sub  *string
	seen map[string]bool
	gone map[string]bool
}

type jwksEntry struct {
	keys []json.RawMessage
	err  *Reject
}

func fetchJwks(url string) ([]json.RawMessage, *Reject) {
	return fetchSet(url, false)
}

// fetchCoyo is fetchJwks that also reads COYO's {"alg", "key"} document.
func fetchCoyo(url string) ([]json.RawMessage, *Reject) {
	return fetchSet(url, true)
}

func fetchSet(url string, keyDocument bool) ([]json.RawMessage, *Reject) {
	res, err := fetch(url)
	if err != nil {
		return nil, reject("key_unavailable", "GET %s: %v", url, err)
	}
	if res.Error != "" {
		return nil, reject("key_unavailable", "GET %s: %s", url, res.Error)
	}
	if res.DelayMs > fetchTimeoutMs {
		return nil, reject("key_unavailable", "GET %s: no answer within %d ms", url, fetchTimeoutMs)
	}
	if res.Status < 200 || res.Status >= 300 {
		return nil, reject("key_unavailable", "GET %s: HTTP %d (redirects are not followed)", url, res.Status)
	}
	if len(res.Body) > fetchMaxBytes {
		return nil, reject("key_unavailable", "GET %s: body over %d bytes", url, fetchMaxBytes)
	}
	if keyDocument {
		keys, isDoc, err := fromKeyDocument(url, res.Body)
		if err != nil {
			return nil, err.(*Reject)
		}
		if isDoc {
			return keys, nil
		}
	}
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		return nil, reject("key_unavailable", "GET %s: not JSON: %v", url, err)
	}
	if doc.Keys == nil {
		return nil, reject("key_unavailable", "GET %s: not a JWK Set (no \"keys\" array)", url)
	}
	return doc.Keys, nil
}

// cachedJwks is the key set at url, fetched once per case.
func cachedJwks(state *State, url string) ([]json.RawMessage, error) {
	if state.jwks == nil {
		state.jwks = map[string]*jwksEntry{}
	}
	e, ok := state.jwks[url]
	if !ok {
		keys, err := fetchJwks(url)
		e = &jwksEntry{keys: keys, err: err}
		state.jwks[url] = e
	}
	if e.err != nil {
		return nil, e.err
	}
	return e.keys, nil
}

func describe(v interface{}) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

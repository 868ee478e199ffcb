// Fetching a JWK Set (or COYO's key document) through the protocol, as a careful
// integrator's net/http client does: GET, no redirect followed, a 5 s time-out, a 64 KiB
// body bound (io.LimitReader), status 2xx, JSON with a "keys" array. One fetch per URL per
// case, a failure remembered too (no refetch storm). Neither Go library has a JWKS client.

package glue

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

func fetchSet(url string, keyDocument bool) ([]json.RawMessage, *Reject) {
	res, err := Fetch(url)
	if err != nil {
		return nil, Rejectf("key_unavailable", "GET %s: %v", url, err)
	}
	if res.Error != "" {
		return nil, Rejectf("key_unavailable", "GET %s: %s", url, res.Error)
	}
	if res.DelayMs > fetchTimeoutMs {
		return nil, Rejectf("key_unavailable", "GET %s: no answer within %d ms", url, fetchTimeoutMs)
	}
	if res.Status < 200 || res.Status >= 300 {
		return nil, Rejectf("key_unavailable", "GET %s: HTTP %d (redirects are not followed)", url, res.Status)
	}
	if len(res.Body) > fetchMaxBytes {
		return nil, Rejectf("key_unavailable", "GET %s: body over %d bytes", url, fetchMaxBytes)
	}
	if keyDocument {
		keys, isDoc, err := fromKeyDocument(url, res.Body)
		if err != nil {
			return nil, err
		}
		if isDoc {
			return keys, nil
		}
	}
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		return nil, Rejectf("key_unavailable", "GET %s: not JSON: %v", url, err)
	}
	if doc.Keys == nil {
		return nil, Rejectf("key_unavailable", "GET %s: not a JWK Set (no \"keys\" array)", url)
	}
	return doc.Keys, nil
}

// fromKeyDocument: COYO's {"alg": <WebCrypto algorithm>, "key": <JWK>} document (the shape
// COYO's own plug-in library reads from a jku; docs/rules.md coyo.fetch) as its one JWK.
func fromKeyDocument(u string, body string) ([]json.RawMessage, bool, *Reject) {
	var doc map[string]json.RawMessage
	if json.Unmarshal([]byte(body), &doc) != nil || doc["key"] == nil || doc["keys"] != nil {
		return nil, false, nil
	}
	bad := func(why string, a ...interface{}) *Reject {
		return Rejectf("key_unavailable", "GET %s: key document: %s", u, fmt.Sprintf(why, a...))
	}
	for k := range doc {
		if k != "alg" && k != "key" {
			return nil, true, bad("unknown member %q", k)
		}
	}
	var a struct {
		Name string      `json:"name"`
		Hash interface{} `json:"hash"`
	}
	json.Unmarshal(doc["alg"], &a)
	hash, _ := a.Hash.(string)
	if m, ok := a.Hash.(map[string]interface{}); ok {
		hash, _ = m["name"].(string)
	}
	alg := map[string]string{"SHA-256": "RS256", "SHA-512": "RS512"}[hash]
	if a.Name != "RSASSA-PKCS1-v1_5" || alg == "" {
		return nil, true, bad("alg %s is not RSASSA-PKCS1-v1_5 with SHA-256 or SHA-512", string(doc["alg"]))
	}
	var key map[string]interface{}
	if json.Unmarshal(doc["key"], &key) != nil || key == nil {
		return nil, true, bad("key is not a JWK object")
	}
	if ka, ok := key["alg"]; ok && ka != alg {
		return nil, true, bad("the key's alg %s is not the document's %s", Describe(ka), alg)
	}
	key["alg"] = alg
	raw, _ := json.Marshal(key)
	return []json.RawMessage{raw}, true, nil
}

// cached is the key set at url (a JWK Set, or with keyDocument also COYO's key document),
// fetched once per case.
func (st *State) cached(url string, keyDocument bool) ([]json.RawMessage, error) {
	if st.jwks == nil {
		st.jwks = map[string]*jwksEntry{}
	}
	e, ok := st.jwks[url]
	if !ok {
		keys, err := fetchSet(url, keyDocument)
		e = &jwksEntry{keys: keys, err: err}
		st.jwks[url] = e
	}
	if e.err != nil {
		return nil, e.err
	}
	return e.keys, nil
}

// Describe is v as JSON (fmt's %v when it is not JSON), for details.
func Describe(v interface{}) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

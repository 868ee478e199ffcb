// The pendo profile: HS256 signed metadata (Pendo's "Snippet Installation using Signed
// Metadata with JWT"). Glue: the subscription (mode, at most five active keys, permanent
// revocation, dedupe by event id), signingKeyName selecting the key, the top-level nonce,
// visitor/account. The token: the library with HS256 only and the secret's text as Pendo
// shows it, as []byte.

package glue

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

const pendoMaxKeys = 5

type pendoContext struct {
	Mode    string            `json:"mode"`
	Keys    []json.RawMessage `json:"keys"`
	Revoked []string          `json:"revoked"`
}

func pendoIdentity(data map[string]interface{}, signed bool) (interface{}, error) {
	out := map[string]interface{}{"anonymous": true, "signed": signed}
	for _, section := range []string{"visitor", "account"} {
		raw, ok := data[section]
		if !ok {
			continue
		}
		v, ok := raw.(map[string]interface{})
		if !ok {
			return nil, Rejectf("claim_invalid", "%s is not an object", section)
		}
		id, ok := v["id"]
		if !ok {
			continue
		}
		if section == "visitor" {
			s, ok := id.(string)
			if !ok {
				return nil, Rejectf("claim_invalid", "visitor.id is %s, not a string", Describe(id))
			}
			out["visitor_id"], out["anonymous"] = s, false
		} else {
			out["account_id"] = id
		}
	}
	return out, nil
}

// pendoKeys reads the subscription's keys: the active secrets by name, their names in order.
func pendoKeys(ctx *pendoContext, st *State, notes *[]string) (map[string][]byte, []string) {
	active := map[string][]byte{}
	var names []string
	for _, raw := range ctx.Keys {
		var j struct {
			Kid *string `json:"kid"`
			Kty string  `json:"kty"`
			K   *string `json:"k"`
		}
		if json.Unmarshal(raw, &j) != nil || j.Kid == nil {
			*notes = append(*notes, "a key without a name (kid) refused")
			continue
		}
		name := *j.Kid
		switch {
		case st.gone[name]:
			*notes = append(*notes, fmt.Sprintf("key %s refused: revoked, and revocation cannot be undone", name))
		case len(active) >= pendoMaxKeys:
			*notes = append(*notes, fmt.Sprintf("key %s refused: Pendo allows at most %d keys", name, pendoMaxKeys))
		case j.Kty != "oct" || j.K == nil:
			*notes = append(*notes, fmt.Sprintf("key %s refused: not an oct JWK", name))
		default:
			secret, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(*j.K, "="))
			if err != nil {
				*notes = append(*notes, fmt.Sprintf("key %s refused: k is not base64url", name))
				continue
			}
			active[name] = secret
			names = append(names, name)
		}
	}
	return active, names
}

func (v Vendor[K]) pendo(c *Case, now int64, st *State, notes *[]string) (interface{}, error) {
	var ctx pendoContext
	if err := json.Unmarshal(c.Context, &ctx); err != nil {
		return nil, err
	}
	if ctx.Mode != "disabled" && ctx.Mode != "allow" && ctx.Mode != "only_signed" {
		return nil, fmt.Errorf("context.mode %q is not disabled, allow or only_signed", ctx.Mode)
	}
	if st.gone == nil {
		st.gone, st.seen = map[string]bool{}, map[string]bool{}
	}
	for _, name := range ctx.Revoked {
		st.gone[name] = true
	}
	active, names := pendoKeys(&ctx, st, notes)
	var event map[string]json.RawMessage
	if err := json.Unmarshal(c.Input["event"], &event); err != nil || event == nil {
		return nil, Rejectf("malformed", "event is not an object")
	}
	var id string
	if err := json.Unmarshal(event["id"], &id); err != nil {
		return nil, Rejectf("malformed", "event.id is not a string (duplicates are dropped by id)")
	}
	rawJwt, hasJwt := event["jwt"]
	rawName, hasName := event["signingKeyName"]
	var out interface{}
	switch {
	case hasJwt && ctx.Mode == "disabled":
		return nil, Rejectf("signed_not_accepted", "\"Use signed metadata\" is disabled: events with a JWT are not accepted")
	case !hasJwt && !hasName:
		if ctx.Mode == "only_signed" {
			return nil, Rejectf("unsigned_rejected", "\"Only allow signed metadata\": the event has no JWT")
		}
		md := map[string]interface{}{}
		if raw, ok := event["metadata"]; ok {
			if err := json.Unmarshal(raw, &md); err != nil || md == nil {
				return nil, Rejectf("malformed", "event.metadata is not an object")
			}
		}
		o, err := pendoIdentity(md, false)
		if err != nil {
			return nil, err
		}
		out = o
	case !hasJwt:
		return nil, Rejectf("malformed", "signingKeyName without jwt")
	case !hasName:
		return nil, Rejectf("malformed", "jwt without signingKeyName (\"must have both jwt and signingKeyName\")")
	default:
		var token, name string
		if json.Unmarshal(rawJwt, &token) != nil {
			return nil, Rejectf("malformed", "jwt is not a string")
		}
		if json.Unmarshal(rawName, &name) != nil {
			return nil, Rejectf("malformed", "signingKeyName is not a string")
		}
		verified, err := v.Lib.Verify(token, []string{"HS256"}, func(*Token) ([]K, error) {
			if secret, ok := active[name]; ok {
				return []K{v.Lib.SecretKey(name, secret)}, nil
			}
			if st.gone[name] {
				return nil, Rejectf("key_revoked", "key %s was revoked", name)
			}
			return nil, Rejectf("key_unknown", "no active key named %q (%s)", name, strings.Join(names, ", "))
		})
		if err != nil {
			return nil, err
		}
		if err := v.Lib.CheckClaims(verified, Expect{}, now, 0); err != nil {
			return nil, err
		}
		// "A 'nonce' property must be included … at the top level … a value is required."
		if n, ok := verified.Claims["nonce"]; !ok || n == nil {
			return nil, Rejectf("claim_missing", "nonce missing at the top level")
		}
		o, err := pendoIdentity(verified.Claims, true)
		if err != nil {
			return nil, err
		}
		out = o
	}
	// "Pendo will drop any duplicate events it receives": only accepted events are remembered.
	if st.seen[id] {
		return nil, Rejectf("duplicate_event", "event %s was already received", id)
	}
	st.seen[id] = true
	return out, nil
}

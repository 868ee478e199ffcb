// The go-jose adapter's entry point: the jwtc protocol's hello and the dispatch loop
// (a case's profile → its handler, the outcome → the answer). build.sh builds it against
// Debian's golang-gopkg-square-go-jose.v2-dev.

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// libVersion is the go-jose release built against (build.sh sets it from Debian's
// package; go-jose has no version constant).
var libVersion = "unknown"

var handlers = map[string]func(c *Case, now int64, notes *[]string) (interface{}, error){
	"core":           verifyCore,
	"jws":            verifyJws,
	"pomerium":       verifyPomerium,
	"pomerium-proxy": proxyPomerium,
	"watson":         verifyWatson,
	"pendo":          verifyPendo,
	"coyo":           verifyCoyo,
}

// state is the running case's (reset at every step 0).
var state = &State{}

func profiles() []string {
	out := []string{}
	for _, p := range []string{"core", "jws", "pendo", "watson", "pomerium", "pomerium-proxy", "coyo"} {
		if _, ok := handlers[p]; ok {
			out = append(out, p)
		}
	}
	return out
}

func main() {
	line, err := readLine()
	if err != nil {
		fmt.Fprintln(os.Stderr, "no hello:", err)
		os.Exit(2)
	}
	var hello struct {
		Now int64 `json:"now"`
	}
	if err := json.Unmarshal(line, &hello); err != nil {
		fmt.Fprintln(os.Stderr, "hello is not JSON:", err)
		os.Exit(2)
	}
	now := hello.Now
	send(map[string]interface{}{
		"type": "hello", "name": "go-jose", "version": libVersion,
		"profiles": profiles(), "features": features(),
	})
	for {
		line, err := readLine()
		if err != nil {
			return
		}
		var c Case
		if err := json.Unmarshal(line, &c); err != nil {
			fmt.Fprintln(os.Stderr, "a line that is not a case:", err)
			continue
		}
		send(answer(&c, now))
	}
}

// answer runs one case step; a panic in the library or the glue is an error answer.
func answer(c *Case, now int64) (msg map[string]interface{}) {
	msg = map[string]interface{}{"type": "result", "id": c.ID, "step": c.Step}
	if c.Step == 0 {
		state = &State{}
	}
	var notes []string
	defer func() {
		if p := recover(); p != nil {
			msg["verdict"] = "error"
			msg["detail"] = fmt.Sprintf("panic: %v", p)
		}
	}()
	h, ok := handlers[c.Profile]
	if !ok {
		msg["verdict"] = "skip"
		msg["reason"] = "go-jose adapter: profile " + c.Profile + " is not implemented"
		return msg
	}
	out, err := h(c, now, &notes)
	detail := strings.Join(notes, "; ")
	switch e := err.(type) {
	case nil:
		msg["verdict"] = "accept"
		msg["output"] = out
		if d := depth(out); d > maxDepth {
			// The harness reads 128 levels: the accept is answered without its output.
			msg["output"] = map[string]interface{}{}
			notes = append(notes, fmt.Sprintf("accepted a payload nested %d deep; output left out", d))
		}
	case *Reject:
		msg["verdict"] = "reject"
		msg["error"] = e.Code
		detail = strings.TrimPrefix(e.Detail+"; "+detail, "; ")
	case *Skip:
		msg["verdict"] = "skip"
		msg["reason"] = e.Reason
	default:
		msg["verdict"] = "error"
		detail = strings.TrimPrefix(e.Error()+"; "+detail, "; ")
	}
	if detail = strings.TrimSuffix(detail, "; "); detail != "" {
		msg["detail"] = detail
	}
	return msg
}

// features: the optional features claimed (docs/protocol.md): go-jose verifies any JWS
// payload and implements ES512.
func features() []string {
	return []string{"jws-payload", "es512", "jwks-fetch", "builtin-keys", "proxy-role"}
}

// maxDepth is how deep an answer's output may nest (the harness reads 128 levels).
const maxDepth = 100

// depth is how deeply v's arrays and objects nest (after a JSON round trip).
func depth(v interface{}) int {
	b, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	d, most := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			d++
			if d > most {
				most = d
			}
		case c == ']' || c == '}':
			d--
		}
	}
	return most
}

// The Go adapters' entry point: the protocol's hello, the dispatch loop (a case's profile →
// its handler, the outcome → the answer), a case's state reset at step 0, the depth guard
// of an accept's output.

package glue

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Handler runs one step of a case of one profile at the suite's clock now; st is the
// case's state (fresh at step 0), notes what the answer's detail adds.
type Handler func(c *Case, now int64, st *State, notes *[]string) (interface{}, error)

// Adapter is what an adapter hands to Run.
type Adapter struct {
	// Name and Version are the hello's (Name also in the skip reason of an unknown profile).
	Name, Version string
	// Features are the optional features claimed (docs/protocol.md).
	Features []string
	// Handlers maps a profile to its handler.
	Handlers map[string]Handler
	// OnHello, when set, gets the suite's clock at the hello (a library's clock hook).
	OnHello func(now int64)
}

// profileOrder is the order the hello lists the profiles in.
var profileOrder = []string{"core", "jws", "pendo", "watson", "pomerium", "pomerium-proxy", "coyo"}

func (a *Adapter) profiles() []string {
	out := []string{}
	for _, p := range profileOrder {
		if _, ok := a.Handlers[p]; ok {
			out = append(out, p)
		}
	}
	return out
}

// Run answers the hello and then every case step until stdin ends.
func Run(a Adapter) {
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
	if a.OnHello != nil {
		a.OnHello(now)
	}
	send(map[string]interface{}{
		"type": "hello", "name": a.Name, "version": a.Version,
		"profiles": a.profiles(), "features": a.Features,
	})
	state := &State{}
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
		if c.Step == 0 {
			state = &State{}
		}
		send(a.answer(&c, now, state))
	}
}

// answer runs one case step; a panic in the library or the glue is an error answer.
func (a *Adapter) answer(c *Case, now int64, state *State) (msg map[string]interface{}) {
	msg = map[string]interface{}{"type": "result", "id": c.ID, "step": c.Step}
	var notes []string
	defer func() {
		if p := recover(); p != nil {
			msg["verdict"] = "error"
			msg["detail"] = fmt.Sprintf("panic: %v", p)
		}
	}()
	h, ok := a.Handlers[c.Profile]
	if !ok {
		msg["verdict"] = "skip"
		msg["reason"] = a.Name + " adapter: profile " + c.Profile + " is not implemented"
		return msg
	}
	out, err := h(c, now, state, &notes)
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

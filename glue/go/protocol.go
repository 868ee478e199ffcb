// The jwtc protocol (docs/protocol.md) for the Go adapters: JSON Lines on stdin and stdout,
// one message a line; Fetch asks the harness for a URL and reads its answer.

package glue

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

// Reject is a reject verdict: the error code of docs/rules.md and why.
type Reject struct {
	Code   string
	Detail string
}

func (r *Reject) Error() string { return r.Code + ": " + r.Detail }

// Rejectf is a Reject with code and a formatted detail.
func Rejectf(code, format string, args ...interface{}) *Reject {
	return &Reject{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Skip is a case the adapter cannot run, with the reason.
type Skip struct{ Reason string }

func (s *Skip) Error() string { return "skip: " + s.Reason }

// Case is one case message (one step of a case).
type Case struct {
	ID      string                     `json:"id"`
	Profile string                     `json:"profile"`
	Step    int                        `json:"step"`
	Steps   int                        `json:"steps"`
	Input   map[string]json.RawMessage `json:"input"`
	Context json.RawMessage            `json:"context"`
}

// Fetched is the harness's answer to a fetch.
type Fetched struct {
	URL     string            `json:"url"`
	Status  int               `json:"status"`
	Body    string            `json:"body"`
	Headers map[string]string `json:"headers"`
	DelayMs int64             `json:"delay_ms"`
	Error   string            `json:"error"`
}

var (
	in  = bufio.NewReaderSize(os.Stdin, 1<<20)
	out = bufio.NewWriter(os.Stdout)
)

// send writes one message and flushes it.
func send(msg map[string]interface{}) {
	b, err := json.Marshal(msg)
	if err != nil {
		b, _ = json.Marshal(map[string]interface{}{"type": "result", "verdict": "error", "detail": "cannot encode the answer: " + err.Error()})
	}
	out.Write(b)
	out.WriteByte('\n')
	out.Flush()
}

// readLine reads the next non-blank line; io.EOF at the end of input.
func readLine() ([]byte, error) {
	for {
		line, err := in.ReadBytes('\n')
		trimmed := trimSpace(line)
		if len(trimmed) > 0 {
			return trimmed, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// Fetch asks the harness for url and returns its answer.
func Fetch(url string) (*Fetched, error) {
	send(map[string]interface{}{"type": "fetch", "url": url})
	line, err := readLine()
	if err != nil {
		return nil, fmt.Errorf("no fetched answer for %s: %v", url, err)
	}
	var f Fetched
	if err := json.Unmarshal(line, &f); err != nil {
		return nil, fmt.Errorf("the fetched answer for %s is not JSON: %v", url, err)
	}
	return &f, nil
}

#!/usr/bin/env python3
"""A minimal jwtc adapter (docs/protocol.md), standard library only.

Run it:  cargo xtask conformance --cmd "python3 docs/adapter_example.py"

As written it verifies nothing: it answers `skip` with a reason for every case, so the
run has no failures, only skips. Make it real by filling in verify() with a call into
your library; everything else is the protocol.
"""
import json
import sys


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()  # one line per message, flushed: the harness waits for it


def fetch(url):
    """Ask the harness for a URL (it plays the network); returns {status, body, ...}."""
    send({"type": "fetch", "url": url})
    return json.loads(sys.stdin.readline())


class Skip(Exception):
    pass


def verify(profile, step, input, context, now, state):
    """Return {"verdict": "accept", "output": {...}} or {"verdict": "reject", "error": code}.

    `state` is a dict that lives from a case's step 0 to its last step (scenarios).
    Raise Skip("why") for what your library does not do.
    """
    raise Skip("adapter_example.py verifies nothing: fill in verify() with your library")


def main():
    now, state = 0, {}
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["type"] == "hello":
            now = msg["now"]
            print(f"adapter_example: clock {now}", file=sys.stderr)  # logs go to stderr
            send({"type": "hello", "name": "adapter-example", "version": "0.1.0"})
        elif msg["type"] == "case":
            if msg["step"] == 0:
                state = {}  # a new case: fresh state
            answer = {"id": msg["id"], "step": msg["step"]}
            try:
                answer.update(type="result", **verify(msg["profile"], msg["step"],
                              msg["input"], msg["context"], now, state))
            except Skip as why:
                answer.update(type="skip", reason=str(why))
            except Exception as e:  # a bug in the adapter: say so, do not die
                answer.update(type="result", verdict="error", detail=repr(e))
            send(answer)


if __name__ == "__main__":
    main()

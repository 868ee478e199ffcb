"""The protocol side of the joserfc adapter (docs/protocol.md): writing messages, the
outcomes a profile raises (Skip, Reject, AdapterError), and answers made safe for JSON."""

from __future__ import annotations

import json
import sys


def log(*args):
    print("joserfc-adapter:", *args, file=sys.stderr, flush=True)


def send(msg):
    sys.stdout.write(json.dumps(msg, allow_nan=False) + "\n")
    sys.stdout.flush()


def json_safe(value, notes):
    """What joserfc's `json.loads` returns can hold what JSON cannot carry: NaN and Infinity
    (Python's json accepts those literals) and lone surrogates (from `\\ud800` escapes).
    They are written as strings / U+FFFD, and the answer's detail says so, so an accept of
    such a token shows as an accept instead of crashing the protocol."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        notes.append(f"joserfc accepted the non-JSON number {value!r} (written as a string here)")
        return repr(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            notes.append("joserfc accepted a string holding a lone surrogate (written as U+FFFD here)")
            return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in value)
    if isinstance(value, list):
        return [json_safe(v, notes) for v in value]
    if isinstance(value, dict):
        return {json_safe(k, notes): json_safe(v, notes) for k, v in value.items()}
    return value


class Skip(Exception):
    pass


class Reject(Exception):
    def __init__(self, error, detail=""):
        super().__init__(detail or error)
        self.error = error
        self.detail = detail


class AdapterError(Exception):
    """A context the adapter cannot run (a bug or a bad case): answered `error`."""


def with_notes(detail, notes):
    if notes:
        return f"{detail}; configuration: {'; '.join(notes)}" if detail else "configuration: " + "; ".join(notes)
    return detail


def fetch(url):
    """The harness plays the network: send `fetch`, read the `fetched` answer."""
    send({"type": "fetch", "url": url})
    line = sys.stdin.readline()
    if not line:
        raise AdapterError("stdin closed while waiting for a fetched answer")
    msg = json.loads(line)
    if msg.get("type") != "fetched":
        raise AdapterError(f"expected a fetched answer, got {msg.get('type')!r}")
    return msg

"""The protocol side of a Python adapter (docs/protocol.md): writing messages, the
`fetch`/`fetched` exchange, the outcomes a profile raises (Skip, Reject, AdapterError),
`describe` (an exception named with its class), and answers made safe for JSON."""

from __future__ import annotations

import json
import sys


def logger(name):
    """`log(*args)` writing `<name>-adapter: ...` lines to stderr."""

    def log(*args):
        print(f"{name}-adapter:", *args, file=sys.stderr, flush=True)

    return log


def send(msg):
    sys.stdout.write(json.dumps(msg, allow_nan=False) + "\n")
    sys.stdout.flush()


def describe(e: BaseException) -> str:
    return f"{type(e).__module__}.{type(e).__name__}: {e}"


def json_safe(value, notes, library):
    """What a library's `json.loads` returns can hold what JSON cannot carry: NaN and Infinity
    (Python's json accepts those literals) and lone surrogates (from `\\ud800` escapes).
    They are written as strings / U+FFFD, and the answer's detail says so (naming `library`),
    so an accept of such a token shows as an accept instead of crashing the protocol."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        notes.append(f"{library} accepted the non-JSON number {value!r} (written as a string here)")
        return repr(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            notes.append(f"{library} accepted a string holding a lone surrogate (written as U+FFFD here)")
            return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in value)
    if isinstance(value, list):
        return [json_safe(v, notes, library) for v in value]
    if isinstance(value, dict):
        return {json_safe(k, notes, library): json_safe(v, notes, library) for k, v in value.items()}
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


# An answer names an exception with its module (`describe`). These classes lived in each
# adapter's own `protocol` module before they were shared; answers keep their exact text,
# `protocol.AdapterError: ...`.
for _cls in (Skip, Reject, AdapterError):
    _cls.__module__ = "protocol"


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

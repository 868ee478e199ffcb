"""The start-up and dispatch loop of a Python adapter: the hello answered, each case step
handed to the profile's handler (state kept across a case's steps), the outcome turned into
the answer. What differs per library comes in as an `Adapter` (glue/python/README.md)."""

from __future__ import annotations

import json
import sys
import traceback
from dataclasses import dataclass, field
from typing import Callable

from jwtc_glue.protocol import AdapterError, Reject, Skip, describe, json_safe, logger, send


@dataclass
class Adapter:
    name: str  # the library's name: hello's `name`, the log prefix, the details
    version: str  # hello's `version`
    handlers: dict  # profile -> handler(input, context, state) -> result dict
    features: list  # hello's `features`
    set_clock: Callable[[int], None]  # given hello's `now`
    base_error: str  # the library's exception base class, named in the RecursionError detail
    hello_extra: dict = field(default_factory=dict)  # e.g. {"pattern": ...} of a history row


def run_case(adapter, msg, state, log):
    answer = {"id": msg.get("id"), "step": msg.get("step", 0)}
    handler = adapter.handlers.get(msg.get("profile"))
    try:
        if handler is None:
            raise Skip(f"profile {msg.get('profile')!r} is not implemented by this adapter (README.md)")
        ctx = msg.get("context") or {}
        inp = msg.get("input") or {}
        if not isinstance(ctx, dict) or not isinstance(inp, dict):
            raise AdapterError("context/input is not an object")
        res = handler(inp, ctx, state)
        unsafe = []
        res = json_safe(res, unsafe, adapter.name)
        if unsafe:
            res["detail"] = "; ".join(unsafe)
        answer.update(type="result", **res)
    except Skip as s:
        answer.update(type="skip", reason=str(s))
    except Reject as r:
        answer.update(type="result", verdict="reject", error=r.error, detail=r.detail)
    except RecursionError as e:
        # json's RecursionError out of decode (a payload nested 5000 deep): the token is refused.
        answer.update(
            type="result",
            verdict="reject",
            error="malformed",
            detail=f"{adapter.name} raised {describe(e)} (not a {adapter.base_error})",
        )
    except Exception as e:  # noqa: BLE001 - an adapter bug: say so, do not die
        log("adapter error on", msg.get("id"), traceback.format_exc())
        answer.update(type="result", verdict="error", detail=describe(e))
    return answer


def run(adapter):
    """Serve the protocol on stdin/stdout until stdin ends."""
    log = logger(adapter.name)
    state = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
        except ValueError:
            log("ignoring a line that is not JSON:", line[:200])
            continue
        kind = msg.get("type")
        if kind == "hello":
            adapter.set_clock(int(msg["now"]))
            send(
                {
                    "type": "hello",
                    "name": adapter.name,
                    "version": adapter.version,
                    "profiles": list(adapter.handlers),
                    "features": adapter.features,
                    **adapter.hello_extra,
                }
            )
        elif kind == "case":
            if msg.get("step", 0) == 0:
                state = {}
            send(run_case(adapter, msg, state, log))
        else:
            log("ignoring message of type", kind)

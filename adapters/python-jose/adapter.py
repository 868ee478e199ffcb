#!/usr/bin/env python3
"""jwtc adapter for python-jose (docs/protocol.md): JSON Lines on stdin/stdout, logs on
stderr. This file is the start-up and the dispatch loop; the rest is in modules beside it.

Every verification goes through python-jose's own API (`jose.jwt.decode`, `jose.jws.verify`)
with the configured keys handed over as they are (README.md); the vendor profiles (pendo,
watson, pomerium, pomerium-proxy, coyo) through the same `jose.jwt.decode` and the glue
python-jose has no option for, on the current release (the history rows claim core and jws
only).

Usage: venv/bin/python3 adapter.py [--no-algorithms]  (the history rows' call pattern, calls.py)

The modules (imported from this script's folder, `sys.path[0]`): `clock` (the suite clock,
pinned where python-jose reads the time), `calls` (the options, algorithms and key argument),
`protocol` (messages, the outcomes Skip/Reject/AdapterError), `errors` (python-jose's
exceptions -> error codes), `core` (core and jws), `verify` (the vendor profiles' key
construction and decode call), `jwks` (a JWK Set over the protocol), `pendo`, `watson`,
`pomerium` (both roles), `coyo`.
"""

from __future__ import annotations

import json
import sys
import traceback

# The modules beside this script are read from source: no __pycache__ is written into the
# adapter's folder (set before they are imported).
sys.dont_write_bytecode = True

# clock first: it pins python-jose's clock at import, before any token can be decoded.
import clock  # noqa: E402
import jose  # noqa: E402

from calls import NO_ALGORITHMS  # noqa: E402
from core import core, plain_jws  # noqa: E402
from coyo import coyo  # noqa: E402
from errors import describe  # noqa: E402
from pendo import pendo  # noqa: E402
from pomerium import pomerium, pomerium_proxy  # noqa: E402
from protocol import AdapterError, Reject, Skip, json_safe, log, send  # noqa: E402
from watson import watson  # noqa: E402

NAME = "python-jose"
# The optional features claimed (docs/protocol.md): jws-payload (jose.jws.verify returns any
# payload) and es512; with the vendor profiles (the current row; the history rows' call
# pattern claims core and jws) also jwks-fetch, builtin-keys and proxy-role.
FEATURES = ["jws-payload", "es512"] + ([] if NO_ALGORITHMS else ["jwks-fetch", "builtin-keys", "proxy-role"])
HANDLERS = {"core": core, "jws": plain_jws}
if not NO_ALGORITHMS:
    HANDLERS.update(pendo=pendo, watson=watson, pomerium=pomerium, coyo=coyo)
    HANDLERS["pomerium-proxy"] = pomerium_proxy
PROFILES = list(HANDLERS)


def run_case(msg, state):
    answer = {"id": msg.get("id"), "step": msg.get("step", 0)}
    handler = HANDLERS.get(msg.get("profile"))
    try:
        if handler is None:
            raise Skip(f"profile {msg.get('profile')!r} is not implemented by this adapter (README.md)")
        ctx = msg.get("context") or {}
        inp = msg.get("input") or {}
        if not isinstance(ctx, dict) or not isinstance(inp, dict):
            raise AdapterError("context/input is not an object")
        res = handler(inp, ctx, state)
        unsafe = []
        res = json_safe(res, unsafe)
        if unsafe:
            res["detail"] = "; ".join(unsafe)
        answer.update(type="result", **res)
    except Skip as s:
        answer.update(type="skip", reason=str(s))
    except Reject as r:
        answer.update(type="result", verdict="reject", error=r.error, detail=r.detail)
    except RecursionError as e:
        # json's RecursionError out of decode (a payload nested 5000 deep): the token is refused.
        answer.update(type="result", verdict="reject", error="malformed", detail=f"python-jose raised {describe(e)} (not a JOSEError)")
    except Exception as e:  # noqa: BLE001 - an adapter bug: say so, do not die
        log("adapter error on", msg.get("id"), traceback.format_exc())
        answer.update(type="result", verdict="error", detail=describe(e))
    return answer


def main():
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
            clock.SUITE_NOW = int(msg["now"])
            send(
                {
                    "type": "hello",
                    "name": NAME,
                    "version": jose.__version__,
                    "profiles": PROFILES,
                    "features": FEATURES,
                    **({"pattern": "jwt.decode(token, key text), algorithms=None"} if NO_ALGORITHMS else {}),
                }
            )
        elif kind == "case":
            if msg.get("step", 0) == 0:
                state = {}
            send(run_case(msg, state))
        else:
            log("ignoring message of type", kind)


if __name__ == "__main__":
    main()

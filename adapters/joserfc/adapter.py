#!/usr/bin/env python3
"""jwtc adapter for joserfc (docs/protocol.md): JSON Lines on stdin/stdout, logs on stderr.
This file is the start-up and the dispatch loop; the rest is in modules beside it.

Every verification goes through joserfc's own API, as its guide shows it:
`joserfc.jwt.decode(token, key, algorithms=[...])` then
`JWTClaimsRegistry(now=, leeway=, **essential claims).validate(token.claims)`, and
`joserfc.jws.deserialize_compact` for plain JWS; the keys as `Key`s or a `KeySet`. The glue is
only what joserfc has no option for (README.md): Pendo's key ring, modes and dedupe, Watson's
`sub` character set, `user_payload` decryption and session pin, Pomerium's header lookup,
identity and proxy role, COYO's issuer patterns and `jku` allowlist, and a JWK Set fetched
through the protocol.

The modules (imported from this script's folder, `sys.path[0]`): `clock` (the suite clock,
given to JWTClaimsRegistry), `calls` (key import, the decode-and-validate call), `protocol`
(messages, `fetch`, the outcomes Skip/Reject/AdapterError), `errors` (joserfc's exceptions ->
error codes), `jwks` (a JWK Set over the protocol), and one module per profile: `core` (core
and jws), `pendo`, `watson`, `pomerium` (both roles), `coyo`.
"""

from __future__ import annotations

import json
import sys
import traceback

# The modules beside this script are read from source: no __pycache__ is written into the
# adapter's folder (set before they are imported).
sys.dont_write_bytecode = True

import clock  # noqa: E402
import joserfc  # noqa: E402

from core import core, plain_jws  # noqa: E402
from coyo import coyo  # noqa: E402
from errors import describe  # noqa: E402
from pendo import pendo  # noqa: E402
from pomerium import pomerium, pomerium_proxy  # noqa: E402
from protocol import AdapterError, Reject, Skip, json_safe, log, send  # noqa: E402
from watson import watson  # noqa: E402

NAME = "joserfc"
# The optional features claimed (docs/protocol.md): all of them.
FEATURES = ["jws-payload", "es512", "jwks-fetch", "builtin-keys", "proxy-role"]
HANDLERS = {
    "core": core,
    "jws": plain_jws,
    "pendo": pendo,
    "watson": watson,
    "pomerium": pomerium,
    "pomerium-proxy": pomerium_proxy,
    "coyo": coyo,
}
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
        answer.update(type="result", verdict="reject", error="malformed", detail=f"joserfc raised {describe(e)} (not a JoseError)")
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
                    "version": joserfc.__version__,
                    "profiles": PROFILES,
                    "features": FEATURES,
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

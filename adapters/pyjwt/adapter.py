#!/usr/bin/env python3
"""jwtc adapter for PyJWT (docs/protocol.md): JSON Lines on stdin/stdout, logs on stderr.
This file is the start-up and the dispatch loop; the rest is in modules beside it.

Every verification goes through PyJWT's own API (`jwt.decode`, `jwt.api_jws.decode_complete`,
`jwt.get_unverified_header`, `jwt.PyJWK`, `jwt.PyJWKClient`, `jwt.encode`); the glue here is
only what PyJWT has no option for (see README.md): choosing a key from a static set by `kid`,
Pendo's key ring, modes, nonce-free identity rules and dedupe, Watson's `sub` character set,
`user_payload` decryption and session pin, Pomerium's header lookup, identity and proxy role,
COYO's issuer patterns and `jku` allowlist.

The modules (imported from this script's folder, `sys.path[0]`): `clock` (the suite clock,
pinned where PyJWT reads the time), `calls` (PyJWT's strict options and the history rows'
switches), `errors` (PyJWT's exceptions -> error codes), `keys` (key import, candidate
selection), `jwks` (PyJWKClient over the protocol), and one module per profile: `core` (core
and jws), `pendo`, `watson`, `pomerium` (both roles), `coyo`, and `signer` (`pendo-signer`,
`watson-signer`: minting with `jwt.encode`). From glue/python/jwtc_glue: `protocol` (messages,
`fetch`, the outcomes Skip/Reject/AdapterError, `describe`) and `jwks.from_key_document`.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

# The modules beside this script are read from source: no __pycache__ is written into the
# adapter's folder (set before they are imported).
sys.dont_write_bytecode = True
# The shared glue (glue/python/jwtc_glue), found from this file's place in the checkout, so
# any row's venv python runs it.
sys.path.insert(1, str(Path(__file__).resolve().parents[2] / "glue" / "python"))

# clock first: it pins PyJWT's clock at import, before any token can be decoded.
import clock  # noqa: E402
import jwt  # noqa: E402
from jwtc_glue.protocol import AdapterError, Reject, Skip, describe, json_safe, logger, send  # noqa: E402

from cryptography import __version__ as CRYPTOGRAPHY_VERSION  # noqa: E402

from calls import ALL_ALGORITHMS  # noqa: E402
from core import core, plain_jws  # noqa: E402
from coyo import coyo  # noqa: E402
from pendo import pendo  # noqa: E402
from pomerium import pomerium, pomerium_proxy  # noqa: E402
from signer import pendo_signer, watson_signer  # noqa: E402
from watson import watson  # noqa: E402

NAME = "pyjwt"
log = logger(NAME)
# An answer names an exception with its module (describe). AdapterError lived in this entry
# script until the adapter was split into modules; its answers keep their exact text,
# `__main__.AdapterError: ...` (the shared class is this process's own).
AdapterError.__module__ = "__main__"
# The optional features claimed (docs/protocol.md): all of them.
FEATURES = ["jws-payload", "es512", "jwks-fetch", "builtin-keys", "proxy-role"]
PROFILES = ["core", "jws", "pendo", "watson", "pomerium", "pomerium-proxy", "coyo", "pendo-signer", "watson-signer"]

HANDLERS = {
    "core": core,
    "jws": plain_jws,
    "pendo": pendo,
    "watson": watson,
    "pomerium": pomerium,
    "pomerium-proxy": pomerium_proxy,
    "coyo": coyo,
    "pendo-signer": pendo_signer,
    "watson-signer": watson_signer,
}


def run_case(msg, state):
    answer = {"id": msg.get("id"), "step": msg.get("step", 0)}
    handler = HANDLERS.get(msg.get("profile"))
    try:
        if handler is None:
            raise Skip(f"profile {msg.get('profile')!r} is not implemented by this adapter")
        ctx = msg.get("context") or {}
        inp = msg.get("input") or {}
        if not isinstance(ctx, dict) or not isinstance(inp, dict):
            raise AdapterError("context/input is not an object")
        res = handler(inp, ctx, state)
        unsafe = []
        res = json_safe(res, unsafe, "PyJWT")
        if unsafe:
            res["detail"] = "; ".join(filter(None, [res.get("detail", ""), *unsafe]))
        answer.update(type="result", **{k: v for k, v in res.items() if v != "" or k != "detail"})
    except Skip as s:
        answer.update(type="skip", reason=str(s))
    except Reject as r:
        answer.update(type="result", verdict="reject", error=r.error, detail=r.detail)
    except RecursionError as e:
        # An older PyJWT lets json's RecursionError out of decode: the token is refused.
        answer.update(type="result", verdict="reject", error="malformed", detail=f"PyJWT raised {describe(e)} (not a PyJWTError)")
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
                    "version": jwt.__version__,
                    "profiles": PROFILES,
                    "features": FEATURES,
                    # The signers read the wall clock, as PyJWT's README writes exp.
                    "clock": "wall",
                    "cryptography": CRYPTOGRAPHY_VERSION,
                    **({"pattern": "algorithms=get_default_algorithms(), key text"} if ALL_ALGORITHMS else {}),
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

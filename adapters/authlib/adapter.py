#!/usr/bin/env python3
"""jwtc adapter for authlib's JOSE module, authlib.jose (docs/protocol.md): JSON Lines on
stdin/stdout, logs on stderr. This file is the start-up; the dispatch loop is the shared one
(glue/python, jwtc_glue.serve) and the rest is in modules beside it.

Every verification goes through authlib.jose's own API (`JsonWebToken.decode` then
`JWTClaims.validate(now=, leeway=)`, `JsonWebSignature.deserialize_compact`) with the
configured keys handed over as authlib takes them (README.md); the vendor profiles (pendo,
watson, pomerium, pomerium-proxy, coyo) through the same `JsonWebToken.decode` and the glue
authlib has no option for, on the current release (the history rows claim core and jws only).

Usage: venv/bin/python3 adapter.py [--no-algorithms]  (the history rows' call pattern, calls.py)

The modules (imported from this script's folder, `sys.path[0]`): `clock` (the suite clock,
given to authlib's validate), `calls` (the JsonWebToken/JsonWebSignature instance and the key
argument), `errors` (authlib's exceptions -> error codes), `core` (core and jws), `verify` (the
vendor profiles' key import and decode call), `jwks` (a JWK Set over the protocol), `library`
(what the shared vendor profiles need of authlib). From glue/python/jwtc_glue: `protocol`
(messages, the outcomes Skip/Reject/AdapterError), `serve` (the loop), `profiles` (pendo,
watson, pomerium in both roles, coyo).
"""

from __future__ import annotations

import sys
from pathlib import Path

# The modules beside this script are read from source: no __pycache__ is written into the
# adapter's folder (set before they are imported).
sys.dont_write_bytecode = True
# The shared glue (glue/python/jwtc_glue), found from this file's place in the checkout, so
# any row's venv python runs it.
sys.path.insert(1, str(Path(__file__).resolve().parents[2] / "glue" / "python"))

import clock  # noqa: E402
import authlib  # noqa: E402
from jwtc_glue.profiles import vendor_profiles  # noqa: E402
from jwtc_glue.serve import Adapter, run  # noqa: E402

from calls import KEY_LOOKUP, NO_ALGORITHMS  # noqa: E402
from core import core, plain_jws  # noqa: E402
import library  # noqa: E402

# The history rows (a call-pattern flag, or --core-only) claim core and jws; the current row
# every verifier profile.
CORE_ONLY = NO_ALGORITHMS or KEY_LOOKUP or "--core-only" in sys.argv[1:]
# The optional features claimed (docs/protocol.md): jws-payload (deserialize_compact returns any
# payload) and es512; with the vendor profiles also jwks-fetch, builtin-keys and proxy-role.
FEATURES = ["jws-payload", "es512"] + ([] if CORE_ONLY else ["jwks-fetch", "builtin-keys", "proxy-role"])
HANDLERS = {"core": core, "jws": plain_jws}
if not CORE_ONLY:
    PROFILES = vendor_profiles(library)
    HANDLERS.update((p, PROFILES[p]) for p in ("pendo", "watson", "pomerium", "coyo", "pomerium-proxy"))
PATTERN = {}
if NO_ALGORITHMS:
    PATTERN = {"pattern": "authlib.jose.jwt.decode(token, key text)"}
if KEY_LOOKUP:
    PATTERN = {"pattern": "JsonWebSignature.deserialize_compact(token, keys.get(kid))"}


def set_clock(now):
    clock.SUITE_NOW = now


if __name__ == "__main__":
    run(Adapter("authlib", authlib.__version__, HANDLERS, FEATURES, set_clock, "JoseError", PATTERN))

#!/usr/bin/env python3
"""jwtc adapter for joserfc (docs/protocol.md): JSON Lines on stdin/stdout, logs on stderr.
This file is the start-up; the dispatch loop is the shared one (glue/python,
jwtc_glue.serve) and the rest is in modules beside it.

Every verification goes through joserfc's own API, as its guide shows it:
`joserfc.jwt.decode(token, key, algorithms=[...])` then
`JWTClaimsRegistry(now=, leeway=, **essential claims).validate(token.claims)`, and
`joserfc.jws.deserialize_compact` for plain JWS; the keys as `Key`s or a `KeySet`. The glue is
only what joserfc has no option for (README.md): Pendo's key ring, modes and dedupe, Watson's
`sub` character set, `user_payload` decryption and session pin, Pomerium's header lookup,
identity and proxy role, COYO's issuer patterns and `jku` allowlist, and a JWK Set fetched
through the protocol.

The modules (imported from this script's folder, `sys.path[0]`): `clock` (the suite clock,
given to JWTClaimsRegistry), `calls` (key import, the decode-and-validate call), `errors`
(joserfc's exceptions -> error codes), `jwks` (a JWK Set over the protocol), `core` (core and
jws), `library` (what the shared vendor profiles need of joserfc). From glue/python/jwtc_glue:
`protocol` (messages, `fetch`, the outcomes Skip/Reject/AdapterError), `serve` (the loop),
`profiles` (pendo, watson, pomerium in both roles, coyo).
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
import joserfc  # noqa: E402
from jwtc_glue.profiles import vendor_profiles  # noqa: E402
from jwtc_glue.serve import Adapter, run  # noqa: E402

from core import core, plain_jws  # noqa: E402
import library  # noqa: E402

# The optional features claimed (docs/protocol.md): all of them.
FEATURES = ["jws-payload", "es512", "jwks-fetch", "builtin-keys", "proxy-role"]
PROFILES = vendor_profiles(library)
HANDLERS = {"core": core, "jws": plain_jws, **{p: PROFILES[p] for p in ("pendo", "watson", "pomerium", "pomerium-proxy", "coyo")}}


def set_clock(now):
    clock.SUITE_NOW = now


if __name__ == "__main__":
    run(Adapter("joserfc", joserfc.__version__, HANDLERS, FEATURES, set_clock, "JoseError"))

#!/usr/bin/env python3
"""jwtc adapter for python-jose (docs/protocol.md): JSON Lines on stdin/stdout, logs on
stderr. This file is the start-up; the dispatch loop is the shared one
(glue/python, jwtc_glue.serve) and the rest is in modules beside it.

Every verification goes through python-jose's own API (`jose.jwt.decode`, `jose.jws.verify`)
with the configured keys handed over as they are (README.md); the vendor profiles (pendo,
watson, pomerium, pomerium-proxy, coyo) through the same `jose.jwt.decode` and the glue
python-jose has no option for, on the current release (the history rows claim core and jws
only).

Usage: venv/bin/python3 adapter.py [--no-algorithms]  (the history rows' call pattern, calls.py)

The modules (imported from this script's folder, `sys.path[0]`): `clock` (the suite clock,
pinned where python-jose reads the time), `calls` (the options, algorithms and key argument),
`errors` (python-jose's exceptions -> error codes), `core` (core and jws), `verify` (the vendor
profiles' key construction and decode call), `jwks` (a JWK Set over the protocol), `library`
(what the shared vendor profiles need of python-jose). From glue/python/jwtc_glue: `protocol`
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

# clock first: it pins python-jose's clock at import, before any token can be decoded.
import clock  # noqa: E402
import jose  # noqa: E402
from jwtc_glue.profiles import vendor_profiles  # noqa: E402
from jwtc_glue.serve import Adapter, run  # noqa: E402

from calls import NO_ALGORITHMS  # noqa: E402
from core import core, plain_jws  # noqa: E402
import library  # noqa: E402

# The optional features claimed (docs/protocol.md): jws-payload (jose.jws.verify returns any
# payload) and es512; with the vendor profiles (the current row; the history rows' call
# pattern claims core and jws) also jwks-fetch, builtin-keys and proxy-role.
FEATURES = ["jws-payload", "es512"] + ([] if NO_ALGORITHMS else ["jwks-fetch", "builtin-keys", "proxy-role"])
HANDLERS = {"core": core, "jws": plain_jws}
if not NO_ALGORITHMS:
    PROFILES = vendor_profiles(library)
    HANDLERS.update((p, PROFILES[p]) for p in ("pendo", "watson", "pomerium", "coyo", "pomerium-proxy"))
PATTERN = {"pattern": "jwt.decode(token, key text), algorithms=None"} if NO_ALGORITHMS else {}


def set_clock(now):
    clock.SUITE_NOW = now


if __name__ == "__main__":
    run(Adapter("python-jose", jose.__version__, HANDLERS, FEATURES, set_clock, "JOSEError", PATTERN))

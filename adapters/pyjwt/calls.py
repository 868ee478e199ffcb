"""How the PyJWT adapter calls PyJWT: the strict options every profile shares, the
`algorithms=` argument, and the switches of the history rows.

History rows (adapter.json `variants`, README.md "History"): the same program runs older
PyJWT releases. Where an API of the current release is missing (PyJWK accepted as a key by
`jwt.decode`/`jwt.encode`, exception classes, PyJWKClient's cache and transport attributes),
the adapter does what users of that release did (`signing_key.key`, the urllib errors).
`--all-algorithms` is the call pattern the CVE-2022-29217 advisory describes for PyJWT < 2.4:
`algorithms=jwt.algorithms.get_default_algorithms()` and key files passed as their text
(`jwt.decode(token, public_key_text, ...)`, as PyJWT's usage docs show).
"""

from __future__ import annotations

import sys

import jwt
import jwt.algorithms
import jwt.api_jws
from jwt import PyJWK

# PyJWT's strictest documented settings (jwt.types.Options), shared by every profile.
STRICT = {
    "verify_signature": True,
    "verify_exp": True,
    "verify_nbf": True,
    "verify_iat": True,
    "verify_aud": True,
    "verify_iss": True,
    "verify_sub": True,
    "verify_jti": True,
    "enforce_minimum_key_length": True,
}


def options(require=(), strict_aud=False):
    return {**STRICT, "require": list(require), "strict_aud": strict_aud}


# The history rows' switch (README.md, "History"): the pre-2.4 call pattern of the
# CVE-2022-29217 advisory, every algorithm PyJWT has and key files given as text.
ALL_ALGORITHMS = "--all-algorithms" in sys.argv[1:]


def allowed(algs):
    """The `algorithms=` argument: the context's list, or under `--all-algorithms` what
    the advisory's users passed, `jwt.algorithms.get_default_algorithms()`."""
    if ALL_ALGORITHMS:
        return jwt.algorithms.get_default_algorithms()
    return list(algs)


# PyJWT < 2.10 takes no PyJWK as the key of jwt.decode/jwt.encode: its users passed the
# key object inside it (`signing_key.key`, as PyJWT's PyJWKClient docs of those releases show).
TAKES_PYJWK = hasattr(jwt.api_jws, "PyJWK")


def as_key(k):
    return k if TAKES_PYJWK or not isinstance(k, PyJWK) else k.key

"""The `core` (a JWT verifier with one algorithm) and `jws` (plain RFC 7515) profiles of the
python-jose adapter.

The configured keys go to python-jose as they are, as its docstring allows: "a dict with
the 'keys' key that gives a tuple or list of keys" (a JWK as its dict, a PEM key as its
text). python-jose tries every key of the set for the token's algorithm
(`jws._sig_matches_keys`); the glue chooses no key, so python-jose's own key handling shows.
"""

from __future__ import annotations

import base64

from jose import exceptions as E
from jose import jws, jwt
from jose.constants import ALGORITHMS

from calls import algorithms, key_of, strict_options
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, Skip, describe


def _unimplemented(alg):
    """An algorithm python-jose does not implement (RSASSA-PSS: ALGORITHMS.SUPPORTED has no
    PS*) is a skip, not a verdict."""
    if isinstance(alg, str) and alg.startswith("PS") and alg not in ALGORITHMS.SUPPORTED:
        raise Skip(f"python-jose implements no {alg} (jose.constants.ALGORITHMS.SUPPORTED)")


def _escaped(e):
    """python-jose lets some exceptions out that are no JOSEError: cryptography's ValueError
    for a key it cannot build (an RSA e below 3, an EC point off the curve) and int()'s
    TypeError for an exp or nbf that is null or an array. The token is refused all the same;
    the detail says the exception was not python-jose's."""
    code = "claim_invalid" if isinstance(e, TypeError) else "key_unknown"
    return Reject(code, f"python-jose let {describe(e)} escape (not a JOSEError)")


def _token(inp):
    token = inp.get("token")
    if not isinstance(token, str):
        raise AdapterError("input.token is not a string")
    return token


def core(inp, ctx, state):
    token = _token(inp)
    alg = ctx.get("algorithm")
    if not isinstance(alg, str):
        raise AdapterError("context.algorithm is not a string")
    _unimplemented(alg)
    try:
        claims = jwt.decode(
            token,
            key_of(ctx.get("keys", [])),
            algorithms=algorithms([alg]),
            options=strict_options(ctx.get("skew", 0)),
        )
    except E.JOSEError as e:
        raise Reject(code_of(e), describe(e))
    except (ValueError, TypeError) as e:
        raise _escaped(e)
    return {"verdict": "accept", "output": {"claims": claims}}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def plain_jws(inp, ctx, state):
    token = _token(inp)
    algs = ctx.get("algorithms")
    if not isinstance(algs, list) or not all(isinstance(a, str) for a in algs):
        raise AdapterError("context.algorithms is not an array of strings")
    try:
        claimed = jws.get_unverified_header(token).get("alg")
    except E.JOSEError:
        claimed = None
    if claimed in algs:
        _unimplemented(claimed)
    try:
        payload = jws.verify(token, key_of(ctx.get("keys", [])), algorithms(algs))
        header = jws.get_unverified_header(token)
    except E.JOSEError as e:
        raise Reject(code_of(e), describe(e))
    except (ValueError, TypeError) as e:
        raise _escaped(e)
    return {"verdict": "accept", "output": {"header": header, "payload": b64url(payload)}}

"""The `core` (a JWT verifier with one algorithm) and `jws` (plain RFC 7515) profiles of the
authlib adapter: `JsonWebToken([alg]).decode(token, key)` then `claims.validate(now=, leeway=)`
(authlib's own clock and skew options), and `JsonWebSignature(algs).deserialize_compact`."""

from __future__ import annotations

import base64

from authlib.jose.errors import JoseError

import clock
from calls import KEY_LOOKUP, jws_for, jwt_for, key_of, looked_up
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe


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
    try:
        key = looked_up(ctx.get("keys", []), token) if KEY_LOOKUP else key_of(ctx.get("keys", []))
    except ValueError as e:
        raise Reject("key_unknown", f"configuration: {e}")
    try:
        claims = jwt_for([alg]).decode(token, key)
        claims.validate(now=clock.now(), leeway=int(ctx.get("skew", 0) or 0))
    except (JoseError, ValueError, TypeError) as e:
        raise Reject(code_of(e), describe(e))
    except AttributeError as e:
        if key is not None:
            raise
        # JsonWebToken.decode(s, None) fails on the None itself: a refusal.
        raise Reject("key_unknown", f"no configured key for the token's kid; decode(token, None): {e}")
    return {"verdict": "accept", "output": {"claims": dict(claims)}}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def plain_jws(inp, ctx, state):
    token = _token(inp)
    algs = ctx.get("algorithms")
    if not isinstance(algs, list) or not all(isinstance(a, str) for a in algs):
        raise AdapterError("context.algorithms is not an array of strings")
    try:
        key = looked_up(ctx.get("keys", []), token) if KEY_LOOKUP else key_of(ctx.get("keys", []))
    except ValueError as e:
        raise Reject("key_unknown", f"configuration: {e}")
    try:
        if key is not None and not isinstance(key, (dict, str)):
            # JsonWebSignature takes one key or "a function to get the key"; a KeySet is
            # searched by the token's kid as JsonWebToken.decode does it (KeySet.find_by_kid).
            key_set = key
            key = lambda header, payload: key_set.find_by_kid(header.get("kid"))  # noqa: E731
        data = jws_for(algs).deserialize_compact(token, key)
    except (JoseError, ValueError, TypeError) as e:
        raise Reject(code_of(e), describe(e))
    except AttributeError as e:
        if key is not None:
            raise
        raise Reject("key_unknown", f"no configured key for the token's kid; deserialize_compact(token, None): {e}")
    return {"verdict": "accept", "output": {"header": dict(data["header"]), "payload": b64url(data["payload"])}}

"""The `core` (a JWT verifier with one algorithm) and `jws` (plain RFC 7515) profiles of the
joserfc adapter: `jwt.decode(token, key, algorithms=[alg])` then
`JWTClaimsRegistry(now=, leeway=).validate(claims)`, and `jws.deserialize_compact(token, key,
algorithms)`."""

from __future__ import annotations

import base64

from joserfc import jws
from joserfc.errors import JoseError

from calls import decode_jwt, key_of
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe


def _token(inp):
    token = inp.get("token")
    if not isinstance(token, str):
        raise AdapterError("input.token is not a string")
    return token


def _key(ctx):
    try:
        return key_of(ctx.get("keys", []))
    except (JoseError, ValueError) as e:
        raise Reject("key_unknown", f"configuration: {describe(e)}")


def core(inp, ctx, state):
    token = _token(inp)
    alg = ctx.get("algorithm")
    if not isinstance(alg, str):
        raise AdapterError("context.algorithm is not a string")
    claims = decode_jwt(token, _key(ctx), [alg], ctx.get("skew", 0))
    return {"verdict": "accept", "output": {"claims": dict(claims)}}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def plain_jws(inp, ctx, state):
    token = _token(inp)
    algs = ctx.get("algorithms")
    if not isinstance(algs, list) or not all(isinstance(a, str) for a in algs):
        raise AdapterError("context.algorithms is not an array of strings")
    key = _key(ctx)
    try:
        obj = jws.deserialize_compact(token, key, algorithms=algs)
    except (JoseError, ValueError, TypeError) as e:
        raise Reject(code_of(e), describe(e))
    return {"verdict": "accept", "output": {"header": dict(obj.headers()), "payload": b64url(obj.payload)}}

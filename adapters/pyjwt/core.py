"""The `core` (a JWT verifier with one algorithm) and `jws` (plain RFC 7515) profiles of
the PyJWT adapter."""

from __future__ import annotations

import base64

import jwt
import jwt.api_jws
from jwt import exceptions as E

from calls import allowed, options
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe, with_notes
from keys import header_of, load_keys, select, verify_with


def core(inp, ctx, state):
    token = inp.get("token")
    if not isinstance(token, str):
        raise AdapterError("input.token is not a string")
    alg = ctx.get("algorithm")
    if not isinstance(alg, str):
        raise AdapterError("context.algorithm is not a string")
    skew = ctx.get("skew", 0)
    notes = []
    cands = load_keys(ctx.get("keys", []), notes=notes)
    try:
        header = header_of(token)
        claims = verify_with(
            select(cands, header.get("kid")),
            lambda key: jwt.decode(token, key, algorithms=allowed([alg]), options=options(), leeway=skew),
            header,
            [alg],
        )
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    except E.PyJWTError as e:
        raise Reject(code_of(e), with_notes(describe(e), notes))
    return {"verdict": "accept", "output": {"claims": claims}}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def plain_jws(inp, ctx, state):
    token = inp.get("token")
    if not isinstance(token, str):
        raise AdapterError("input.token is not a string")
    algs = ctx.get("algorithms")
    if not isinstance(algs, list) or not all(isinstance(a, str) for a in algs):
        raise AdapterError("context.algorithms is not an array of strings")
    notes = []
    cands = load_keys(ctx.get("keys", []), algorithms=algs, notes=notes)
    try:
        header = header_of(token)
        done = verify_with(
            select(cands, header.get("kid")),
            lambda key: jwt.api_jws.decode_complete(
                token, key, algorithms=allowed(algs), options={"verify_signature": True, "enforce_minimum_key_length": True}
            ),
            header,
            algs,
        )
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    except E.PyJWTError as e:
        raise Reject(code_of(e), with_notes(describe(e), notes))
    return {"verdict": "accept", "output": {"header": done["header"], "payload": b64url(done["payload"])}}

"""The two Pomerium roles (Pomerium's "Securing your app with signed headers"): `pomerium`,
the app verifying the ES256 `x-pomerium-jwt-assertion` header, and `pomerium-proxy`, the proxy
stripping the client's x-pomerium-* headers and signing the assertion. The library's part,
from the adapter's library object (glue/python/README.md): `keys`, `remote_key`, `decode`,
`ec_private_key`, `key_errors`, `sign_es256` and `suite_now`."""

from __future__ import annotations

import re

from jwtc_glue.protocol import AdapterError, Reject, describe, with_notes

ASSERTION = "x-pomerium-jwt-assertion"


def pomerium_profiles(lib):
    """The `pomerium` and `pomerium-proxy` handlers for the library object `lib`."""
    return (lambda inp, ctx, state: pomerium(lib, inp, ctx, state)), (
        lambda inp, ctx, state: pomerium_proxy(lib, inp, ctx, state)
    )


def pomerium(lib, inp, ctx, state):
    headers = inp.get("headers")
    if not isinstance(headers, list):
        raise AdapterError("input.headers is not an array")
    values = []
    for h in headers:
        if not (isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h)):
            raise AdapterError("a header is not a [name, value] pair of strings")
        if h[0].lower() == ASSERTION:
            v = h[1].strip(" \t")
            if v:
                values.append(v)
    if not values:
        raise Reject("token_missing", f"no {ASSERTION} header")
    if len(set(values)) > 1:
        raise Reject("header_conflict", f"{len(set(values))} differing {ASSERTION} values")
    token = values[0]
    audience = ctx.get("audience")
    issuer = ctx.get("issuer") or "pomerium-proxy"  # "Issuer must be pomerium-proxy."
    skew = ctx.get("skew", 60)  # "Allow 1 minute for skew."

    notes = []
    try:
        if "keys" in ctx:
            key = lib.keys(ctx["keys"], "ES256", notes)
        else:
            url = ctx.get("jwks_url") or f"https://{issuer}/.well-known/pomerium/jwks.json"
            key = lib.remote_key(state, url, token, "ES256", notes)
        claims = lib.decode(
            token, key, ["ES256"], skew, required=("exp", "iat", "iss", "aud", "sub"), issuer=issuer, audience=audience
        )
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    out = {"sub": claims["sub"]}
    email = claims.get("email")
    if email is not None:
        if not isinstance(email, str):
            raise Reject("claim_invalid", "email is not a string")
        if email:
            out["email"] = email
    groups = claims.get("groups")
    if groups is not None:
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise Reject("claim_invalid", "groups is not an array of strings")
        if groups:
            out["groups"] = groups
    return {"verdict": "accept", "output": out}


TCHAR = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def pomerium_proxy(lib, inp, ctx, state):
    headers = inp.get("headers")
    if not isinstance(headers, list):
        raise AdapterError("input.headers is not an array")
    forwarded = []
    for h in headers:
        if not (isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h)):
            raise AdapterError("a header is not a [name, value] pair of strings")
        name, value = h
        # An HTTP front end refuses what is not a header field (RFC 9110 §5.1, §5.5).
        if not TCHAR.fullmatch(name):
            raise Reject("malformed", f"header name {name!r} is not an RFC 9110 token")
        if BAD_VALUE.search(value):
            raise Reject("malformed", f"header {name!r} has a control character in its value")
        # "pomerium it strips the x-pomerium-* headers provided by the client"
        if name.lower().startswith("x-pomerium-"):
            continue
        forwarded.append([name, value])
    sk = ctx.get("signing_key")
    identity = ctx.get("identity") or {}
    if not isinstance(sk, dict) or not isinstance(identity, dict):
        raise AdapterError("context.signing_key / context.identity is not an object")
    try:
        key = lib.ec_private_key(sk)
    except lib.key_errors as e:
        raise AdapterError(f"context.signing_key refused by {lib.name}: {describe(e)}")
    claims = {
        **identity,
        "iss": ctx.get("issuer") or "pomerium-proxy",
        "aud": ctx.get("audience"),
        "iat": lib.suite_now(),
        "exp": lib.suite_now() + 300,
    }
    token = lib.sign_es256(key, sk["kid"] if isinstance(sk.get("kid"), str) else None, claims)
    return {"verdict": "accept", "output": {"headers": forwarded + [[ASSERTION, token]]}}

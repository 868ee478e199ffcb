"""The two Pomerium roles of the PyJWT adapter (Pomerium's "Securing your app with signed headers"): `pomerium`, the app verifying
the ES256 `x-pomerium-jwt-assertion` header, and `pomerium-proxy`, the proxy stripping the
client's x-pomerium-* headers and signing the assertion."""

from __future__ import annotations

import re

import jwt
from jwt import PyJWK
from jwt import exceptions as E

import clock
from calls import allowed, as_key, options
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe, with_notes
from jwks import ProtocolJWKClient, jwks_signing_key
from keys import header_of, load_keys, select, verify_with

ASSERTION = "x-pomerium-jwt-assertion"


def pomerium(inp, ctx, state):
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

    def check(key):
        return jwt.decode(
            token,
            key,
            algorithms=allowed(["ES256"]),
            options=options(require=["exp", "iat", "iss", "aud", "sub"]),
            audience=audience,
            issuer=issuer,
            leeway=skew,
        )

    notes = []
    try:
        if "keys" in ctx:
            cands = load_keys(ctx["keys"], notes=notes)
            header = header_of(token)
            claims = verify_with(select(cands, header.get("kid")), check, header, ["ES256"])
        else:
            url = ctx.get("jwks_url") or f"https://{issuer}/.well-known/pomerium/jwks.json"
            clients = state.setdefault("clients", {})
            client = clients.get(url) or clients.setdefault(url, ProtocolJWKClient(url, state.setdefault("fetched", [])))
            # PyJWT's documented flow: the key from the JWKS by the token's kid, then decode.
            signing_key = jwks_signing_key(client, token)
            claims = check(as_key(signing_key))
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    except (E.PyJWTError, ValueError, OSError) as e:
        raise Reject(code_of(e), with_notes(describe(e), notes))
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


def pomerium_proxy(inp, ctx, state):
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
        key = PyJWK(sk, algorithm="ES256")
    except E.PyJWTError as e:
        raise AdapterError(f"context.signing_key refused by PyJWK: {describe(e)}")
    claims = {
        **identity,
        "iss": ctx.get("issuer") or "pomerium-proxy",
        "aud": ctx.get("audience"),
        "iat": clock.SUITE_NOW,
        "exp": clock.SUITE_NOW + 300,
    }
    hdr = {"kid": sk["kid"]} if isinstance(sk.get("kid"), str) else None
    token = jwt.encode(claims, as_key(key), algorithm="ES256", headers=hdr)
    return {"verdict": "accept", "output": {"headers": forwarded + [[ASSERTION, token]]}}

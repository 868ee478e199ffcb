"""The `coyo` profile of the PyJWT adapter (COYO, RS256 with `jku`): built-in keys,
keys registered under issuer patterns, and the `jku` checked against the allowlist before
anything is fetched."""

from __future__ import annotations

import re
import urllib.parse

import jwt
from jwt import exceptions as E

from calls import allowed, as_key, options
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe, with_notes
from jwks import ProtocolJWKClient, jwks_signing_key
from keys import header_of, load_keys, select, verify_with


class PatternRefused(Exception):
    pass


def compile_issuer_pattern(p):
    """The seed writes patterns as JavaScript literals (`/^https:\\/\\/some.site$/i`); a bare
    expression is taken as is. Only the `i` flag means anything here. Matched against the
    whole `iss` (coyo.issuer-keys: "matched against iss in full")."""
    if not isinstance(p, str):
        raise PatternRefused(f"pattern {p!r} is not a string")
    flags = 0
    m = re.fullmatch(r"/(.*)/([a-z]*)", p, re.S)
    if m:
        body, fl = m.group(1), m.group(2)
        if set(fl) - {"i"}:
            raise PatternRefused(f"pattern {p!r}: flags {fl!r} other than i")
        if "i" in fl:
            flags |= re.IGNORECASE
    else:
        body = p
    try:
        return re.compile(body, flags)
    except re.error as e:
        raise PatternRefused(f"pattern {p!r} does not compile: {e}")


def origin(url):
    """(scheme, host, port) of an https URL as Python's urllib.parse sees it, or None."""
    try:
        u = urllib.parse.urlsplit(url)
        port = u.port
    except ValueError:
        return None
    if u.scheme != "https" or not u.hostname:
        return None
    return ("https", u.hostname, port or 443)


def coyo(inp, ctx, state):
    token = inp.get("token")
    if not isinstance(token, str):
        raise AdapterError("input.token is not a string")
    notes = []
    builtin = load_keys(ctx.get("builtin", []), notes=notes)
    issuers = []
    for i, entry in enumerate(ctx.get("issuers", [])):
        try:
            pat = compile_issuer_pattern(entry.get("pattern"))
        except PatternRefused as e:
            notes.append(f"issuers[{i}]: {e}")
            continue
        issuers.append((pat, load_keys(entry.get("keys", []), notes=notes)))
    allow = []
    for a in ctx.get("jku_allowlist", []):
        o = origin(a)
        if o is None:
            notes.append(f"allowlist entry {a!r} is not an https origin")
        else:
            allow.append(o)
    skew = ctx.get("skew", 0)

    # coyo.alg: RS256, or RS512 by a key that declares it (COYO's built-in keys are RS512);
    # a PyJWK binds the algorithm its JWK declares (RS256 when it declares none).
    algs = ["RS256"]

    def check(key):
        return jwt.decode(token, key, algorithms=allowed(algs), options=options(require=["iss"]), leeway=skew)

    try:
        header = header_of(token)
        if header.get("alg") == "RS512":
            algs[0] = "RS512"
        kid = header.get("kid")
        # The issuer patterns need the (unverified) iss; PyJWT's documented way to read it.
        unverified = jwt.decode(token, options={"verify_signature": False})
        iss = unverified.get("iss")
        # Built-in keys first, then the keys registered under every pattern matching iss.
        cands = select(builtin, kid)
        if isinstance(iss, str):
            for pat, keys in issuers:
                if pat.fullmatch(iss):
                    cands += select(keys, kid)
        if cands:
            claims = verify_with(cands, check, header, algs)
        elif "jku" in header:
            jku = header["jku"]
            if not isinstance(jku, str):
                raise Reject("malformed", "jku is not a string")
            # "a plug-in MUST check the public key download URL ('jku' header claim) against a
            # whitelist of known sites" -- before anything is fetched.
            o = origin(jku)
            if o is None or o not in allow:
                raise Reject("jku_not_allowed", f"jku {jku!r} (origin {o}) is not allowlisted")
            clients = state.setdefault("clients", {})
            client = clients.get(jku) or clients.setdefault(jku, ProtocolJWKClient(jku, state.setdefault("fetched", []), key_document=True))
            signing_key = jwks_signing_key(client, token)
            claims = check(as_key(signing_key))
        else:
            raise Reject("key_unknown", f"no built-in or registered key for kid {kid!r}, iss {iss!r}, and no jku")
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    except (E.PyJWTError, ValueError, OSError) as e:
        raise Reject(code_of(e), with_notes(describe(e), notes))
    out = {"iss": claims["iss"]}
    if "sub" in claims:
        out["sub"] = claims["sub"]
    return {"verdict": "accept", "output": out}

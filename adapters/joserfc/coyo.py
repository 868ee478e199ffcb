"""The `coyo` profile of the joserfc adapter (COYO, RS256 with `jku`): built-in keys,
keys registered under issuer patterns, and the `jku` checked against the allowlist before
anything is fetched."""

from __future__ import annotations

import re
import urllib.parse

from joserfc.jwk import KeySet

from calls import decode_jwt, essential, import_entry, unverified
from jwtc_glue.protocol import AdapterError, Reject, describe, with_notes
from jwks import remote


def load(entries, where, notes):
    """Keys as joserfc imports them (`calls.import_entry`); a refused key is a note."""
    out = []
    for i, e in enumerate(entries if isinstance(entries, list) else []):
        try:
            out.append(import_entry(e))
        except Exception as err:  # noqa: BLE001 - a refused key is a note
            notes.append(f"{where}[{i}] refused by joserfc: {describe(err)}")
    return out


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
    builtin = load(ctx.get("builtin", []), "builtin", notes)
    issuers = []
    for i, entry in enumerate(ctx.get("issuers", [])):
        try:
            pat = compile_issuer_pattern(entry.get("pattern"))
        except PatternRefused as e:
            notes.append(f"issuers[{i}]: {e}")
            continue
        issuers.append((pat, load(entry.get("keys", []), f"issuers[{i}].keys", notes)))
    allow = []
    for a in ctx.get("jku_allowlist", []):
        o = origin(a)
        if o is None:
            notes.append(f"allowlist entry {a!r} is not an https origin")
        else:
            allow.append(o)
    skew = ctx.get("skew", 0)
    try:
        header, unverified_claims = unverified(token)
        # coyo.alg: RS256, or RS512 by a key that declares it (COYO's built-in keys are RS512).
        alg = "RS512" if header.get("alg") == "RS512" else "RS256"
        iss = unverified_claims.get("iss")
        # Built-in keys first, then the keys registered under every pattern matching iss;
        # with a kid, the keys with that kid or none (the candidates before any jku).
        cands = list(builtin)
        if isinstance(iss, str):
            for pat, keys in issuers:
                if pat.fullmatch(iss):
                    cands += keys
        kid = header.get("kid")
        if kid is not None:
            cands = [k for k in cands if k.kid is None or k.kid == kid]
        if alg == "RS512":
            cands = [k for k in cands if k.get("alg") == "RS512"]
        if cands:
            key = cands[0] if len(cands) == 1 else KeySet(cands)
        elif "jku" in header:
            jku = header["jku"]
            if not isinstance(jku, str):
                raise Reject("malformed", "jku is not a string")
            # "a plug-in MUST check the public key download URL ('jku' header claim) against a
            # whitelist of known sites" -- before anything is fetched.
            o = origin(jku)
            if o is None or o not in allow:
                raise Reject("jku_not_allowed", f"jku {jku!r} (origin {o}) is not allowlisted")
            key = remote(state, jku, key_document=True).resolver()
        else:
            raise Reject("key_unknown", f"no built-in or registered key for kid {kid!r}, iss {iss!r}, and no jku")
        claims = decode_jwt(token, key, [alg], skew, iss=essential())
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    out = {"iss": claims["iss"]}
    if "sub" in claims:
        out["sub"] = claims["sub"]
    return {"verdict": "accept", "output": out}

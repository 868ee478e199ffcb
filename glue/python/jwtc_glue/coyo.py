"""The `coyo` profile (COYO, RS256 with `jku`): built-in keys, keys registered under issuer
patterns, and the `jku` checked against the allowlist before anything is fetched. The
library's part, from the adapter's library object (glue/python/README.md): `import_entry`,
`key_kid`, `key_alg`, `one_of`, `unverified`, `remote_key` and `decode`."""

from __future__ import annotations

import re
import urllib.parse

from jwtc_glue.protocol import AdapterError, Reject, describe, with_notes


def load(lib, entries, where, notes):
    """Keys as the library imports them (`lib.import_entry`); a refused key is a note."""
    out = []
    for i, e in enumerate(entries if isinstance(entries, list) else []):
        try:
            out.append(lib.import_entry(e))
        except Exception as err:  # noqa: BLE001 - a refused key is a note
            notes.append(f"{where}[{i}] refused by {lib.name}: {describe(err)}")
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


def coyo_profile(lib):
    """The `coyo` handler for the library object `lib`."""
    return lambda inp, ctx, state: coyo(lib, inp, ctx, state)


def coyo(lib, inp, ctx, state):
    token = inp.get("token")
    if not isinstance(token, str):
        raise AdapterError("input.token is not a string")
    notes = []
    builtin = load(lib, ctx.get("builtin", []), "builtin", notes)
    issuers = []
    for i, entry in enumerate(ctx.get("issuers", [])):
        try:
            pat = compile_issuer_pattern(entry.get("pattern"))
        except PatternRefused as e:
            notes.append(f"issuers[{i}]: {e}")
            continue
        issuers.append((pat, load(lib, entry.get("keys", []), f"issuers[{i}].keys", notes)))
    allow = []
    for a in ctx.get("jku_allowlist", []):
        o = origin(a)
        if o is None:
            notes.append(f"allowlist entry {a!r} is not an https origin")
        else:
            allow.append(o)
    skew = ctx.get("skew", 0)
    try:
        header, unverified_claims = lib.unverified(token)
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
            cands = [k for k in cands if lib.key_kid(k) is None or lib.key_kid(k) == kid]
        if alg == "RS512":
            cands = [k for k in cands if lib.key_alg(k) == "RS512"]
        if cands:
            key = lib.one_of(cands, alg, notes)
        elif "jku" in header:
            jku = header["jku"]
            if not isinstance(jku, str):
                raise Reject("malformed", "jku is not a string")
            # "a plug-in MUST check the public key download URL ('jku' header claim) against a
            # whitelist of known sites" -- before anything is fetched.
            o = origin(jku)
            if o is None or o not in allow:
                raise Reject("jku_not_allowed", f"jku {jku!r} (origin {o}) is not allowlisted")
            key = lib.remote_key(state, jku, token, alg, notes, key_document=True)
        else:
            raise Reject("key_unknown", f"no built-in or registered key for kid {kid!r}, iss {iss!r}, and no jku")
        claims = lib.decode(token, key, [alg], skew, required=("iss",))
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    out = {"iss": claims["iss"]}
    if "sub" in claims:
        out["sub"] = claims["sub"]
    return {"verdict": "accept", "output": out}

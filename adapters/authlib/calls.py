"""How authlib.jose is called: the `JsonWebToken`/`JsonWebSignature` instance (restricted to
the context's algorithms, or the module's ready-made `authlib.jose.jwt` under the history
rows' `--no-algorithms`) and the key argument made from the context's keys.

`--no-algorithms`: `from authlib.jose import jwt; jwt.decode(token, key)`, the call of
authlib's JWT guide, with the configured key's text as the key: the setup of CVE-2024-37568
(README.md, History).

`--key-lookup`: the key argument is the application's own lookup by the token's kid,
`keys.get(kid)` (the only key when the token names none), which is None for a kid no
configured key has: the setup of CVE-2026-27962, where `deserialize_compact(s, None)` took
the header's `jwk` (README.md, History)."""

from __future__ import annotations

import base64
import json
import sys

from authlib.jose import JsonWebKey, JsonWebSignature, JsonWebToken

NO_ALGORITHMS = "--no-algorithms" in sys.argv[1:]
KEY_LOOKUP = "--key-lookup" in sys.argv[1:]


def jwt_for(configured):
    if NO_ALGORITHMS:
        from authlib.jose import jwt

        return jwt
    return JsonWebToken(list(configured))


def jws_for(configured):
    return JsonWebSignature() if NO_ALGORITHMS else JsonWebSignature(list(configured))


def key_of(entries):
    """The context's keys as authlib takes them: one key as itself (a JWK dict, or PEM text:
    `jwt.decode(s, key)` imports either), several as a KeySet
    (`JsonWebKey.import_key_set`), which authlib searches by the token's kid."""
    if not isinstance(entries, list):
        raise ValueError("context.keys is not an array")
    keys = [e["pem"] if isinstance(e, dict) and isinstance(e.get("pem"), str) else e for e in entries]
    if len(keys) == 1:
        return keys[0]
    if not all(isinstance(k, dict) for k in keys):
        raise ValueError("several keys with a PEM among them: authlib's KeySet takes JWKs only")
    return JsonWebKey.import_key_set({"keys": keys})


def looked_up(entries, token):
    """`--key-lookup`: the configured key whose kid is the token's (a JWK dict, or PEM text
    under its `kid`); the only key when the token names no kid or that key has none (an
    application with one key does not look it up); else None."""
    try:
        head = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, UnicodeDecodeError):
        header = {}
    kid = header.get("kid") if isinstance(header, dict) else None
    keys = {}
    for e in entries if isinstance(entries, list) else []:
        if isinstance(e, dict):
            keys[e.get("kid")] = e["pem"] if isinstance(e.get("pem"), str) else e
    if len(keys) == 1 and (kid is None or None in keys):
        return next(iter(keys.values()))
    return keys.get(kid)

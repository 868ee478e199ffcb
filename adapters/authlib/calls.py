"""How authlib.jose is called: the `JsonWebToken`/`JsonWebSignature` instance (restricted to
the context's algorithms, or the module's ready-made `authlib.jose.jwt` under the history
rows' `--no-algorithms`) and the key argument made from the context's keys.

`--no-algorithms`: `from authlib.jose import jwt; jwt.decode(token, key)`, the call of
authlib's JWT guide, with the configured key's text as the key: the setup of CVE-2024-37568
(README.md, History)."""

from __future__ import annotations

import sys

from authlib.jose import JsonWebKey, JsonWebSignature, JsonWebToken

NO_ALGORITHMS = "--no-algorithms" in sys.argv[1:]


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

"""The `watson` profile of the PyJWT adapter (IBM Watson Assistant, an RS256 identity token): the
required claims, `sub` as visible ASCII, `user_payload` decryption and the session pin."""

from __future__ import annotations

import base64
import json
import re

import jwt
import jwt.algorithms
from jwt import exceptions as E

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from calls import allowed, options
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe, with_notes
from keys import header_of, load_keys, select, verify_with

# "the syntax must meet the requirements for header fields as defined in RFC 7230 (all
# visible ASCII characters)"
VCHAR = re.compile(r"[\x21-\x7e]+")
OAEP_SHA1 = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)


def decrypt_user_payload(text, key: rsa.RSAPrivateKey):
    """node-rsa's `encrypt(text, 'base64')` undone: base64, then k-byte RSA-OAEP(SHA-1,
    MGF1-SHA-1) blocks, decrypted one by one with `cryptography`, joined, then UTF-8, JSON."""
    try:
        data = base64.b64decode(text, validate=True)
    except Exception as e:  # noqa: BLE001
        raise Reject("payload_undecryptable", f"user_payload is not base64: {e}")
    k = key.key_size // 8 + (1 if key.key_size % 8 else 0)
    if not data or len(data) % k:
        raise Reject("payload_undecryptable", f"user_payload is {len(data)} bytes, not a whole number of {k}-byte blocks")
    plain = b""
    for i in range(0, len(data), k):
        try:
            plain += key.decrypt(data[i : i + k], OAEP_SHA1)
        except Exception:  # noqa: BLE001 - never say which OAEP check failed
            raise Reject("payload_undecryptable", f"block {i // k} does not decrypt (RSA-OAEP SHA-1)")
    try:
        return json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise Reject("payload_undecryptable", f"the decrypted user_payload is not UTF-8 JSON: {e}")


def watson(inp, ctx, state):
    token = inp.get("token")
    if token is None or token == "":
        raise Reject("token_missing", "security is on and the message carries no token")
    if not isinstance(token, str):
        raise AdapterError("input.token is not a string")
    issuer = ctx.get("issuer")
    skew = ctx.get("skew", 0)
    notes = []
    cands = load_keys(ctx.get("keys", []), notes=notes)
    dkey = None
    if ctx.get("decryption_key") is not None:
        try:
            dkey = jwt.algorithms.RSAAlgorithm.from_jwk(ctx["decryption_key"])
        except Exception as e:  # noqa: BLE001
            raise AdapterError(f"context.decryption_key refused by PyJWT: {describe(e)}")
        if not isinstance(dkey, rsa.RSAPrivateKey):
            raise AdapterError("context.decryption_key has no private part")
    try:
        header = header_of(token)
        claims = verify_with(
            select(cands, header.get("kid")),
            lambda key: jwt.decode(
                token,
                key,
                algorithms=allowed(["RS256"]),
                options=options(require=["iss", "sub", "exp"]),
                leeway=skew,
                issuer=issuer,
            ),
            header,
            ["RS256"],
        )
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    except E.PyJWTError as e:
        raise Reject(code_of(e), with_notes(describe(e), notes))
    sub = claims["sub"]
    if not isinstance(sub, str) or not VCHAR.fullmatch(sub):
        raise Reject("claim_invalid", f"sub {sub!r} is not visible ASCII (RFC 7230): it goes in a header")
    out = {"user_id": sub}
    if "user_payload" in claims:
        up = claims["user_payload"]
        if not isinstance(up, str):
            raise Reject("claim_invalid", "user_payload is not a string")
        out["user_payload"] = decrypt_user_payload(up, dkey) if dkey is not None else up
    pinned = state.get("watson_sub")
    if pinned is not None and pinned != sub:
        raise Reject("subject_changed", f"the session is pinned to {pinned!r}, the token names {sub!r}")
    state["watson_sub"] = sub
    return {"verdict": "accept", "output": out}

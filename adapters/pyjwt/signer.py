"""The signer profiles of the PyJWT adapter (`pendo-signer`, `watson-signer`): what a Pendo or
Watson customer's server mints with `jwt.encode`, written the way PyJWT's README shows it
(`jwt.encode(payload, key, algorithm=...)`, `exp` as `datetime.now(tz=timezone.utc) +
timedelta(...)`: the wall clock, so the hello says `"clock": "wall"`).

The glue is the customer's own code and does what the vendor pages ask of it, nothing more:
Pendo: the options `{jwt, signingKeyName}`, a random nonce, ids as strings ("must be a
string"), an anonymous visitor without an id; Watson: `iss` and `sub`, a five-minute `exp`,
`user_payload` encrypted to IBM's public key with `cryptography`'s RSA-OAEP (SHA-1, MGF1-SHA-1,
node-rsa's default scheme that IBM decrypts) in blocks of k − 42 bytes, base64. What PyJWT
itself refuses (a key it will not use) is a refusal; it checks nothing else (README.md)."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import datetime, timedelta, timezone

import jwt
import jwt.algorithms

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from jwtc_glue.protocol import AdapterError, Reject, describe

OAEP_SHA1 = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)


def _ided(part):
    """The app's visitor or account with its id as a string, and no id when it has none."""
    if not isinstance(part, dict):
        raise AdapterError(f"visitor/account is {part!r}, not an object")
    out = dict(part)
    if out.get("id") is None:
        out.pop("id", None)
    elif isinstance(out["id"], int):
        out["id"] = str(out["id"])
    return out


def pendo_signer(inp, ctx, _state):
    name = ctx.get("active")
    key = next((k for k in ctx.get("keys") or [] if k.get("kid") == name), None)
    if key is None:
        raise AdapterError(f"context.keys has no key {name!r}")
    # The secret as Pendo's settings page shows it: the text, used as it is.
    secret = base64.urlsafe_b64decode(key["k"] + "=" * (-len(key["k"]) % 4)).decode("utf-8")
    payload = {"nonce": secrets.token_urlsafe(16)}
    for part in ("visitor", "account"):
        if part in inp:
            payload[part] = _ided(inp[part])
    token = jwt.encode(payload, secret, algorithm="HS256")
    return {"verdict": "accept", "output": {"jwt": token, "signingKeyName": name}}


def _encrypt(payload, public_key):
    """node-rsa's `encrypt(JSON, 'base64')` made with `cryptography`: RSA-OAEP(SHA-1) over
    blocks of at most k − 42 bytes of the UTF-8 JSON, joined, standard base64."""
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    k = (public_key.key_size + 7) // 8
    step = k - 42
    blocks = [public_key.encrypt(data[i : i + step], OAEP_SHA1) for i in range(0, max(len(data), 1), step)]
    return base64.b64encode(b"".join(blocks)).decode("ascii")


def watson_signer(inp, ctx, _state):
    try:
        private = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(ctx["signing_key"]))
        ibm = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(ctx["ibm_public_key"]))
    except (KeyError, jwt.exceptions.PyJWTError) as e:
        raise AdapterError(f"the context's keys: {describe(e)}")
    user_id = inp.get("user_id")
    now = datetime.now(tz=timezone.utc)
    claims = {
        "iss": ctx.get("issuer"),
        "sub": str(user_id) if isinstance(user_id, int) else user_id,
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    if inp.get("payload") is not None:
        claims["user_payload"] = _encrypt(inp["payload"], ibm)
    try:
        token = jwt.encode(claims, private, algorithm="RS256")
    except jwt.exceptions.PyJWTError as e:
        raise Reject("key_unknown", f"jwt.encode refused: {describe(e)}")
    return {"verdict": "accept", "output": {"token": token}}

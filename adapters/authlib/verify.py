"""The authlib calls the vendor profiles of the authlib adapter make (pendo, watson,
pomerium, coyo): key import (`JsonWebKey.import_key`, one key as itself, several as a
`KeySet`), `JsonWebToken([alg]).decode(token, key, claims_options=...)` then
`claims.validate(now=, leeway=)` (`decode_jwt`), and the unverified header and claims
(authlib.jose.util's `extract_header` / `extract_segment`). core and jws keep calls.py."""

from __future__ import annotations

import json

from authlib.jose import JsonWebKey, JsonWebToken, KeySet
from authlib.jose.errors import DecodeError, JoseError
from authlib.jose.util import extract_header, extract_segment

import clock
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe


def import_entry(entry):
    """One entry of a context's keys: a JWK or a PEM (public key or certificate), each
    through `JsonWebKey.import_key` (the PEM's `kid` as an option)."""
    if not isinstance(entry, dict):
        raise AdapterError(f"a key is not an object: {entry!r}")
    pem = entry.get("pem")
    if not isinstance(pem, str):
        return JsonWebKey.import_key(entry)
    return JsonWebKey.import_key(pem, {"kid": entry["kid"]} if isinstance(entry.get("kid"), str) else None)


def key_alg(key):
    return key.tokens.get("alg")


def key_of(entries, notes):
    """The keys authlib accepts, one as itself, several as a KeySet (searched by kid); a key
    authlib refuses is left out, with a note. None when no key is left."""
    if not isinstance(entries, list):
        raise AdapterError("context.keys is not an array")
    keys = []
    for i, e in enumerate(entries):
        try:
            keys.append(import_entry(e))
        except (JoseError, ValueError, TypeError) as err:
            notes.append(f"keys[{i}] refused by authlib: {describe(err)}")
    if not keys:
        return None
    return keys[0] if len(keys) == 1 else KeySet(keys)


def decode_jwt(token, key, algorithms, skew=0, **claims):
    """authlib's documented JWT verification: `JsonWebToken(algorithms).decode(token, key,
    claims_options=...)` then `claims.validate(now=suite clock, leeway=skew)`."""
    if key is None:
        raise Reject("key_unknown", "no configured key authlib accepts")
    try:
        out = JsonWebToken(list(algorithms)).decode(token, key, claims_options=claims)
        out.validate(now=clock.now(), leeway=int(skew or 0))
    except (JoseError, ValueError, TypeError) as e:
        raise Reject(code_of(e), describe(e))
    except KeyError as e:
        # authlib's RSAKey.import_key given an ECKey or OctKey object (a key of another type
        # for the token's algorithm) fails with KeyError: the token is refused all the same.
        raise Reject("key_unknown", f"authlib let {describe(e)} escape (not a JoseError)")
    return dict(out)


def unverified(token):
    """The header and claims before any check, with authlib.jose.util's own segment
    decoders. Claims that are no JSON object are {}."""
    try:
        parts = token.encode("utf-8").split(b".")
        if len(parts) != 3:
            raise DecodeError("Invalid input segments length")
        header = extract_header(parts[0], DecodeError)
        payload = extract_segment(parts[1], DecodeError, "payload")
    except (JoseError, ValueError, TypeError) as e:
        raise Reject(code_of(e), describe(e))
    try:
        claims = json.loads(payload)
    except ValueError:
        claims = {}
    return header, claims if isinstance(claims, dict) else {}


def essential(value=None):
    """A claims option: the claim must be present (and equal `value`)."""
    return {"essential": True, **({"value": value} if value is not None else {})}

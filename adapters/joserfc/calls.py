"""How the joserfc adapter calls joserfc: the configured keys as joserfc takes them (one key
as a `Key`, several as a `KeySet`), `jwt.decode(token, key, algorithms=[...])` then
`JWTClaimsRegistry(now=, leeway=, **claims).validate(token.claims)` (`decode_jwt`), and the
unverified header and claims (`jws.extract_compact`). Every profile calls these."""

from __future__ import annotations

import json

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry, KeySet, import_key
from joserfc.jwt import JWTClaimsRegistry

import clock
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe


def import_entry(entry):
    """One entry of a context's keys: a JWK through `JWKRegistry.import_key`, a PEM (public
    key or certificate) through `import_key(text, key_type)`; joserfc wants the key type for
    key text, so RSA, EC and OKP are tried in turn (the entry's `kid` as a parameter)."""
    if not isinstance(entry, dict):
        raise AdapterError(f"a key is not an object: {entry!r}")
    pem = entry.get("pem")
    if not isinstance(pem, str):
        return JWKRegistry.import_key(entry)
    params = {"kid": entry["kid"]} if isinstance(entry.get("kid"), str) else None
    errors = []
    for kty in ("RSA", "EC", "OKP"):
        try:
            return import_key(pem, kty, params)
        except (JoseError, ValueError, TypeError) as e:
            errors.append(f"as {kty}: {describe(e)}")
    raise ValueError("PEM refused: " + "; ".join(errors))


def key_of(entries, notes=None):
    """The context's keys as joserfc's guide passes them: one key as itself, several as a
    KeySet (`KeySet.import_key_set` for JWKs, which skips a kty it does not know), which
    joserfc searches by the token's kid. A key joserfc refuses is left out, with a note (or,
    without `notes`, refuses the configuration: ValueError). None when no key is left."""
    if not isinstance(entries, list):
        raise AdapterError("context.keys is not an array")
    if len(entries) > 1 and all(isinstance(e, dict) and "pem" not in e for e in entries) and notes is None:
        return KeySet.import_key_set({"keys": entries})
    keys = []
    for i, e in enumerate(entries):
        try:
            keys.append(import_entry(e))
        except (JoseError, ValueError, TypeError) as err:
            if notes is None:
                raise ValueError(f"keys[{i}]: {describe(err)}")
            notes.append(f"keys[{i}] refused by joserfc: {describe(err)}")
    if not keys:
        return None
    return keys[0] if len(keys) == 1 else KeySet(keys)


def decode_jwt(token, key, algorithms, skew=0, **claims):
    """joserfc's documented JWT verification: `jwt.decode` (signature, allowed algorithms),
    then a `JWTClaimsRegistry` with the suite's clock, the skew as `leeway`, and the claims
    options (`{"essential": True, "value": ...}`). Returns the claims; a refusal is a Reject."""
    if key is None:
        raise Reject("key_unknown", "no configured key joserfc accepts")
    try:
        tok = jwt.decode(token, key, algorithms=list(algorithms))
        JWTClaimsRegistry(now=clock.now(), leeway=int(skew or 0), **claims).validate(tok.claims)
    except (JoseError, ValueError, TypeError) as e:
        raise Reject(code_of(e), describe(e))
    return tok.claims


def unverified(token):
    """The header and claims before any check (joserfc's `jws.extract_compact`), for what the
    glue must read first (a kid, COYO's iss and jku). Claims that are no JSON object are {}."""
    try:
        obj = jws.extract_compact(token.encode("utf-8"))
        header = obj.headers()
    except (JoseError, ValueError, TypeError) as e:
        raise Reject(code_of(e), describe(e))
    try:
        claims = json.loads(obj.payload)
    except ValueError:
        claims = {}
    return header, claims if isinstance(claims, dict) else {}


def essential(value=None):
    """A JWTClaimsRegistry claims option: the claim must be present (and equal `value`)."""
    return {"essential": True, **({"value": value} if value is not None else {})}

"""The python-jose calls the vendor profiles of the python-jose adapter make (pendo, watson,
pomerium, coyo): key construction (`jose.jwk.construct(key, alg)`, each configured key for the
profile's algorithm; a key python-jose refuses is left out, with a note), `jose.jwt.decode(token,
key, algorithms=[...], audience=, issuer=, options={leeway, require_*})` (`decode_jwt`), and the
unverified header and claims (`jwt.get_unverified_header` / `get_unverified_claims`). python-jose
takes several keys as "a tuple or list of keys" and tries each (it does not select by kid).
core and jws keep calls.py."""

from __future__ import annotations

from jose import exceptions as E
from jose import jwk, jwt

from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe


def construct(entry, alg):
    """One entry of a context's keys as python-jose builds it for `alg`: a JWK as its dict, a
    PEM (public key or certificate) as its text."""
    if not isinstance(entry, dict):
        raise AdapterError(f"a key is not an object: {entry!r}")
    pem = entry.get("pem")
    return jwk.construct(pem if isinstance(pem, str) else entry, alg)


def key_of(entries, alg, notes, where="keys"):
    """The keys python-jose builds for `alg`, as the list `jwt.decode` takes; None when none."""
    if not isinstance(entries, list):
        raise AdapterError(f"context.{where} is not an array")
    keys = []
    for i, e in enumerate(entries):
        try:
            keys.append(construct(e, alg))
        except (E.JOSEError, ValueError, TypeError) as err:
            notes.append(f"{where}[{i}] refused by python-jose: {describe(err)}")
    return keys or None


def decode_jwt(token, key, algorithms, skew=0, audience=None, issuer=None, required=()):
    """python-jose's documented JWT verification: `jwt.decode(token, key, algorithms=[...],
    audience=, issuer=, options=)` with the skew as `leeway` and `require_<claim>` for each
    claim that must be present (every verify_* option is on by default). Returns the claims;
    a refusal is a Reject."""
    if key is None:
        raise Reject("key_unknown", "no configured key python-jose accepts")
    options = {"leeway": int(skew or 0), **{f"require_{c}": True for c in required}}
    try:
        return jwt.decode(token, key, algorithms=list(algorithms), audience=audience, issuer=issuer, options=options)
    except E.JOSEError as e:
        raise Reject(code_of(e), describe(e))
    except (ValueError, TypeError) as e:
        # As in core.py: cryptography's ValueError for a key it cannot build, int()'s
        # TypeError for an exp or nbf that is null or an array; the token is refused.
        code = "claim_invalid" if isinstance(e, TypeError) else "key_unknown"
        raise Reject(code, f"python-jose let {describe(e)} escape (not a JOSEError)")


def unverified(token):
    """The header and claims before any check, with python-jose's own
    `jwt.get_unverified_header` / `get_unverified_claims`. Claims that are no JSON object are {}."""
    try:
        header = jwt.get_unverified_header(token)
    except E.JOSEError as e:
        raise Reject(code_of(e), describe(e))
    try:
        claims = jwt.get_unverified_claims(token)
    except E.JOSEError:
        claims = {}
    return header, claims if isinstance(claims, dict) else {}

"""The python-jose adapter's library object for the shared vendor profiles
(glue/python/README.md, jwtc_glue pendo, watson, pomerium, coyo): what those profiles need of
python-jose, each member one python-jose call or key construction (the calls themselves in
verify.py and jwks.py)."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from jose import exceptions as E
from jose import jwk, jwt
from jwtc_glue.protocol import Reject

import clock
import verify
from jwks import remote

name = "python-jose"
key_errors = (E.JOSEError, ValueError, TypeError)
# node-rsa's default encryption scheme, RSA-OAEP with SHA-1 and MGF1-SHA-1 (Watson's user_payload).
oaep_sha1 = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
# The claims python-jose's options can require (`require_<claim>`); any other is checked after.
REQUIRABLE = ("aud", "iat", "exp", "nbf", "iss", "sub", "jti", "at_hash")

unverified = verify.unverified


def suite_now():
    return clock.SUITE_NOW


def keys(entries, alg, notes):
    """The keys python-jose builds for `alg` (`verify.key_of`), as the list `jwt.decode` takes."""
    return verify.key_of(entries, alg, notes)


def import_entry(entry):
    """An entry python-jose builds as an RS256 key (`verify.construct`), kept as the entry (a
    JWK or a PEM, with its kid and alg)."""
    verify.construct(entry, "RS256")
    return entry


def key_kid(key):
    return key.get("kid")


def key_alg(key):
    return key.get("alg")


def one_of(cands, alg, notes):
    return verify.key_of(cands, alg, notes, where="candidates")


def remote_key(state, url, token, alg, notes, key_document=False):
    """The case's JWK Set for `url` as the lazy key list `jwt.decode` iterates."""
    return remote(state, url, key_document=key_document).keys_for(token, alg, notes)


def decode(token, key, algorithms, skew, required=(), issuer=None, audience=None):
    """`verify.decode_jwt` with `require_<claim>` for the required claims python-jose knows;
    a required claim it cannot require (Pendo's nonce) is checked here, after the signature
    and python-jose's own checks."""
    claims = verify.decode_jwt(
        token, key, algorithms, skew, audience=audience, issuer=issuer, required=tuple(c for c in required if c in REQUIRABLE)
    )
    for c in required:
        if c not in REQUIRABLE and claims.get(c) is None:
            raise Reject("claim_missing", f"the token has no top-level {c} (python-jose cannot require it)")
    return claims


def pendo_secret(secret):
    """A shared secret as python-jose's guide gives one (`jwt.decode(token, "secret", ...)`)."""
    return secret


def rsa_private_key(jwk_dict):
    """python-jose's RSA key holds the cryptography key object (`prepared_key`); None when it
    has no private part."""
    key = jwk.construct(jwk_dict, "RS256").prepared_key
    return key if isinstance(key, rsa.RSAPrivateKey) else None


def ec_private_key(jwk_dict):
    return jwk.construct(jwk_dict, "ES256")


def sign_es256(key, kid, claims):
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": kid} if kid is not None else None)

"""The joserfc adapter's library object for the shared vendor profiles (glue/python/README.md,
jwtc_glue pendo, watson, pomerium, coyo): what those profiles need of joserfc, each member one
joserfc call or key import (the calls themselves in calls.py and jwks.py)."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, OctKey, RSAKey

import calls
import clock
from jwks import remote

name = "joserfc"
key_errors = (JoseError, ValueError, TypeError)
# node-rsa's default encryption scheme, RSA-OAEP with SHA-1 and MGF1-SHA-1 (Watson's user_payload).
oaep_sha1 = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)

import_entry = calls.import_entry
unverified = calls.unverified


def suite_now():
    return clock.SUITE_NOW


def keys(entries, alg, notes):
    """The configured keys as joserfc's guide passes them (`calls.key_of`, a refused key a note)."""
    return calls.key_of(entries, notes=notes)


def key_kid(key):
    return key.kid


def key_alg(key):
    return key.get("alg")


def one_of(cands, alg, notes):
    return cands[0] if len(cands) == 1 else KeySet(cands)


def remote_key(state, url, token, alg, notes, key_document=False):
    """The case's JWK Set for `url` as joserfc's key callable."""
    return remote(state, url, key_document=key_document).resolver()


def decode(token, key, algorithms, skew, required=(), issuer=None, audience=None):
    """`calls.decode_jwt` with a claims option per required claim, in the order given (iss
    with the issuer's value, aud with the audience's)."""
    values = {"iss": issuer, "aud": audience}
    return calls.decode_jwt(token, key, algorithms, skew, **{c: calls.essential(values.get(c)) for c in required})


def pendo_secret(secret):
    """A shared secret as joserfc's guide imports one (`OctKey.import_key(text)`)."""
    return OctKey.import_key(secret)


def rsa_private_key(jwk):
    """joserfc's RSAKey holds the cryptography key object (`private_key`); None when it has no
    private part."""
    key = RSAKey.import_key(jwk).private_key
    return key if isinstance(key, rsa.RSAPrivateKey) else None


def ec_private_key(jwk):
    return ECKey.import_key(jwk)


def sign_es256(key, kid, claims):
    hdr = {"alg": "ES256", **({"kid": kid} if kid is not None else {})}
    return jwt.encode(hdr, claims, key, algorithms=["ES256"])

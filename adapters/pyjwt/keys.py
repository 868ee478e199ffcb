"""Trusted keys for the PyJWT adapter: importing `context.keys` (JWKs through `PyJWK`, PEM
through `cryptography`), choosing candidates from a static set by `kid`, and trying each
candidate with a PyJWT call."""

from __future__ import annotations

import jwt
from jwt import PyJWK
from jwt import exceptions as E

from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from calls import ALL_ALGORITHMS, as_key
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe


class Candidate:
    """A trusted key as PyJWT takes it: a `PyJWK` (binds its algorithm), or a
    `cryptography` public key object (from PEM, as PyJWT's docs show)."""

    def __init__(self, key, kid, use=None, label=""):
        self.key = key
        self.kid = kid
        self.use = use
        self.label = label


def load_pem(pem: str):
    """PEM text as PyJWT's docs show: `load_pem_public_key`, or, for a certificate, the
    FAQ's `load_pem_x509_certificate(...).public_key()`."""
    data = pem.encode("utf-8")
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificate(data).public_key()
    return load_pem_public_key(data)


def load_keys(entries, algorithms=None, notes=None):
    """`context.keys` (JWKs or {"pem", "kid"?}) -> candidates. A JWK goes through `PyJWK`
    (its `alg` binds it; without one, PyJWK infers it from kty/crv). For the `jws` profile
    (several algorithms allowed), a JWK without `alg` is offered once per allowed
    algorithm PyJWK can build it for. A key PyJWT refuses is left out, with a note."""
    if not isinstance(entries, list):
        raise AdapterError("context.keys is not an array")
    out = []
    for i, k in enumerate(entries):
        if not isinstance(k, dict):
            raise AdapterError(f"context.keys[{i}] is not an object")
        kid = k.get("kid")
        if "pem" in k:
            if ALL_ALGORITHMS:
                # The key file's text, as PyJWT's usage docs pass it to jwt.decode.
                out.append(Candidate(k["pem"], kid, None, f"keys[{i}] (key text)"))
                continue
            try:
                out.append(Candidate(load_pem(k["pem"]), kid, None, f"keys[{i}] (PEM)"))
            except Exception as e:  # noqa: BLE001 - a refused key is a note
                notes is not None and notes.append(f"keys[{i}] refused: {describe(e)}")
            continue
        if algorithms is not None and "alg" not in k:
            tried = []
            for alg in algorithms:
                try:
                    out.append(Candidate(as_key(PyJWK(k, algorithm=alg)), kid, k.get("use"), f"keys[{i}] as {alg}"))
                except Exception as e:  # noqa: BLE001
                    tried.append(f"{alg}: {e}")
            if not any(c.label.startswith(f"keys[{i}] ") for c in out) and notes is not None:
                notes.append(f"keys[{i}] refused for every allowed algorithm: {'; '.join(tried)}")
            continue
        try:
            out.append(Candidate(as_key(PyJWK(k)), kid, k.get("use"), f"keys[{i}]"))
        except Exception as e:  # noqa: BLE001
            notes is not None and notes.append(f"keys[{i}] refused by PyJWK: {describe(e)}")
    return out


def select(cands, kid):
    """Key selection from a static set by the token's `kid` (PyJWT has no keyset verify):
    keys whose `use` is absent or "sig" (as PyJWT's own PyJWKClient filters); with a `kid`,
    the keys with that kid and the keys without one; without a `kid`, every key."""
    usable = [c for c in cands if c.use in (None, "sig")]
    if kid is None:
        return usable
    return [c for c in usable if c.kid is None or c.kid == kid]


def header_of(token):
    """PyJWT's `get_unverified_header` (it decodes the header and checks `kid`/`crit`)."""
    return jwt.get_unverified_header(token)


def verify_with(cands, fn, header=None, allowed=None):
    """Tries `fn(key)` with each candidate; the first success wins. Otherwise the error
    PyJWT raised: a claim or format error beats a signature failure, which beats an
    algorithm/key mismatch. With no candidate at all the token never reaches PyJWT; the
    code is then the one PyJWT raises first for any key (`alg` not in `algorithms`), or
    key_unknown."""
    if not cands:
        if header is not None and allowed is not None and header.get("alg") not in allowed:
            raise Reject("alg_not_allowed", f"no trusted key is a candidate, and alg {header.get('alg')!r} is not in {allowed}")
        raise Reject("key_unknown", "no trusted key is a candidate for the token's kid")
    errors = []
    for c in cands:
        try:
            return fn(c.key)
        except (E.PyJWTError, TypeError, ValueError) as e:
            errors.append((c, e))
    rank = {"bad_signature": 1, "alg_not_allowed": 2, "key_unknown": 3}
    best = min(errors, key=lambda ce: rank.get(code_of(ce[1]), 0))
    detail = "; ".join(f"{c.label}: {describe(e)}" for c, e in errors)
    if isinstance(best[1], TypeError):
        raise Reject("key_unknown", detail)
    raise Reject(code_of(best[1]), detail)

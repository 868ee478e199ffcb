#!/usr/bin/env python3
"""jwtc adapter for PyJWT (docs/protocol.md): JSON Lines on stdin/stdout, logs on stderr.

Every verification goes through PyJWT's own API (`jwt.decode`, `jwt.api_jws.decode_complete`,
`jwt.get_unverified_header`, `jwt.PyJWK`, `jwt.PyJWKClient`, `jwt.encode`); the glue here is
only what PyJWT has no option for (see README.md): choosing a key from a static set by `kid`,
Pendo's key ring, modes, nonce-free identity rules and dedupe, Watson's `sub` character set,
`user_payload` decryption and session pin, Pomerium's header lookup, identity and proxy role,
COYO's issuer patterns and `jku` allowlist.

The clock: PyJWT reads the time in exactly one place, `datetime.now(tz=timezone.utc)` inside
`jwt.api_jwt.PyJWT._validate_claims`. The module-level name `jwt.api_jwt.datetime` is
replaced, once at start-up, by a subclass of `datetime` whose `now()` returns the suite clock
of the harness's `hello`; nothing else changes and the adapter is single-threaded, so there is
no race and the wall clock is never consulted.

History rows (adapter.json `variants`, README.md "History"): the same program runs older
PyJWT releases. Where an API of the current release is missing (PyJWK accepted as a key by
`jwt.decode`/`jwt.encode`, exception classes, PyJWKClient's cache and transport attributes),
the adapter does what users of that release did (`signing_key.key`, the urllib errors).
`--all-algorithms` is the call pattern the CVE-2022-29217 advisory describes for PyJWT < 2.4:
`algorithms=jwt.algorithms.get_default_algorithms()` and key files passed as their text
(`jwt.decode(token, public_key_text, ...)`, as PyJWT's usage docs show).
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import sys
import time
import traceback
import urllib.parse
import urllib.request
from datetime import datetime as _RealDatetime
from datetime import timezone
from urllib.error import HTTPError, URLError

import jwt
import jwt.api_jws
import jwt.api_jwt
from jwt import PyJWK, PyJWKClient
from jwt import exceptions as E

from cryptography import __version__ as CRYPTOGRAPHY_VERSION
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

NAME = "pyjwt"
PROFILES = ["core", "jws", "pendo", "watson", "pomerium", "pomerium-proxy", "coyo"]

# --------------------------------------------------------------------------------------
# The suite clock, pinned where PyJWT reads the time.

SUITE_NOW: int | None = None


class _DatetimeMeta(type):
    # `isinstance(x, jwt.api_jwt.datetime)` (PyJWT's encode converts datetime claims) keeps
    # meaning "is a datetime".
    def __instancecheck__(cls, obj):
        return isinstance(obj, _RealDatetime)


class _SuiteDatetime(_RealDatetime, metaclass=_DatetimeMeta):
    """`datetime` whose `now()` is the harness's `hello.now`, never the wall clock."""

    @classmethod
    def now(cls, tz=None):
        if SUITE_NOW is None:
            raise RuntimeError("the suite clock is not set (no hello yet)")
        return _RealDatetime.fromtimestamp(SUITE_NOW, tz=tz or timezone.utc)


# The one call PyJWT 2.x makes: api_jwt.py `now = datetime.now(tz=timezone.utc).timestamp()`.
jwt.api_jwt.datetime = _SuiteDatetime

# PyJWT's strictest documented settings (jwt.types.Options), shared by every profile.
STRICT = {
    "verify_signature": True,
    "verify_exp": True,
    "verify_nbf": True,
    "verify_iat": True,
    "verify_aud": True,
    "verify_iss": True,
    "verify_sub": True,
    "verify_jti": True,
    "enforce_minimum_key_length": True,
}


def options(require=(), strict_aud=False):
    return {**STRICT, "require": list(require), "strict_aud": strict_aud}


# The history rows' switch (README.md, "History"): the pre-2.4 call pattern of the
# CVE-2022-29217 advisory, every algorithm PyJWT has and key files given as text.
ALL_ALGORITHMS = "--all-algorithms" in sys.argv[1:]


def allowed(algs):
    """The `algorithms=` argument: the context's list, or under `--all-algorithms` what
    the advisory's users passed, `jwt.algorithms.get_default_algorithms()`."""
    if ALL_ALGORITHMS:
        return jwt.algorithms.get_default_algorithms()
    return list(algs)


# PyJWT < 2.10 takes no PyJWK as the key of jwt.decode/jwt.encode: its users passed the
# key object inside it (`signing_key.key`, as PyJWT's PyJWKClient docs of those releases show).
TAKES_PYJWK = hasattr(jwt.api_jws, "PyJWK")


def as_key(k):
    return k if TAKES_PYJWK or not isinstance(k, PyJWK) else k.key


class _Never(Exception):
    """Stands for an exception class an older PyJWT does not have (never raised)."""


def _exc(name):
    return getattr(E, name, _Never)


# --------------------------------------------------------------------------------------
# The protocol.


def log(*args):
    print("pyjwt-adapter:", *args, file=sys.stderr, flush=True)


def send(msg):
    sys.stdout.write(json.dumps(msg, allow_nan=False) + "\n")
    sys.stdout.flush()


def json_safe(value, notes):
    """What PyJWT's `json.loads` returns can hold what JSON cannot carry: NaN and Infinity
    (Python's json accepts those literals) and lone surrogates (from `\\ud800` escapes).
    They are written as strings / U+FFFD, and the answer's detail says so, so an accept of
    such a token shows as an accept instead of crashing the protocol."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        notes.append(f"PyJWT accepted the non-JSON number {value!r} (written as a string here)")
        return repr(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            notes.append("PyJWT accepted a string holding a lone surrogate (written as U+FFFD here)")
            return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in value)
    if isinstance(value, list):
        return [json_safe(v, notes) for v in value]
    if isinstance(value, dict):
        return {json_safe(k, notes): json_safe(v, notes) for k, v in value.items()}
    return value


class Skip(Exception):
    pass


class Reject(Exception):
    def __init__(self, error, detail=""):
        super().__init__(detail or error)
        self.error = error
        self.detail = detail


class AdapterError(Exception):
    """A context the adapter cannot run (a bug or a bad case): answered `error`."""


def fetch(url):
    """The harness plays the network: send `fetch`, read the `fetched` answer."""
    send({"type": "fetch", "url": url})
    line = sys.stdin.readline()
    if not line:
        raise AdapterError("stdin closed while waiting for a fetched answer")
    msg = json.loads(line)
    if msg.get("type") != "fetched":
        raise AdapterError(f"expected a fetched answer, got {msg.get('type')!r}")
    return msg


# --------------------------------------------------------------------------------------
# PyJWT's exceptions -> the error codes of profiles.md.


def code_of(e: BaseException) -> str:
    if isinstance(e, E.InvalidSignatureError):
        return "bad_signature"
    if isinstance(e, E.ExpiredSignatureError):
        return "expired"
    if isinstance(e, E.ImmatureSignatureError):
        return "not_yet_valid"
    if isinstance(e, E.InvalidAudienceError):
        return "audience_mismatch"
    if isinstance(e, E.InvalidIssuerError):
        return "issuer_mismatch"
    if isinstance(e, E.MissingRequiredClaimError):
        return "claim_missing"
    if isinstance(e, (E.InvalidIssuedAtError, _exc("InvalidSubjectError"), _exc("InvalidJTIError"))):
        return "claim_invalid"
    if isinstance(e, E.InvalidAlgorithmError):
        return "alg_not_allowed"
    if isinstance(e, E.DecodeError):
        msg = str(e)
        if "claim (exp)" in msg or "claim (nbf)" in msg:
            return "claim_invalid"
        return "malformed"
    if isinstance(e, (_exc("PyJWKClientConnectionError"), OSError)):
        # OSError: PyJWT < 2.7's PyJWKClient lets urllib's URLError/HTTPError escape.
        return "key_unavailable"
    if isinstance(e, E.PyJWKClientError):
        if "Unable to find a signing key" in str(e) or "did not contain any signing keys" in str(e):
            return "key_unknown"
        return "key_unavailable"
    if isinstance(e, E.PyJWKSetError):
        return "key_unavailable"
    if isinstance(e, (E.InvalidKeyError, E.PyJWKError)):
        return "key_unknown"
    if isinstance(e, E.InvalidTokenError):
        return "malformed"
    if isinstance(e, ValueError):  # json.JSONDecodeError from PyJWKClient.fetch_data
        return "key_unavailable"
    return "malformed"


def describe(e: BaseException) -> str:
    return f"{type(e).__module__}.{type(e).__name__}: {e}"


# --------------------------------------------------------------------------------------
# Keys.


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


def with_notes(detail, notes):
    if notes:
        return f"{detail}; configuration: {'; '.join(notes)}" if detail else "configuration: " + "; ".join(notes)
    return detail


# --------------------------------------------------------------------------------------
# core and jws.


def core(inp, ctx, state):
    token = inp.get("token")
    if not isinstance(token, str):
        raise AdapterError("input.token is not a string")
    alg = ctx.get("algorithm")
    if not isinstance(alg, str):
        raise AdapterError("context.algorithm is not a string")
    skew = ctx.get("skew", 0)
    notes = []
    cands = load_keys(ctx.get("keys", []), notes=notes)
    try:
        header = header_of(token)
        claims = verify_with(
            select(cands, header.get("kid")),
            lambda key: jwt.decode(token, key, algorithms=allowed([alg]), options=options(), leeway=skew),
            header,
            [alg],
        )
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    except E.PyJWTError as e:
        raise Reject(code_of(e), with_notes(describe(e), notes))
    return {"verdict": "accept", "output": {"claims": claims}}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def plain_jws(inp, ctx, state):
    token = inp.get("token")
    if not isinstance(token, str):
        raise AdapterError("input.token is not a string")
    algs = ctx.get("algorithms")
    if not isinstance(algs, list) or not all(isinstance(a, str) for a in algs):
        raise AdapterError("context.algorithms is not an array of strings")
    notes = []
    cands = load_keys(ctx.get("keys", []), algorithms=algs, notes=notes)
    try:
        header = header_of(token)
        done = verify_with(
            select(cands, header.get("kid")),
            lambda key: jwt.api_jws.decode_complete(
                token, key, algorithms=allowed(algs), options={"verify_signature": True, "enforce_minimum_key_length": True}
            ),
            header,
            algs,
        )
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    except E.PyJWTError as e:
        raise Reject(code_of(e), with_notes(describe(e), notes))
    return {"verdict": "accept", "output": {"header": done["header"], "payload": b64url(done["payload"])}}


# --------------------------------------------------------------------------------------
# pendo: the subscription (key ring, mode, seen event ids) lives across a case's steps.

PENDO_MAX_KEYS = 5  # "You can create up to five keys."


def secret_text(jwk):
    """The secret as Pendo shows it: the text whose UTF-8 bytes the JWK's `k` holds; passed
    to PyJWT as a str, as the seed's `JWT.sign(…, 'JWT-SECRET-KEY')` does."""
    k = jwk.get("k")
    if not isinstance(k, str):
        raise ValueError("no k")
    raw = base64.urlsafe_b64decode(k + "=" * (-len(k) % 4))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


class Pendo:
    def __init__(self):
        self.revoked = set()  # "revoke the key permanently. This cannot be undone."
        self.seen = set()  # "Pendo will drop any duplicate events it receives"
        self.mode = "allow"
        self.ring = {}
        self.notes = []

    def configure(self, ctx):
        mode = ctx.get("mode")
        if mode not in ("disabled", "allow", "only_signed"):
            raise AdapterError(f"context.mode {mode!r} is not disabled/allow/only_signed")
        self.mode = mode
        revoked = ctx.get("revoked", [])
        if not isinstance(revoked, list):
            raise AdapterError("context.revoked is not an array")
        self.revoked.update(r for r in revoked if isinstance(r, str))
        self.ring, self.notes = {}, []
        keys = ctx.get("keys", [])
        if not isinstance(keys, list):
            raise AdapterError("context.keys is not an array")
        for k in keys:
            name = k.get("kid") if isinstance(k, dict) else None
            if not isinstance(name, str):
                self.notes.append("a key without a name is ignored")
                continue
            if name in self.revoked:
                self.notes.append(f"key {name!r} was revoked; revocation cannot be undone")
                continue
            if name in self.ring:
                self.notes.append(f"key {name!r} listed twice")
                continue
            if len(self.ring) >= PENDO_MAX_KEYS:
                self.notes.append(f"key {name!r} refused: at most {PENDO_MAX_KEYS} active keys")
                continue
            if k.get("kty") != "oct":
                self.notes.append(f"key {name!r} is not an HMAC secret")
                continue
            try:
                self.ring[name] = secret_text(k)
            except Exception as e:  # noqa: BLE001
                self.notes.append(f"key {name!r} refused: {e}")

    @staticmethod
    def identity(obj):
        """visitor/account as the seed describes them; `visitor.id` "must be a string"."""
        out = {}
        visitor = obj.get("visitor")
        account = obj.get("account")
        if visitor is not None and not isinstance(visitor, dict):
            raise Reject("claim_invalid", "visitor is not an object")
        if account is not None and not isinstance(account, dict):
            raise Reject("claim_invalid", "account is not an object")
        if visitor and "id" in visitor:
            if not isinstance(visitor["id"], str):
                raise Reject("claim_invalid", f"visitor.id is not a string: {visitor['id']!r}")
            out["visitor_id"] = visitor["id"]
        if account and "id" in account and account["id"] is not None:
            out["account_id"] = account["id"]
        out["anonymous"] = "visitor_id" not in out
        return out

    def receive(self, event):
        if not isinstance(event, dict):
            raise AdapterError("input.event is not an object")
        eid = event.get("id")
        if not isinstance(eid, str) or not eid:
            raise Reject("malformed", "event.id is not a non-empty string")
        has_jwt, has_name = "jwt" in event, "signingKeyName" in event
        if self.mode == "disabled" and has_jwt:
            raise Reject("signed_not_accepted", "signed metadata is disabled: events with a jwt are not accepted")
        if has_jwt != has_name:
            raise Reject("malformed", "an event must carry both jwt and signingKeyName")
        if has_jwt:
            token, name = event["jwt"], event["signingKeyName"]
            if not isinstance(token, str) or not isinstance(name, str):
                raise Reject("malformed", "jwt and signingKeyName must be strings")
            if name not in self.ring:
                if name in self.revoked:
                    raise Reject("key_revoked", f"signingKeyName {name!r} was revoked")
                raise Reject("key_unknown", f"signingKeyName {name!r} names no active key")
            try:
                claims = jwt.decode(
                    token, self.ring[name], algorithms=allowed(["HS256"]), options=options(require=["nonce"]), leeway=0
                )
            except (E.PyJWTError, ValueError, TypeError) as e:
                # ValueError/TypeError: under --all-algorithms an older PyJWT's RSA/EC
                # prepare_key raises them for a secret that is no PEM key.
                raise Reject(code_of(e), describe(e))
            out = {**self.identity(claims), "signed": True}
        else:
            if self.mode == "only_signed":
                raise Reject("unsigned_rejected", "only signed metadata is allowed")
            meta = event.get("metadata") or {}
            if not isinstance(meta, dict):
                raise Reject("claim_invalid", "metadata is not an object")
            out = {**self.identity(meta), "signed": False}
        if eid in self.seen:
            raise Reject("duplicate_event", f"event {eid!r} was already received")
        self.seen.add(eid)
        return out


def pendo(inp, ctx, state):
    sub = state.setdefault("pendo", Pendo())
    sub.configure(ctx)
    try:
        out = sub.receive(inp.get("event"))
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, sub.notes))
    return {"verdict": "accept", "output": out, "detail": with_notes("", sub.notes)}


# --------------------------------------------------------------------------------------
# watson.

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


# --------------------------------------------------------------------------------------
# PyJWKClient over the protocol's fetch/fetched.


class ProtocolJWKClient(PyJWKClient):
    """PyJWT's `PyJWKClient`, all of it (cache, lifespan, cool-down, kid lookup, `use`
    filter), except the transport: `fetch_data` is PyJWT's own body with `opener.open`
    replaced by the harness's `fetch`. Its `get_jwk_set` docs allow a subclass to override
    `fetch_data`. The answer is read as urllib would give it: 2xx is a response, any other
    status an HTTPError (PyJWT's opener follows no redirect), status 599 a URLError, a
    `delay_ms` beyond the client's `timeout` a TimeoutError."""

    def __init__(self, uri, log_to):
        super().__init__(uri)  # PyJWT's defaults: set cache 300 s, cool-down 30 s, time-out 30 s
        self.log_to = log_to

    def fetch_data(self):
        # PyJWT < 2.7 has no PyJWKClientConnectionError: urllib's errors escaped as they are.
        wrap = getattr(E, "PyJWKClientConnectionError", None)
        try:
            r = urllib.request.Request(url=self.uri, headers=getattr(self, "headers", None) or {})
            ans = fetch(r.full_url)
            self.log_to.append(r.full_url)
            status = ans.get("status")
            if ans.get("delay_ms", 0) > getattr(self, "timeout", 30) * 1000:
                raise TimeoutError("timed out")
            if ans.get("error") or not isinstance(status, int) or status == 599:
                raise URLError(ans.get("error") or f"status {status}")
            if not 200 <= status < 300:
                raise HTTPError(r.full_url, status, f"HTTP {status}", http.client.HTTPMessage(), None)
            jwk_set = json.loads((ans.get("body") or "").encode("utf-8"))
        except (URLError, TimeoutError, http.client.HTTPException) as e:
            if wrap is None:
                raise
            raise wrap(f'Fail to fetch data from the url, err: "{e}"') from e
        if hasattr(self, "_as_jwk_set_payload"):
            jwk_set = self._as_jwk_set_payload(jwk_set)
        if getattr(self, "jwk_set_cache", None) is not None:
            self.jwk_set_cache.put(jwk_set)
        self._last_successful_fetch = time.monotonic()
        return jwk_set


def jwks_signing_key(client, token):
    """PyJWT's documented `get_signing_key_from_jwt`. PyJWT < 2.4 lets a JWK Set that is
    no JSON object escape as AttributeError/TypeError/KeyError from PyJWKSet.from_dict:
    the library refused the set, so it is a reject (key_unavailable) naming the exception."""
    try:
        return client.get_signing_key_from_jwt(token)
    except (AttributeError, TypeError, KeyError) as e:
        raise Reject("key_unavailable", f"PyJWKClient raised {describe(e)} (not a PyJWTError)")


# --------------------------------------------------------------------------------------
# pomerium (verifier) and pomerium-proxy (signer).

ASSERTION = "x-pomerium-jwt-assertion"


def pomerium(inp, ctx, state):
    headers = inp.get("headers")
    if not isinstance(headers, list):
        raise AdapterError("input.headers is not an array")
    values = []
    for h in headers:
        if not (isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h)):
            raise AdapterError("a header is not a [name, value] pair of strings")
        if h[0].lower() == ASSERTION:
            v = h[1].strip(" \t")
            if v:
                values.append(v)
    if not values:
        raise Reject("token_missing", f"no {ASSERTION} header")
    if len(set(values)) > 1:
        raise Reject("header_conflict", f"{len(set(values))} differing {ASSERTION} values")
    token = values[0]
    audience = ctx.get("audience")
    issuer = ctx.get("issuer") or "pomerium-proxy"  # "Issuer must be pomerium-proxy."
    skew = ctx.get("skew", 60)  # "Allow 1 minute for skew."

    def check(key):
        return jwt.decode(
            token,
            key,
            algorithms=allowed(["ES256"]),
            options=options(require=["exp", "iat", "iss", "aud", "sub"]),
            audience=audience,
            issuer=issuer,
            leeway=skew,
        )

    notes = []
    try:
        if "keys" in ctx:
            cands = load_keys(ctx["keys"], notes=notes)
            header = header_of(token)
            claims = verify_with(select(cands, header.get("kid")), check, header, ["ES256"])
        else:
            url = ctx.get("jwks_url") or f"https://{issuer}/.well-known/pomerium/jwks.json"
            clients = state.setdefault("clients", {})
            client = clients.get(url) or clients.setdefault(url, ProtocolJWKClient(url, state.setdefault("fetched", [])))
            # PyJWT's documented flow: the key from the JWKS by the token's kid, then decode.
            signing_key = jwks_signing_key(client, token)
            claims = check(as_key(signing_key))
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    except (E.PyJWTError, ValueError, OSError) as e:
        raise Reject(code_of(e), with_notes(describe(e), notes))
    out = {"sub": claims["sub"]}
    email = claims.get("email")
    if email is not None:
        if not isinstance(email, str):
            raise Reject("claim_invalid", "email is not a string")
        if email:
            out["email"] = email
    groups = claims.get("groups")
    if groups is not None:
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise Reject("claim_invalid", "groups is not an array of strings")
        if groups:
            out["groups"] = groups
    return {"verdict": "accept", "output": out}


TCHAR = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def pomerium_proxy(inp, ctx, state):
    headers = inp.get("headers")
    if not isinstance(headers, list):
        raise AdapterError("input.headers is not an array")
    forwarded = []
    for h in headers:
        if not (isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h)):
            raise AdapterError("a header is not a [name, value] pair of strings")
        name, value = h
        # An HTTP front end refuses what is not a header field (RFC 9110 §5.1, §5.5).
        if not TCHAR.fullmatch(name):
            raise Reject("malformed", f"header name {name!r} is not an RFC 9110 token")
        if BAD_VALUE.search(value):
            raise Reject("malformed", f"header {name!r} has a control character in its value")
        # "pomerium it strips the x-pomerium-* headers provided by the client"
        if name.lower().startswith("x-pomerium-"):
            continue
        forwarded.append([name, value])
    sk = ctx.get("signing_key")
    identity = ctx.get("identity") or {}
    if not isinstance(sk, dict) or not isinstance(identity, dict):
        raise AdapterError("context.signing_key / context.identity is not an object")
    try:
        key = PyJWK(sk, algorithm="ES256")
    except E.PyJWTError as e:
        raise AdapterError(f"context.signing_key refused by PyJWK: {describe(e)}")
    claims = {
        **identity,
        "iss": ctx.get("issuer") or "pomerium-proxy",
        "aud": ctx.get("audience"),
        "iat": SUITE_NOW,
        "exp": SUITE_NOW + 300,
    }
    hdr = {"kid": sk["kid"]} if isinstance(sk.get("kid"), str) else None
    token = jwt.encode(claims, as_key(key), algorithm="ES256", headers=hdr)
    return {"verdict": "accept", "output": {"headers": forwarded + [[ASSERTION, token]]}}


# --------------------------------------------------------------------------------------
# coyo.


class PatternRefused(Exception):
    pass


def compile_issuer_pattern(p):
    """The seed writes patterns as JavaScript literals (`/^https:\\/\\/some.site$/i`); a bare
    expression is taken as is. Only the `i` flag means anything here. Matched against the
    whole `iss` (coyo.issuer-keys: "matched against iss in full")."""
    if not isinstance(p, str):
        raise PatternRefused(f"pattern {p!r} is not a string")
    flags = 0
    m = re.fullmatch(r"/(.*)/([a-z]*)", p, re.S)
    if m:
        body, fl = m.group(1), m.group(2)
        if set(fl) - {"i"}:
            raise PatternRefused(f"pattern {p!r}: flags {fl!r} other than i")
        if "i" in fl:
            flags |= re.IGNORECASE
    else:
        body = p
    try:
        return re.compile(body, flags)
    except re.error as e:
        raise PatternRefused(f"pattern {p!r} does not compile: {e}")


def origin(url):
    """(scheme, host, port) of an https URL as Python's urllib.parse sees it, or None."""
    try:
        u = urllib.parse.urlsplit(url)
        port = u.port
    except ValueError:
        return None
    if u.scheme != "https" or not u.hostname:
        return None
    return ("https", u.hostname, port or 443)


def coyo(inp, ctx, state):
    token = inp.get("token")
    if not isinstance(token, str):
        raise AdapterError("input.token is not a string")
    notes = []
    builtin = load_keys(ctx.get("builtin", []), notes=notes)
    issuers = []
    for i, entry in enumerate(ctx.get("issuers", [])):
        try:
            pat = compile_issuer_pattern(entry.get("pattern"))
        except PatternRefused as e:
            notes.append(f"issuers[{i}]: {e}")
            continue
        issuers.append((pat, load_keys(entry.get("keys", []), notes=notes)))
    allow = []
    for a in ctx.get("jku_allowlist", []):
        o = origin(a)
        if o is None:
            notes.append(f"allowlist entry {a!r} is not an https origin")
        else:
            allow.append(o)
    skew = ctx.get("skew", 0)

    def check(key):
        return jwt.decode(token, key, algorithms=allowed(["RS256"]), options=options(require=["iss"]), leeway=skew)

    try:
        header = header_of(token)
        kid = header.get("kid")
        # The issuer patterns need the (unverified) iss; PyJWT's documented way to read it.
        unverified = jwt.decode(token, options={"verify_signature": False})
        iss = unverified.get("iss")
        # Built-in keys first, then the keys registered under every pattern matching iss.
        cands = select(builtin, kid)
        if isinstance(iss, str):
            for pat, keys in issuers:
                if pat.fullmatch(iss):
                    cands += select(keys, kid)
        if cands:
            claims = verify_with(cands, check, header, ["RS256"])
        elif "jku" in header:
            jku = header["jku"]
            if not isinstance(jku, str):
                raise Reject("malformed", "jku is not a string")
            # "a plug-in MUST check the public key download URL ('jku' header claim) against a
            # whitelist of known sites" -- before anything is fetched.
            o = origin(jku)
            if o is None or o not in allow:
                raise Reject("jku_not_allowed", f"jku {jku!r} (origin {o}) is not allowlisted")
            clients = state.setdefault("clients", {})
            client = clients.get(jku) or clients.setdefault(jku, ProtocolJWKClient(jku, state.setdefault("fetched", [])))
            signing_key = jwks_signing_key(client, token)
            claims = check(as_key(signing_key))
        else:
            raise Reject("key_unknown", f"no built-in or registered key for kid {kid!r}, iss {iss!r}, and no jku")
    except Reject as r:
        raise Reject(r.error, with_notes(r.detail, notes))
    except (E.PyJWTError, ValueError, OSError) as e:
        raise Reject(code_of(e), with_notes(describe(e), notes))
    out = {"iss": claims["iss"]}
    if "sub" in claims:
        out["sub"] = claims["sub"]
    return {"verdict": "accept", "output": out}


# --------------------------------------------------------------------------------------

HANDLERS = {
    "core": core,
    "jws": plain_jws,
    "pendo": pendo,
    "watson": watson,
    "pomerium": pomerium,
    "pomerium-proxy": pomerium_proxy,
    "coyo": coyo,
}


def run_case(msg, state):
    answer = {"id": msg.get("id"), "step": msg.get("step", 0)}
    handler = HANDLERS.get(msg.get("profile"))
    try:
        if handler is None:
            raise Skip(f"profile {msg.get('profile')!r} is not implemented by this adapter")
        ctx = msg.get("context") or {}
        inp = msg.get("input") or {}
        if not isinstance(ctx, dict) or not isinstance(inp, dict):
            raise AdapterError("context/input is not an object")
        res = handler(inp, ctx, state)
        unsafe = []
        res = json_safe(res, unsafe)
        if unsafe:
            res["detail"] = "; ".join(filter(None, [res.get("detail", ""), *unsafe]))
        answer.update(type="result", **{k: v for k, v in res.items() if v != "" or k != "detail"})
    except Skip as s:
        answer.update(type="skip", reason=str(s))
    except Reject as r:
        answer.update(type="result", verdict="reject", error=r.error, detail=r.detail)
    except RecursionError as e:
        # An older PyJWT lets json's RecursionError out of decode: the token is refused.
        answer.update(type="result", verdict="reject", error="malformed", detail=f"PyJWT raised {describe(e)} (not a PyJWTError)")
    except Exception as e:  # noqa: BLE001 - an adapter bug: say so, do not die
        log("adapter error on", msg.get("id"), traceback.format_exc())
        answer.update(type="result", verdict="error", detail=describe(e))
    return answer


def main():
    global SUITE_NOW
    state = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
        except ValueError:
            log("ignoring a line that is not JSON:", line[:200])
            continue
        kind = msg.get("type")
        if kind == "hello":
            SUITE_NOW = int(msg["now"])
            send(
                {
                    "type": "hello",
                    "name": NAME,
                    "version": jwt.__version__,
                    "profiles": PROFILES,
                    "cryptography": CRYPTOGRAPHY_VERSION,
                    **({"pattern": "algorithms=get_default_algorithms(), key text"} if ALL_ALGORITHMS else {}),
                }
            )
        elif kind == "case":
            if msg.get("step", 0) == 0:
                state = {}
            send(run_case(msg, state))
        else:
            log("ignoring message of type", kind)


if __name__ == "__main__":
    main()

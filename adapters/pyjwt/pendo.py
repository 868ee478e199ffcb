"""The `pendo` profile of the PyJWT adapter (Pendo, HS256 signed metadata): the
subscription (key ring, mode, seen event ids) lives across a case's steps."""

from __future__ import annotations

import base64

import jwt
from jwt import exceptions as E

from calls import allowed, options
from errors import code_of
from jwtc_glue.protocol import AdapterError, Reject, describe, with_notes

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

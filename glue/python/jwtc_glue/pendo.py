"""The `pendo` profile (Pendo, HS256 signed metadata): the subscription (key ring, mode, seen
event ids) lives across a case's steps. The library's part, from the adapter's library object
(glue/python/README.md): `pendo_secret(text or bytes)` (a shared secret as the library takes
it) and `decode` (HS256, a top-level `nonce` required)."""

from __future__ import annotations

import base64

from jwtc_glue.protocol import AdapterError, Reject, with_notes

PENDO_MAX_KEYS = 5  # "You can create up to five keys."


def secret_text(lib, jwk):
    """The secret as Pendo shows it: the text whose UTF-8 bytes the JWK's `k` holds, handed to
    the library as the seed's `JWT.sign(…, 'JWT-SECRET-KEY')` passes it (the bytes when they
    are no UTF-8)."""
    k = jwk.get("k")
    if not isinstance(k, str):
        raise ValueError("no k")
    raw = base64.urlsafe_b64decode(k + "=" * (-len(k) % 4))
    try:
        return lib.pendo_secret(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return lib.pendo_secret(raw)


class Pendo:
    def __init__(self, lib):
        self.lib = lib
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
                self.ring[name] = secret_text(self.lib, k)
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
            claims = self.lib.decode(token, self.ring[name], ["HS256"], 0, required=("nonce",))
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


def pendo_profile(lib):
    """The `pendo` handler for the library object `lib`."""

    def pendo(inp, ctx, state):
        sub = state.get("pendo") or state.setdefault("pendo", Pendo(lib))
        sub.configure(ctx)
        try:
            out = sub.receive(inp.get("event"))
        except Reject as r:
            raise Reject(r.error, with_notes(r.detail, sub.notes))
        return {"verdict": "accept", "output": out, "detail": with_notes("", sub.notes)}

    return pendo

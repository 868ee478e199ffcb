"""JWK Sets over the protocol's fetch for the joserfc adapter (Pomerium's JWKS, COYO's `jku`):
joserfc has no JWKS client, so this is the smallest one. Each URL's set is fetched when a
token first needs it, kept for the case, refetched at most once for a kid it lacks, and a
failing URL is tried at most twice (a cool-down that never ends within a case). The set is
read with joserfc's `KeySet.import_key_set`. It is handed to joserfc as a key callable
(`KeyFlexible`), so joserfc's own header and algorithm checks come before any fetch."""

from __future__ import annotations

import json

from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from errors import describe
from protocol import Reject, fetch

TIMEOUT_MS = 30_000  # a fetch answered later than this is a time-out
MAX_BYTES = 65_536  # a larger JWK Set is refused unread (no real set comes near)


class RemoteKeySet:
    def __init__(self, url, key_document=False):
        self.url = url
        self.key_document = key_document
        self.keys = None
        self.fetches = 0
        self.refetched = False
        self.error = None

    def _load(self):
        self.fetches += 1
        ans = fetch(self.url)
        status = ans.get("status")
        try:
            if ans.get("delay_ms", 0) > TIMEOUT_MS:
                raise ValueError(f"no answer within {TIMEOUT_MS} ms")
            if ans.get("error") or not isinstance(status, int) or not 200 <= status < 300:
                raise ValueError(f"HTTP status {status} {ans.get('error') or ''}".rstrip())
            body = ans.get("body") or ""
            if len(body.encode("utf-8")) > MAX_BYTES:
                raise ValueError(f"the answer is over {MAX_BYTES} bytes")
            doc = json.loads(body)
            if self.key_document:
                doc = from_key_document(doc)
            if not isinstance(doc, dict) or not isinstance(doc.get("keys"), list):
                raise ValueError("not a JWK Set (no keys array)")
            self.keys = KeySet.import_key_set(doc)
        except (JoseError, ValueError, TypeError, KeyError) as e:
            self.error = Reject("key_unavailable", f"GET {self.url}: {describe(e)}")
            raise self.error

    def for_kid(self, kid):
        """The set to look `kid` up in: fetched on first need, refetched once for a kid it
        lacks; after two failed fetches the last failure is repeated without a fetch."""
        if self.keys is None:
            if self.fetches >= 2 and self.error is not None:
                raise self.error
            self._load()
        elif kid is not None and all(k.kid != kid for k in self.keys) and not self.refetched:
            self.refetched = True
            self._load()
        return self.keys

    def resolver(self):
        """joserfc's key callable: given the token object, the set for its `kid`."""
        return lambda obj: self.for_kid(obj.headers().get("kid"))


def remote(state, url, key_document=False):
    """The case's RemoteKeySet for `url` (one per URL, kept across the case's steps)."""
    sets = state.setdefault("jwks", {})
    return sets.get(url) or sets.setdefault(url, RemoteKeySet(url, key_document))


def from_key_document(doc):
    """COYO's key document, {"alg": <WebCrypto algorithm>, "key": <JWK>} (what COYO's own
    plug-in library reads from a jku; docs/rules.md coyo.fetch), as the one-key JWK Set it
    means, the key's alg from the document. Any other document is returned as it is."""
    if not isinstance(doc, dict) or "keys" in doc or "key" not in doc:
        return doc
    extra = [k for k in doc if k not in ("alg", "key")]
    if extra:
        raise ValueError(f"key document: unknown member {extra[0]!r}")
    key, a = doc["key"], doc.get("alg")
    if not isinstance(key, dict):
        raise ValueError("key document: key is not a JWK object")
    a = a if isinstance(a, dict) else {}
    h = a.get("hash")
    h = h.get("name") if isinstance(h, dict) else h
    alg = {"SHA-256": "RS256", "SHA-512": "RS512"}.get(h) if a.get("name") == "RSASSA-PKCS1-v1_5" else None
    if alg is None:
        raise ValueError(f"key document: alg {doc.get('alg')!r} is not RSASSA-PKCS1-v1_5 with SHA-256 or SHA-512")
    if key.get("alg", alg) != alg:
        raise ValueError(f"key document: the key's alg {key.get('alg')!r} is not the document's {alg}")
    return {"keys": [dict(key, alg=alg)]}

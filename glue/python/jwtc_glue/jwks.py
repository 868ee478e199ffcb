"""JWK Sets over the protocol's fetch (Pomerium's JWKS, COYO's `jku`), for libraries with no
JWKS client of their own. Each URL's set is fetched when a token first needs it, kept for the
case, refetched at most once for a kid it lacks, and a failing URL is tried at most twice (a
cool-down that never ends within a case). How a set is read (`import_set`), which library
errors mean a bad set (`errors`) and how a kid is looked up (`has_kid`) are the adapter's."""

from __future__ import annotations

import json

from jwtc_glue.protocol import Reject, describe, fetch

TIMEOUT_MS = 30_000  # a fetch answered later than this is a time-out
MAX_BYTES = 65_536  # a larger JWK Set is refused unread (no real set comes near)


class RemoteKeySet:
    """One URL's set. `import_set(doc)` turns the JWK Set document into what the adapter keeps
    (`self.keys`), `has_kid(keys, kid)` says whether it holds `kid`, `errors` are the library's
    exception classes that mean a bad set (besides ValueError, TypeError, KeyError)."""

    def __init__(self, url, import_set, has_kid, errors=(), key_document=False):
        self.url = url
        self.import_set = import_set
        self.has_kid = has_kid
        self.errors = tuple(errors)
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
            self.keys = self.import_set(doc)
        except (*self.errors, ValueError, TypeError, KeyError) as e:
            self.error = Reject("key_unavailable", f"GET {self.url}: {describe(e)}")
            raise self.error

    def for_kid(self, kid):
        """The set to look `kid` up in: fetched on first need, refetched once for a kid it
        lacks; after two failed fetches the last failure is repeated without a fetch."""
        if self.keys is None:
            if self.fetches >= 2 and self.error is not None:
                raise self.error
            self._load()
        elif kid is not None and not self.has_kid(self.keys, kid) and not self.refetched:
            self.refetched = True
            self._load()
        return self.keys


def remote(state, url, make):
    """The case's key set for `url` (one per URL, kept across the case's steps); `make()`
    builds it on first use."""
    sets = state.setdefault("jwks", {})
    return sets.get(url) or sets.setdefault(url, make())


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

"""PyJWT's `PyJWKClient` over the protocol's fetch/fetched, for the PyJWT adapter's JWKS
downloads (Pomerium's JWKS, COYO's `jku`)."""

from __future__ import annotations

import http.client
import json
import time
import urllib.request
from urllib.error import HTTPError, URLError

from jwt import PyJWKClient
from jwt import exceptions as E

from jwtc_glue import jwks
from jwtc_glue.protocol import Reject, describe, fetch


class ProtocolJWKClient(PyJWKClient):
    """PyJWT's `PyJWKClient`, all of it (cache, lifespan, cool-down, kid lookup, `use`
    filter), except the transport: `fetch_data` is PyJWT's own body with `opener.open`
    replaced by the harness's `fetch`. Its `get_jwk_set` docs allow a subclass to override
    `fetch_data`. The answer is read as urllib would give it: 2xx is a response, any other
    status an HTTPError (PyJWT's opener follows no redirect), status 599 a URLError, a
    `delay_ms` beyond the client's `timeout` a TimeoutError."""

    def __init__(self, uri, log_to, key_document=False):
        super().__init__(uri)  # PyJWT's defaults: set cache 300 s, cool-down 30 s, time-out 30 s
        self.log_to = log_to
        self.key_document = key_document

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
            if self.key_document:
                jwk_set = from_key_document(r.full_url, jwk_set)
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


def from_key_document(url, doc):
    """COYO's key document as the one-key JWK Set it means (`jwtc_glue.jwks.from_key_document`);
    a document that is not one is refused as the key_unavailable it is, naming the URL."""
    try:
        return jwks.from_key_document(doc)
    except ValueError as e:
        raise Reject("key_unavailable", f"GET {url}: {e}")


def jwks_signing_key(client, token):
    """PyJWT's documented `get_signing_key_from_jwt`. PyJWT < 2.4 lets a JWK Set that is
    no JSON object escape as AttributeError/TypeError/KeyError from PyJWKSet.from_dict:
    the library refused the set, so it is a reject (key_unavailable) naming the exception."""
    try:
        return client.get_signing_key_from_jwt(token)
    except (AttributeError, TypeError, KeyError) as e:
        raise Reject("key_unavailable", f"PyJWKClient raised {describe(e)} (not a PyJWTError)")

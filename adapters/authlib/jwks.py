"""JWK Sets over the protocol's fetch for the authlib adapter (Pomerium's JWKS, COYO's `jku`):
authlib.jose has no JWKS client, so the shared one (glue/python jwtc_glue.jwks) is used, the
set read with authlib's `JsonWebKey.import_key_set`. It is handed to authlib as the key
callable `decode` accepts (`key(header, payload)`), so authlib's own header and algorithm
checks come before any fetch."""

from __future__ import annotations

from authlib.jose import JsonWebKey
from authlib.jose.errors import JoseError
from jwtc_glue import jwks


class RemoteKeySet(jwks.RemoteKeySet):
    def resolver(self):
        """authlib's key callable: given the header, the set's key for its `kid`."""
        return lambda header, payload: self.for_kid(header.get("kid")).find_by_kid(header.get("kid"))


def remote(state, url, key_document=False):
    """The case's RemoteKeySet for `url` (one per URL, kept across the case's steps)."""
    return jwks.remote(
        state,
        url,
        lambda: RemoteKeySet(
            url,
            JsonWebKey.import_key_set,
            lambda keys, kid: any(k.kid == kid for k in keys.keys),
            (JoseError,),
            key_document,
        ),
    )

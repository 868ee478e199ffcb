"""JWK Sets over the protocol's fetch for the joserfc adapter (Pomerium's JWKS, COYO's `jku`):
joserfc has no JWKS client, so the shared one (glue/python jwtc_glue.jwks) is used, the set
read with joserfc's `KeySet.import_key_set`. It is handed to joserfc as a key callable
(`KeyFlexible`), so joserfc's own header and algorithm checks come before any fetch."""

from __future__ import annotations

from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from jwtc_glue import jwks


class RemoteKeySet(jwks.RemoteKeySet):
    def resolver(self):
        """joserfc's key callable: given the token object, the set for its `kid`."""
        return lambda obj: self.for_kid(obj.headers().get("kid"))


def remote(state, url, key_document=False):
    """The case's RemoteKeySet for `url` (one per URL, kept across the case's steps)."""
    return jwks.remote(
        state,
        url,
        lambda: RemoteKeySet(
            url,
            KeySet.import_key_set,
            lambda keys, kid: any(k.kid == kid for k in keys),
            (JoseError,),
            key_document,
        ),
    )

"""JWK Sets over the protocol's fetch for the python-jose adapter (Pomerium's JWKS, COYO's
`jku`): python-jose has no JWKS client, so the shared one (glue/python jwtc_glue.jwks) is used,
the set kept as its JWK objects. It is handed to `jwt.decode` as the iterable of keys
python-jose takes ("a tuple or list of keys"), which python-jose iterates only after its own
header and algorithm checks, so no token it refuses before that causes a fetch; the set's keys
are built with `jose.jwk.construct` for the token's algorithm (a key it refuses is left out,
with a note) and python-jose tries each."""

from __future__ import annotations

from jose import exceptions as E
from jose import jwt
from jwtc_glue import jwks

from verify import key_of


class RemoteKeySet(jwks.RemoteKeySet):
    def keys_for(self, token, alg, notes):
        """The lazy key list `jwt.decode` iterates (see the module's doc)."""
        return _Lazy(self, token, alg, notes)


class _Lazy:
    def __init__(self, remote_set, token, alg, notes):
        self.remote_set, self.token, self.alg, self.notes = remote_set, token, alg, notes

    def __iter__(self):
        try:
            kid = jwt.get_unverified_header(self.token).get("kid")
        except E.JOSEError:
            kid = None
        keys = key_of(self.remote_set.for_kid(kid), self.alg, self.notes, where=f"GET {self.remote_set.url} keys")
        return iter(keys or [])


def remote(state, url, key_document=False):
    """The case's RemoteKeySet for `url` (one per URL, kept across the case's steps)."""
    return jwks.remote(
        state,
        url,
        lambda: RemoteKeySet(
            url,
            lambda doc: [k for k in doc["keys"] if isinstance(k, dict)],
            lambda keys, kid: any(k.get("kid") == kid for k in keys),
            (),
            key_document,
        ),
    )

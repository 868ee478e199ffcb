"""`vendor_profiles(lib)`: the library object checked against the contract (a member missing
stops the adapter at start-up, naming it), and the five vendor handlers built from it."""

from __future__ import annotations

from jwtc_glue.coyo import coyo_profile
from jwtc_glue.pendo import pendo_profile
from jwtc_glue.pomerium import pomerium_profiles
from jwtc_glue.watson import watson_profile

# The members of a library object (glue/python/README.md, "The library object").
CALLABLES = (
    "keys",
    "decode",
    "remote_key",
    "unverified",
    "import_entry",
    "key_kid",
    "key_alg",
    "one_of",
    "pendo_secret",
    "rsa_private_key",
    "ec_private_key",
    "sign_es256",
    "suite_now",
)


def vendor_profiles(lib):
    """{pendo, watson, pomerium, pomerium-proxy, coyo} for the library object `lib`."""
    if not isinstance(getattr(lib, "name", None), str):
        raise SystemExit(f"jwtc_glue: the library object {lib!r} has no name (a string)")
    for member in CALLABLES:
        if not callable(getattr(lib, member, None)):
            raise SystemExit(f"jwtc_glue: {lib.name}'s library object has no callable {member}")
    errors = getattr(lib, "key_errors", None)
    if not (isinstance(errors, tuple) and errors and all(isinstance(e, type) and issubclass(e, BaseException) for e in errors)):
        raise SystemExit(f"jwtc_glue: {lib.name}'s library object: key_errors is not a tuple of exception classes")
    if getattr(lib, "oaep_sha1", None) is None:
        raise SystemExit(f"jwtc_glue: {lib.name}'s library object has no oaep_sha1 (the padding for Watson's user_payload)")
    pomerium, pomerium_proxy = pomerium_profiles(lib)
    return {
        "pendo": pendo_profile(lib),
        "watson": watson_profile(lib),
        "pomerium": pomerium,
        "pomerium-proxy": pomerium_proxy,
        "coyo": coyo_profile(lib),
    }

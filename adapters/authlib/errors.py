"""authlib.jose's exceptions mapped to the error codes of docs/rules.md (`code_of`) (`describe`,
an exception named with its class, is the shared glue's: jwtc_glue.protocol)."""

from __future__ import annotations

from authlib.jose import errors as E

# (authlib's error class name, the code). Matched by name, so a class an older release
# lacks is never needed.
_BY_CLASS = {
    "BadSignatureError": "bad_signature",
    "ExpiredTokenError": "expired",
    "InvalidTokenError": "not_yet_valid",  # nbf in the future, or iat issued in the future
    "MissingClaimError": "claim_missing",
    "InvalidClaimError": "claim_invalid",
    "InsecureClaimError": "claim_invalid",
    "UnsupportedAlgorithmError": "alg_not_allowed",
    "MissingAlgorithmError": "alg_not_allowed",
    "KeyMismatchError": "key_unknown",
    "InvalidUseError": "key_unknown",
}


def code_of(e: Exception) -> str:
    for cls in type(e).__mro__:
        if cls.__name__ in _BY_CLASS:
            return _BY_CLASS[cls.__name__]
    if isinstance(e, E.JoseError):
        return "malformed"  # DecodeError, InvalidHeaderParameterNameError, crit errors, ...
    return "key_unknown"  # ValueError from a key authlib (or cryptography) cannot import


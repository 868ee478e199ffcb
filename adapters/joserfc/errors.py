"""joserfc's exceptions mapped to the error codes of docs/rules.md (`code_of`) (`describe`,
an exception named with its class, is the shared glue's: jwtc_glue.protocol)."""

from __future__ import annotations

from joserfc import errors as E

# (joserfc's error class name, the code), matched along the class's MRO by name.
_BY_CLASS = {
    "BadSignatureError": "bad_signature",
    "ExpiredTokenError": "expired",
    "MissingClaimError": "claim_missing",
    "InsecureClaimError": "claim_invalid",
    "UnsupportedAlgorithmError": "alg_not_allowed",
    "MissingAlgorithmError": "alg_not_allowed",
    "ConflictAlgorithmError": "alg_not_allowed",
    "InvalidKeyIdError": "key_unknown",
    "MissingKeyError": "key_unknown",
    "KeyParameterError": "key_unknown",
    "InvalidKeyCurveError": "key_unknown",
    "InvalidKeyLengthError": "key_unknown",
}
# InvalidClaimError by its claim.
_BY_CLAIM = {"iss": "issuer_mismatch", "aud": "audience_mismatch"}


def code_of(e: Exception) -> str:
    if isinstance(e, E.InvalidClaimError):
        if e.claim in ("nbf", "iat") and ("not yet valid" in str(e) or "in the future" in str(e)):
            return "not_yet_valid"
        return _BY_CLAIM.get(e.claim, "claim_invalid")
    for cls in type(e).__mro__:
        if cls.__name__ in _BY_CLASS:
            return _BY_CLASS[cls.__name__]
    if isinstance(e, E.JoseError):
        return "malformed"  # DecodeError, InvalidPayloadError, header and crit errors, ...
    return "key_unknown"  # ValueError from a key joserfc (or cryptography) cannot use


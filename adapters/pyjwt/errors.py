"""PyJWT's exceptions -> the error codes of docs/rules.md (how an exception is named in an
answer's detail, `describe`, is the shared glue's: jwtc_glue.protocol)."""

from __future__ import annotations

from jwt import exceptions as E


class _Never(Exception):
    """Stands for an exception class an older PyJWT does not have (never raised)."""


def _exc(name):
    return getattr(E, name, _Never)


def code_of(e: BaseException) -> str:
    if isinstance(e, E.InvalidSignatureError):
        return "bad_signature"
    if isinstance(e, E.ExpiredSignatureError):
        return "expired"
    if isinstance(e, E.ImmatureSignatureError):
        return "not_yet_valid"
    if isinstance(e, E.InvalidAudienceError):
        return "audience_mismatch"
    if isinstance(e, E.InvalidIssuerError):
        return "issuer_mismatch"
    if isinstance(e, E.MissingRequiredClaimError):
        return "claim_missing"
    if isinstance(e, (E.InvalidIssuedAtError, _exc("InvalidSubjectError"), _exc("InvalidJTIError"))):
        return "claim_invalid"
    if isinstance(e, E.InvalidAlgorithmError):
        return "alg_not_allowed"
    if isinstance(e, E.DecodeError):
        msg = str(e)
        if "claim (exp)" in msg or "claim (nbf)" in msg:
            return "claim_invalid"
        return "malformed"
    if isinstance(e, (_exc("PyJWKClientConnectionError"), OSError)):
        # OSError: PyJWT < 2.7's PyJWKClient lets urllib's URLError/HTTPError escape.
        return "key_unavailable"
    if isinstance(e, E.PyJWKClientError):
        if "Unable to find a signing key" in str(e) or "did not contain any signing keys" in str(e):
            return "key_unknown"
        return "key_unavailable"
    if isinstance(e, E.PyJWKSetError):
        return "key_unavailable"
    if isinstance(e, (E.InvalidKeyError, E.PyJWKError)):
        return "key_unknown"
    if isinstance(e, E.InvalidTokenError):
        return "malformed"
    if isinstance(e, ValueError):  # json.JSONDecodeError from PyJWKClient.fetch_data
        return "key_unavailable"
    return "malformed"

"""python-jose's exceptions mapped to the error codes of docs/rules.md (`code_of`) (`describe`,
an exception named with its class, is the shared glue's: jwtc_glue.protocol).

python-jose raises few classes and says the rest in the message: `jwt.decode` wraps every
`JWSError` in a `JWTError` carrying the JWS message, `ExpiredSignatureError` and
`JWTClaimsError` are the claim checks, and `JWKError` (a key that cannot be built for the
token's algorithm) escapes `jwt.decode` unwrapped."""

from __future__ import annotations

from jose import exceptions as E

# (a piece of python-jose's message, the code), first match wins.
_BY_MESSAGE = [
    ("Signature verification failed", "bad_signature"),
    ("The specified alg value is not allowed", "alg_not_allowed"),
    ("Invalid or unsupported algorithm", "alg_not_allowed"),
    ("No algorithm was specified", "alg_not_allowed"),
    ("not yet valid", "not_yet_valid"),
    ("Invalid issuer", "issuer_mismatch"),
    ("Invalid audience", "audience_mismatch"),
    ("Token is missing", "claim_missing"),
    ("must be an integer", "claim_invalid"),
    ("must be a string", "claim_invalid"),
    ("Invalid subject", "claim_invalid"),
    ("Invalid claim", "claim_invalid"),
]


def code_of(e: Exception) -> str:
    if isinstance(e, E.ExpiredSignatureError):
        return "expired"
    if isinstance(e, E.JWKError):
        return "key_unknown"
    msg = str(e)
    for piece, code in _BY_MESSAGE:
        if piece in msg:
            return code
    return "malformed"  # Error decoding token headers, Invalid payload string, Invalid header padding, ...


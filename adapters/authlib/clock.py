"""The suite clock of the authlib adapter: the harness's `hello.now`, handed to authlib's
own `JWTClaims.validate(now=...)` (authlib reads `time.time()` only when `now` is None)."""

from __future__ import annotations

# Set by adapter.py from the harness's `hello`.
SUITE_NOW: int | None = None


def now() -> int:
    if SUITE_NOW is None:
        raise RuntimeError("the suite clock is not set (no hello yet)")
    return SUITE_NOW

"""The suite clock of the joserfc adapter: the harness's `hello.now`, handed to joserfc's
own `JWTClaimsRegistry(now=...)` (joserfc reads `time.time()` only when `now` is None)."""

from __future__ import annotations

# Set by adapter.py from the harness's `hello`.
SUITE_NOW: int | None = None


def now() -> int:
    if SUITE_NOW is None:
        raise RuntimeError("the suite clock is not set (no hello yet)")
    return SUITE_NOW

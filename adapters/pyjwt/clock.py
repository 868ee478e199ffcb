"""The suite clock of the PyJWT adapter, pinned where PyJWT reads the time.

PyJWT reads the time in exactly one place, `datetime.now(tz=timezone.utc)` inside
`jwt.api_jwt.PyJWT._validate_claims`. The module-level name `jwt.api_jwt.datetime` is
replaced, once, when this module is first imported (adapter.py imports it at start-up,
before any token is decoded), by a subclass of `datetime` whose `now()` returns the suite
clock of the harness's `hello`; nothing else changes and the adapter is single-threaded, so
there is no race and the wall clock is never consulted.
"""

from __future__ import annotations

from datetime import datetime as _RealDatetime
from datetime import timezone

import jwt.api_jwt

# Set by adapter.py from the harness's `hello`; read as `clock.SUITE_NOW`, never copied.
SUITE_NOW: int | None = None


class _DatetimeMeta(type):
    # `isinstance(x, jwt.api_jwt.datetime)` (PyJWT's encode converts datetime claims) keeps
    # meaning "is a datetime".
    def __instancecheck__(cls, obj):
        return isinstance(obj, _RealDatetime)


class _SuiteDatetime(_RealDatetime, metaclass=_DatetimeMeta):
    """`datetime` whose `now()` is the harness's `hello.now`, never the wall clock."""

    @classmethod
    def now(cls, tz=None):
        if SUITE_NOW is None:
            raise RuntimeError("the suite clock is not set (no hello yet)")
        return _RealDatetime.fromtimestamp(SUITE_NOW, tz=tz or timezone.utc)


# The one call PyJWT 2.x makes: api_jwt.py `now = datetime.now(tz=timezone.utc).timestamp()`.
jwt.api_jwt.datetime = _SuiteDatetime

"""The suite clock of the python-jose adapter, pinned where python-jose reads the time.

python-jose has no clock option. It reads the time in `jose/jwt.py` only, as
`datetime.now(UTC)` (`_validate_nbf`, `_validate_exp`; `datetime.utcnow()` in releases
before 3.4), through the module-level name `datetime` of `jose.jwt`. That one name is
replaced, once, when this module is first imported (adapter.py imports it at start-up,
before any token is decoded), by a subclass of `datetime` whose `now()` and `utcnow()`
return the suite clock of the harness's `hello`; the adapter is single-threaded, so there is
no race and the wall clock is never consulted.
"""

from __future__ import annotations

from datetime import datetime as _RealDatetime
from datetime import timezone

import jose.jwt

# Set by adapter.py from the harness's `hello`; read as `clock.SUITE_NOW`, never copied.
SUITE_NOW: int | None = None


class _DatetimeMeta(type):
    # `isinstance(x, jose.jwt.datetime)` (encode converts datetime claims) keeps meaning
    # "is a datetime".
    def __instancecheck__(cls, obj):
        return isinstance(obj, _RealDatetime)


class _SuiteDatetime(_RealDatetime, metaclass=_DatetimeMeta):
    """`datetime` whose `now()`/`utcnow()` are the harness's `hello.now`, never the wall clock."""

    @classmethod
    def now(cls, tz=None):
        if SUITE_NOW is None:
            raise RuntimeError("the suite clock is not set (no hello yet)")
        return _RealDatetime.fromtimestamp(SUITE_NOW, tz=tz or timezone.utc)

    @classmethod
    def utcnow(cls):
        if SUITE_NOW is None:
            raise RuntimeError("the suite clock is not set (no hello yet)")
        return _RealDatetime.fromtimestamp(SUITE_NOW, tz=timezone.utc).replace(tzinfo=None)


jose.jwt.datetime = _SuiteDatetime

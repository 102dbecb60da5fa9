"""Django's in-process cache, bounded by the bytes it holds rather than by its entries.

Django's ``LocMemCache`` keeps at most ``MAX_ENTRIES`` values, however large: a thousand
public answers of half a megabyte each would be half a gigabyte in every server process, and
a page grows with the years it shows. ``BoundedMemoryCache`` keeps at most ``MAX_BYTES`` of
pickled values (``OPTIONS``), dropping the least recently used first, and never keeps a
value larger than a quarter of that. It is otherwise Django's: the same keys, expiry, lock
and least-recently-used order.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_held: dict[str, dict[str, int]] = {}  # per cache name, the bytes each key holds


class BoundedMemoryCache(LocMemCache):
    """``LocMemCache`` with at most ``OPTIONS["MAX_BYTES"]`` bytes of pickled values."""

    # LocMemCache's own, which django-stubs does not declare
    _cache: OrderedDict[str, bytes]
    _expire_info: dict[str, float | None]
    _lock: Lock

    def __init__(self, name: str, params: dict) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.max_bytes = int(options.pop("MAX_BYTES", DEFAULT_MAX_BYTES))
        # entries are bounded by their bytes; Django's count then only guards against a flood
        # of tiny ones
        options.setdefault("MAX_ENTRIES", 1_000_000)
        super().__init__(name, {**params, "OPTIONS": options})
        self._sizes = _held.setdefault(name, {})

    @property
    def held_bytes(self) -> int:
        """The bytes of pickled values held now."""
        return sum(self._sizes.values())

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):  # called under the lock
        size = len(value)
        if size > self.max_bytes // 4:  # one value would crowd out the rest
            self._delete(key)
            return
        self._delete(key)
        super()._set(key, value, timeout)  # type: ignore[misc]
        self._sizes[key] = size
        total = sum(self._sizes.values())
        while total > self.max_bytes and self._cache:
            oldest, _ = self._cache.popitem()  # the least recently used is last
            self._expire_info.pop(oldest, None)
            total -= self._sizes.pop(oldest, 0)

    def _cull(self):  # Django's cull by count: keep the byte account right
        super()._cull()  # type: ignore[misc]
        for key in [k for k in self._sizes if k not in self._cache]:
            del self._sizes[key]

    def _delete(self, key):
        self._sizes.pop(key, None)
        return super()._delete(key)  # type: ignore[misc]

    def clear(self):
        with self._lock:
            self._sizes.clear()
        super().clear()

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


class _Account:
    """The bytes each key of one cache holds, and their sum (kept, not summed on each set)."""

    def __init__(self) -> None:
        self.sizes: dict[str, int] = {}
        self.total = 0

    def add(self, key: str, size: int) -> None:
        self.sizes[key] = size
        self.total += size

    def drop(self, key: str) -> None:
        self.total -= self.sizes.pop(key, 0)

    def clear(self) -> None:
        self.sizes.clear()
        self.total = 0


_accounts: dict[str, _Account] = {}  # per cache name, shared like LocMemCache's own dicts


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
        self._account = _accounts.setdefault(name, _Account())

    @property
    def held_bytes(self) -> int:
        """The bytes of pickled values held now."""
        return self._account.total

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):  # called under the lock
        self._delete(key)
        if len(value) > self.max_bytes // 4:  # one value would crowd out the rest
            return
        super()._set(key, value, timeout)  # type: ignore[misc]
        self._account.add(key, len(value))
        while self._account.total > self.max_bytes and self._cache:
            oldest, _ = self._cache.popitem()  # the least recently used is last
            self._expire_info.pop(oldest, None)
            self._account.drop(oldest)

    def _cull(self):  # Django's cull by count: keep the byte account right
        super()._cull()  # type: ignore[misc]
        for key in [k for k in self._account.sizes if k not in self._cache]:
            self._account.drop(key)

    def _delete(self, key):
        self._account.drop(key)
        return super()._delete(key)  # type: ignore[misc]

    def clear(self):
        with self._lock:
            self._account.clear()
        super().clear()

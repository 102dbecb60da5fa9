"""How much memory a kept object holds, estimated quickly enough to ask at every store.

The in-process caches of analyses and charts (publish/open_data.py, publish/kept.py) are
bounded by bytes, not by the number of entries: an analysis of the nation's 21 regions and
one of its 290 municipalities differ fifteenfold, a chart of one region and a region page's
whole content a hundredfold. :func:`approximate_size` walks the object as ``sys.getsizeof``
sees its parts: strings, numbers, containers, dataclasses, named tuples and objects with a
``__dict__`` or ``__slots__``. A container's items are measured from an evenly spread
sample of at most :data:`SAMPLE` and scaled to its length, so a profile of 290 rows costs
as much to measure as one of 21 (some tens of microseconds). Objects of the ``shared``
types (the catalogue's indicators, which every analysis of an indicator points to) are not
counted: they are held once, whatever is kept.

It is an estimate: a string shared by many rows is counted in each (so the estimate errs on
the large side), and what a C extension holds outside Python's objects is not seen.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from typing import Any

from cachetools import LRUCache

SAMPLE = 8  # items measured per container
DEPTH = 8  # nesting below which a part counts only its own size

_DICT_ENTRY = sys.getsizeof(dict.fromkeys(range(1024))) / 1024  # a dict's bytes per entry
_ATOMS = (str, bytes, bytearray, int, float, complex, bool, type(None))


def approximate_size(obj: Any, shared: tuple[type, ...] = ()) -> int:
    """Bytes held by ``obj`` and what it refers to, estimated (see the module)."""
    return _size(obj, shared, 0)


def bounded_by_bytes(max_bytes: int, shared: tuple[type, ...] = ()) -> LRUCache:
    """A store that keeps the most recently used values up to ``max_bytes`` in all, each
    measured by :func:`approximate_size`; setting a value larger than the whole store raises
    ``ValueError`` (cachetools' rule) and keeps nothing."""
    return LRUCache(max_bytes, getsizeof=lambda value: max(1, approximate_size(value, shared)))


def _size(obj: Any, shared: tuple[type, ...], depth: int) -> int:
    if shared and isinstance(obj, shared):
        return 0
    size = sys.getsizeof(obj)
    if isinstance(obj, _ATOMS) or depth >= DEPTH:
        return size
    if isinstance(obj, Mapping):  # a dict, or a read-only view of one (MappingProxyType)
        if not isinstance(obj, dict):  # the dict behind it, which getsizeof does not see
            size += int(_DICT_ENTRY * len(obj))
        return size + _sampled(list(obj.items()), shared, depth, pair=True)
    if isinstance(obj, (list, tuple, set, frozenset)):
        return size + _sampled(obj if isinstance(obj, (list, tuple)) else list(obj), shared, depth)
    parts: list[Any] = []
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        parts = [getattr(obj, f.name, None) for f in dataclasses.fields(obj)]
        if hasattr(obj, "__dict__"):
            size += sys.getsizeof(obj.__dict__)
    elif hasattr(obj, "__dict__"):
        return size + _size(vars(obj), shared, depth + 1)
    elif hasattr(type(obj), "__slots__"):
        parts = [getattr(obj, name, None) for name in _slots(type(obj))]
    return size + sum(_size(part, shared, depth + 1) for part in parts)


def _sampled(items: Any, shared: tuple[type, ...], depth: int, pair: bool = False) -> int:
    """The items' sizes, from an evenly spread sample scaled to their number."""
    n = len(items)
    if n == 0:
        return 0
    step = max(1, n // SAMPLE)
    sample = items[::step][:SAMPLE]
    if pair:
        measured = sum(_size(k, shared, depth + 1) + _size(v, shared, depth + 1) for k, v in sample)
    else:
        measured = sum(_size(item, shared, depth + 1) for item in sample)
    return measured * n // len(sample)


def _slots(cls: type) -> list[str]:
    names: list[str] = []
    for klass in cls.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    return [n for n in names if n not in ("__dict__", "__weakref__")]

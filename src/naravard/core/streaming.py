"""Large JSON answers sent as they are made: the server's memory does not grow with them.

An open-data answer can hold a hundred thousand values (PxWeb's whole table, Kolada's data
for every year). :func:`json_object` writes a JSON object field by field, a list field
(:class:`Items`) a batch of items at a time as its iterable yields them, and a field whose
value is known only once the list is sent (:class:`After`: PxWeb's cell status, Kolada's
count) after it. :class:`StreamedAnswer` sends it; as it is the same for every reader, the
public cache (site/caching.py) may keep a copy of it while it is sent, if it is small
enough. A file download stays a plain ``StreamingHttpResponse``, which the cache never keeps.

The JSON is what ``JsonResponse(..., json_dumps_params={"ensure_ascii": False})`` would have
written: the same encoder, the same separators, so a client cannot tell the two apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse

BATCH = 4096  # items encoded at a time: a few tens of kB a write
OMITTED = object()  # what an :class:`After` gives for a field left out of the object
_encoder = DjangoJSONEncoder(ensure_ascii=False)


@dataclass(frozen=True)
class Items:
    """A list field sent a batch at a time as ``items`` yields them."""

    items: Iterable[Any]


@dataclass(frozen=True)
class After:
    """A field whose value ``make()`` gives once the fields before it are sent; the field
    is left out if that is :data:`OMITTED`."""

    make: Callable[[], Any]


def json_object(fields: Iterable[tuple[str, Any]]) -> Iterator[bytes]:
    """The JSON object of ``fields`` (name, value) in their order, as UTF-8 chunks."""
    yield b"{"
    written = 0
    for name, value in fields:
        if isinstance(value, After):
            value = value.make()
            if value is OMITTED:
                continue
        head = (", " if written else "") + _encoder.encode(name) + ": "
        written += 1
        if isinstance(value, Items):
            yield (head + "[").encode()
            yield from _array_items(value.items)
            yield b"]"
        else:
            yield (head + _encoder.encode(value)).encode()
    yield b"}"


def _array_items(items: Iterable[Any]) -> Iterator[bytes]:
    batch: list[Any] = []
    first = True
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield _batch(batch, first)
            batch, first = [], False
    if batch:
        yield _batch(batch, first)


def _batch(batch: list[Any], first: bool) -> bytes:
    text = _encoder.encode(batch)[1:-1]  # the items with their separators, no brackets
    return (text if first else ", " + text).encode()


class StreamedAnswer(StreamingHttpResponse):
    """A JSON answer sent as it is made, the same for every reader (a cache may keep it)."""

    def __init__(self, fields: Iterable[tuple[str, Any]], **kwargs):
        kwargs.setdefault("content_type", "application/json")
        super().__init__(json_object(fields), **kwargs)

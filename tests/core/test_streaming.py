"""Large JSON answers written as they are made (core/streaming.py)."""

import json
import tracemalloc

from django.http import JsonResponse

from naravard.core import streaming
from naravard.core.streaming import OMITTED, After, Items, StreamedAnswer, json_object


def written(fields) -> bytes:
    return b"".join(json_object(fields))


def test_the_object_is_what_json_response_writes():
    values = [1.5, None, 2, "två", {"ö": [1]}]
    whole = JsonResponse(
        {"title": "Läkare", "value": values, "count": 5}, json_dumps_params={"ensure_ascii": False}
    ).content
    streamed = written([("title", "Läkare"), ("value", Items(iter(values))), ("count", 5)])
    assert streamed == whole


def test_a_list_longer_than_a_batch_is_whole_and_in_order(monkeypatch):
    monkeypatch.setattr(streaming, "BATCH", 7)
    for n in (0, 1, 7, 8, 50):
        assert json.loads(written([("v", Items(range(n)))])) == {"v": list(range(n))}


def test_a_field_after_the_list_sees_what_the_list_made():
    seen = []

    def items():
        for i in range(3):
            seen.append(i)
            yield i

    fields = [
        ("v", Items(items())),
        ("n", After(lambda: len(seen))),
        ("gone", After(lambda: OMITTED)),
    ]
    assert json.loads(written(fields)) == {"v": [0, 1, 2], "n": 3}
    assert json.loads(written([("gone", After(lambda: OMITTED)), ("a", 1)])) == {"a": 1}


def _peak_while_sent(n: int) -> tuple[int, int]:
    """The answer's size and the most memory held while sending ``n`` values."""

    def values():
        for i in range(n):
            yield i * 1.000001

    tracemalloc.start()
    try:
        size = 0
        for chunk in StreamedAnswer([("value", Items(values()))]).streaming_content:
            size += len(chunk)
        return size, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_answer():
    """Fifty thousand values and four hundred thousand are written with the same few batches'
    worth of memory, far less than the larger answer (some 7 MB of JSON)."""
    small_size, small_peak = _peak_while_sent(50_000)
    large_size, large_peak = _peak_while_sent(400_000)
    assert large_size > 7 * small_size
    assert large_peak < 1.5 * small_peak
    assert large_peak < large_size / 5

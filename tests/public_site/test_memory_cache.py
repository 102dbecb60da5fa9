"""The public cache is bounded by the bytes it holds, not by how many answers: the least
recently used go first, and an answer too large for it is never kept."""

import pickle

from naravard.site.memory_cache import BoundedMemoryCache


def _cache(name: str, max_bytes: int) -> BoundedMemoryCache:
    return BoundedMemoryCache(name, {"OPTIONS": {"MAX_BYTES": max_bytes}, "TIMEOUT": 600})


def _size(value) -> int:
    return len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def test_the_least_recently_used_go_first_when_the_bytes_run_out():
    answer = b"x" * 1000
    cache = _cache("test-bytes", max_bytes=10 * _size(answer))
    for n in range(8):
        cache.set(f"page-{n}", answer)
    assert cache.get("page-0") == answer  # now the most recently used
    for n in range(8, 12):
        cache.set(f"page-{n}", answer)
    kept = {n for n in range(12) if cache.get(f"page-{n}") is not None}
    # ten fit: the two least recently used went (1 and 2); 0 was read, so it stayed
    assert kept == {0, *range(3, 12)}
    assert cache.held_bytes <= cache.max_bytes


def test_a_value_larger_than_a_quarter_of_the_cache_is_not_kept():
    cache = _cache("test-large", max_bytes=40_000)
    cache.set("small", b"s" * 100)
    cache.set("large", b"l" * 20_000)
    assert cache.get("large") is None
    assert cache.get("small") == b"s" * 100


def test_replacing_and_deleting_keep_the_account_right():
    cache = _cache("test-account", max_bytes=1_000_000)
    cache.set("page", b"a" * 5000)
    cache.set("page", b"b" * 100)
    assert cache.held_bytes == _size(b"b" * 100)
    cache.delete("page")
    assert cache.held_bytes == 0
    cache.set("page", b"c" * 100)
    cache.clear()
    assert cache.held_bytes == 0 and cache.get("page") is None


def test_the_settings_use_it_with_a_byte_bound():
    from django.conf import settings
    from django.core.cache import caches

    cache = caches["default"]
    assert isinstance(cache, BoundedMemoryCache)
    assert cache.max_bytes == settings.CACHES["default"]["OPTIONS"]["MAX_BYTES"]

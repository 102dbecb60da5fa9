"""Estimated sizes of kept objects (core/sizes.py), against what Python allocated for them."""

import tracemalloc
from dataclasses import dataclass
from typing import NamedTuple

from naravard.core.sizes import SAMPLE, approximate_size


@dataclass(slots=True)
class Row:
    org: str
    value: float | None
    low: float | None
    note: str


@dataclass
class Table:
    name: str
    owner: object
    rows: list[Row]
    variation: dict[str, float]


class Pair(NamedTuple):
    code: str
    share: float


class Shared:
    """Stands for the catalogue's indicator: big, and held once."""

    def __init__(self):
        self.text = "x" * 100_000


def allocated(make) -> tuple[object, int]:
    """What ``make()`` returns and the bytes allocated for it."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        made = make()
        return made, tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def make_table(n: int, owner: object) -> Table:
    rows = [Row(f"{i:04d}", i * 1.5 + 0.25, i * 1.25 + 0.5, f"anmärkning {i}") for i in range(n)]
    return Table("tabell", owner, rows, {"min": 0.25 + n, "max": 1.5 * n, "mean": n / 3})


def test_a_table_of_rows_is_estimated_within_a_third_of_what_it_holds():
    owner = Shared()
    for n in (10, 300, 5000):
        table, held = allocated(lambda n=n: make_table(n, owner))
        estimate = approximate_size(table, shared=(Shared,))
        assert 0.67 * held < estimate < 1.5 * held, (n, held, estimate)


def test_what_two_parts_share_is_counted_in_each_erring_large():
    table, held = allocated(lambda: make_table(300, None))
    by_org = {r.org: r for r in table.rows}  # the same rows again
    assert approximate_size([table, by_org]) > approximate_size(table) + 0.8 * held


def test_named_tuples_dicts_and_plain_objects_are_measured():
    pairs, held = allocated(lambda: [Pair(f"{i:04d}", i / 7) for i in range(2000)])
    assert 0.67 * held < approximate_size(pairs) < 1.5 * held
    text = "å" * 10_000
    assert approximate_size({"k": [text]}) > 10_000  # counted through dict and list
    assert approximate_size(Shared()) > 100_000  # an object's __dict__


def test_what_is_shared_is_not_counted():
    owner = Shared()
    alone = approximate_size(make_table(10, None))
    assert approximate_size(make_table(10, owner), shared=(Shared,)) < alone + 100
    assert approximate_size(make_table(10, owner)) > alone + 100_000


def test_measuring_a_large_container_reads_a_sample_of_it():
    """A list of a hundred thousand rows is measured from a few of them: every row outside
    the evenly spread sample refuses to be measured, and none is asked."""

    class Unmeasured:
        def __sizeof__(self):
            raise AssertionError("a row outside the sample was measured")

    n = 100_000
    step = n // SAMPLE
    rows = [Row("0001", 1.0, 0.5, "a") if i % step == 0 else Unmeasured() for i in range(n)]
    estimate = approximate_size(rows)
    assert estimate > n * approximate_size(Row("0001", 1.0, 0.5, "a")) * 0.9


def test_a_read_only_mapping_counts_the_dict_behind_it():
    from types import MappingProxyType

    table = {f"{i:04d}": i / 3 for i in range(1000)}
    assert approximate_size(MappingProxyType(table)) > 0.8 * approximate_size(table)

"""bench/engine_bench.py compares the engine with hand-written DuckDB SQL and Polars queries:
they must count what the engine counts, year by year, or the comparison says nothing."""

import pytest
from bench.engine_bench import IND, polars_queries, sql_queries

from naravard.engine.backends import Session
from naravard.engine.indicators import get_definition

YEARS = [2020, 2021]


def _engine(root, indicator) -> dict[tuple, tuple[float, float]]:
    rows = Session(root, "duckdb").run(get_definition(indicator), YEARS)
    keys = [k for k in ("year", "org", "month", "sex", "age_band") if k in rows[0]]
    return {
        tuple(int(r[k]) if k in ("year", "month") else str(r[k]) for k in keys): (
            float(r["numerator"]),
            float(r["denominator"]),
        )
        for r in rows
    }


def _hand_written(rows: list[tuple]) -> dict[tuple, tuple[float, float]]:
    """Rows of the key columns (year, org, [month,] sex, band) then numerator, denominator."""
    return {
        tuple(
            int(v) if i == 0 or (len(row) == 7 and i == 2) else str(v)
            for i, v in enumerate(row[:-2])
        ): (float(row[-2]), float(row[-1]))
        for row in rows
    }


def _same(expected, found, what):
    assert found.keys() == expected.keys(), what
    for key, (num, den) in expected.items():
        assert found[key][1] == den, (what, key)
        assert found[key][0] == pytest.approx(num, rel=1e-9), (what, key)


@pytest.mark.parametrize("indicator", IND)
def test_the_hand_written_queries_count_what_the_engine_counts(register, indicator):
    import duckdb

    root, _ = register
    expected = _engine(root, indicator)
    assert {key[0] for key in expected} == set(YEARS)
    sql = duckdb.connect().sql(sql_queries(root, YEARS)[indicator]).fetchall()
    _same(expected, _hand_written(sql), f"{indicator} in SQL")
    polars = polars_queries(root, YEARS)[indicator]().collect().rows()
    _same(expected, _hand_written(polars), f"{indicator} in Polars")

"""Benchmark the register engine against hand-written DuckDB SQL, Polars and pandas, across scales.

    python bench/engine_bench.py                 # scales 0.01 and 0.1 (a few minutes)
    python bench/engine_bench.py --full          # also scale 1.0, one national year
    python bench/engine_bench.py --scales 0.01   # just one scale
    python bench/engine_bench.py --full --years 2019-2023   # five years at once

Each variant runs in its own process so that its peak memory (max RSS) is its own.
Engine, SQL and Polars run the indicator set once to warm the file cache, then
three times (``--passes``), and report each indicator's median. All variants compute the
same cells (year × municipality × sex × age band, or region of care for contacts; a test,
tests/engine/test_bench_baselines.py, checks that the hand-written queries count what the
engine counts).

One year (the default): per scale, the generation time, per-indicator seconds of the engine
(Ibis), of hand-written DuckDB SQL and of hand-written Polars lazy queries, the engine's
ratio to the faster of the two, the pandas total (at 0.1), and how time grows per row. The
engine column is what ``naravard compute`` does (each indicator on the backend its
definition names); the two columns beside it run every indicator on DuckDB and on Polars,
to show the choice.

``--years``: per scale, a register of those years and every variant over all of them: the
engine as ``naravard compute`` runs it, beside every indicator in one query for all years
and in one query per year (to show each definition's choice), the hand-written queries for
all years at once, the engine for the last year alone, and how long generating the years
took against computing them. Issue 22's goals: the years in at most 4.5 times one year,
each indicator within 1.25 times the faster hand-written query, generation no slower than
computing. Nothing here asserts them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

YEAR = 2021
PASSES = 3  # measured passes per variant (--passes); the median is reported
IND = [
    "named_doctor_share",
    "care_guarantee_3d",
    "digital_contact_share",
    "readmission_30d",
    "avoidable_hospitalisations_per_100k",
    "continuity_upc",
    "continuity_coc",
    "discharge_to_contact_days_65plus",
]


# ------------------------------------------------------------------ variants ---


def run_engine(
    root: Path, years: list[int], backend: str = "auto", at_once: bool | None = None
) -> dict[str, float]:
    """The engine as ``naravard compute`` runs it: each indicator on its chosen backend
    (``auto``), or every indicator on one backend (to show why it chose); the years in one
    query or one query per year as each definition says, or (``at_once``) all alike."""
    from dataclasses import replace

    from naravard.engine.backends import Session
    from naravard.engine.indicators import DEFINITIONS

    session = Session(root, backend)
    definitions = [d if at_once is None else replace(d, years_at_once=at_once) for d in DEFINITIONS]
    return timed_passes({d.indicator_id: (lambda d=d: session.run(d, years)) for d in definitions})


def timed_passes(queries: dict) -> dict[str, float]:
    """Each query's median time over PASSES passes, after one pass that warms the file cache."""
    runs: dict[str, list[float]] = {name: [] for name in queries}
    for repeat in range(1 + PASSES):
        for name, query in queries.items():
            start = time.perf_counter()
            query()
            if repeat:
                runs[name].append(time.perf_counter() - start)
    return {name: statistics.median(seconds) for name, seconds in runs.items()}


def sql_queries(root: Path, years: list[int]) -> dict[str, str]:
    """The indicators written by hand in DuckDB SQL, for ``years`` in one query each."""

    def t(name):
        return f"read_parquet('{root}/{name}/year=*/*.parquet', hive_partitioning=false)"

    inside = f"({', '.join(map(str, years))})"
    end = "make_date(year, 12, 31)"
    avoid = "('J44','I50','E11','J45','I10','N39','E86','J18')"
    home = f"""home AS (SELECT person_id, year, municipality org, sex, year - birth_year age,
                   CASE WHEN year - birth_year < 20 THEN '0-19' WHEN year - birth_year < 65
                   THEN '20-64' WHEN year - birth_year < 80 THEN '65-79' ELSE '80+' END band
                   FROM {t("persons")} WHERE year IN {inside})"""
    visits = f"""v AS (SELECT person_id, year, unit_id, count(*) n FROM {t("contacts")}
                       WHERE year IN {inside} AND profession = 'doctor' GROUP BY ALL),
                 p AS (SELECT person_id, year, sum(n) total, max(n) top, sum(n * n) sq FROM v
                       GROUP BY ALL HAVING sum(n) >= 2)"""
    discharges = f"""SELECT e.person_id, e.admitted, e.discharged, h.year, h.org, h.sex, h.band,
                            h.age FROM {t("episodes")} e JOIN home h ON h.person_id = e.person_id
                            AND h.year = year(e.discharged) WHERE year(e.discharged) IN {inside}"""
    return {
        "named_doctor_share": f"""
            WITH {home}, listed AS (SELECT DISTINCT person_id, year FROM {t("listings")}
                 WHERE year IN {inside} AND named_doctor AND valid_from <= {end}
                 AND (valid_to IS NULL OR valid_to >= {end}))
            SELECT year, org, sex, band, count(l.person_id) num, count(*) den
            FROM home LEFT JOIN listed l USING (person_id, year) GROUP BY ALL""",
        "care_guarantee_3d": f"""
            WITH {home} SELECT year, region org, month(date) m, sex, band,
            sum(((assessed_on - date) <= 3)::int) num, count(*) den FROM {t("contacts")}
            JOIN home USING (person_id, year)
            WHERE year IN {inside} AND new_problem AND needs_assessment GROUP BY ALL""",
        "digital_contact_share": f"""
            WITH {home} SELECT year, region org, sex, band,
            sum((mode IN ('video','chat'))::int) num, count(*) den FROM {t("contacts")}
            JOIN home USING (person_id, year)
            WHERE year IN {inside} AND profession IN ('doctor','nurse') GROUP BY ALL""",
        "readmission_30d": f"""
            WITH {home}, idx AS ({discharges}),
                 re AS (SELECT person_id, admitted, discharged FROM {t("episodes")} WHERE NOT planned),
                 hits AS (SELECT DISTINCT i.person_id, i.admitted, i.discharged FROM idx i JOIN re e
                          ON e.person_id = i.person_id AND e.admitted >= i.discharged
                          AND e.admitted - i.discharged <= 30
                          AND NOT (e.admitted = i.admitted AND e.discharged = i.discharged))
            SELECT year, org, sex, band, count(h.person_id) num, count(*) den
            FROM idx LEFT JOIN hits h USING (person_id, admitted, discharged) GROUP BY ALL""",
        "avoidable_hospitalisations_per_100k": f"""
            WITH {home}, hits AS (SELECT person_id, year, count(*) n FROM {t("episodes")}
                          WHERE year IN {inside} AND NOT planned
                          AND substr(icd10, 1, 3) IN {avoid} GROUP BY ALL)
            SELECT year, org, sex, band, coalesce(sum(h.n), 0) num, count(*) den
            FROM home LEFT JOIN hits h USING (person_id, year) GROUP BY ALL""",
        "continuity_upc": f"""
            WITH {home}, {visits}
            SELECT year, org, sex, band, sum(top / total), count(*)
            FROM p JOIN home USING (person_id, year) GROUP BY ALL""",
        "continuity_coc": f"""
            WITH {home}, {visits}
            SELECT year, org, sex, band, sum((sq - total) / (total * (total - 1))), count(*)
            FROM p JOIN home USING (person_id, year) GROUP BY ALL""",
        "discharge_to_contact_days_65plus": f"""
            WITH {home}, e AS (SELECT * FROM ({discharges}) WHERE age >= 65),
                 after AS (SELECT * FROM (SELECT person_id, "date" AS d FROM {t("contacts")}
                           UNION ALL SELECT person_id, "start" FROM {t("interventions")})
                           WHERE d BETWEEN DATE '{min(years)}-01-01'
                           AND DATE '{max(years)}-12-31' + 90),
                 first AS (SELECT e.person_id, e.discharged, e.year, e.org, e.sex, e.band,
                           min(a.d - e.discharged) AS n_days
                           FROM e JOIN after a ON a.person_id = e.person_id AND a.d >= e.discharged
                           AND a.d - e.discharged <= 90 GROUP BY ALL)
            SELECT year, org, sex, band, sum(n_days), count(*) FROM first GROUP BY ALL""",
    }


def run_sql(root: Path, years: list[int], by_year: bool = False) -> dict[str, float]:
    """The hand-written SQL, each indicator in one query for all ``years`` or (``by_year``)
    one query per year."""
    import duckdb

    con = duckdb.connect()
    parts = [[year] for year in years] if by_year else [years]
    queries = [sql_queries(root, part) for part in parts]
    return timed_passes(
        {
            name: (lambda name=name: [con.sql(q[name]).to_arrow_table() for q in queries])
            for name in IND
        }
    )


def polars_queries(root: Path, years: list[int]) -> dict[str, object]:
    """The same indicators written by hand as Polars lazy queries, for ``years`` at once."""
    import datetime as dt

    import polars as pl

    def scan(name):
        return pl.scan_parquet(str(root / name / "year=*" / "*.parquet"), hive_partitioning=False)

    persons, listings, contacts = scan("persons"), scan("listings"), scan("contacts")
    episodes, interventions = scan("episodes"), scan("interventions")
    year = pl.col("year")
    age = (year - pl.col("birth_year")).cast(pl.Int32)
    home = persons.filter(year.is_in(years)).select(
        "person_id",
        "year",
        "sex",
        org=pl.col("municipality"),
        age=age,
        band=pl.when(age < 20)
        .then(pl.lit("0-19"))
        .when(age < 65)
        .then(pl.lit("20-64"))
        .when(age < 80)
        .then(pl.lit("65-79"))
        .otherwise(pl.lit("80+")),
    )
    c = contacts.filter(year.is_in(years))
    days = lambda a, b: (pl.col(a) - pl.col(b)).dt.total_days()  # noqa: E731
    by = ("year", "org", "sex", "band")
    keys = ["person_id", "year"]
    discharges = (
        episodes.filter(pl.col("discharged").dt.year().is_in(years))
        .select("person_id", "admitted", "discharged", year=pl.col("discharged").dt.year())
        .with_columns(year.cast(pl.Int16))
        .join(home, on=keys)
    )

    def listed():
        end = pl.date(year, 12, 31)
        named = listings.filter(
            year.is_in(years)
            & pl.col("named_doctor")
            & (pl.col("valid_from") <= end)
            & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= end))
        )
        return (
            home.join(
                named.select(keys).unique().with_columns(listed=pl.lit(1)), on=keys, how="left"
            )
            .group_by(*by)
            .agg(num=pl.col("listed").fill_null(0).sum(), den=pl.len())
        )

    def care():
        return (
            c.filter(pl.col("new_problem") & pl.col("needs_assessment"))
            .join(home.select(*keys, "sex", "band"), on=keys)
            .group_by("year", "region", pl.col("date").dt.month(), "sex", "band")
            .agg(num=(days("assessed_on", "date") <= 3).sum(), den=pl.len())
        )

    def digital():
        return (
            c.filter(pl.col("profession").is_in(["doctor", "nurse"]))
            .join(home.select(*keys, "sex", "band"), on=keys)
            .group_by("year", "region", "sex", "band")
            .agg(num=pl.col("mode").is_in(["video", "chat"]).sum(), den=pl.len())
        )

    def readmission():
        re = episodes.filter(~pl.col("planned")).select(
            "person_id", re=pl.col("admitted"), re_out=pl.col("discharged")
        )
        hits = (
            discharges.join(re, on="person_id")
            .filter(
                (pl.col("re") >= pl.col("discharged"))
                & (days("re", "discharged") <= 30)
                & ~(
                    (pl.col("re") == pl.col("admitted"))
                    & (pl.col("re_out") == pl.col("discharged"))
                )
            )
            .select("person_id", "admitted", "discharged")
            .unique()
            .with_columns(hit=pl.lit(1))
        )
        return (
            discharges.join(hits, on=["person_id", "admitted", "discharged"], how="left")
            .group_by(*by)
            .agg(num=pl.col("hit").fill_null(0).sum(), den=pl.len())
        )

    def avoidable():
        hits = episodes.filter(
            year.is_in(years)
            & ~pl.col("planned")
            & pl.col("icd10")
            .str.slice(0, 3)
            .is_in(["J44", "I50", "E11", "J45", "I10", "N39", "E86", "J18"])
        )
        return (
            home.join(hits.group_by(keys).agg(n=pl.len()), on=keys, how="left")
            .group_by(*by)
            .agg(num=pl.col("n").fill_null(0).sum(), den=pl.len())
        )

    def visits(**per_unit):
        return (
            c.filter(pl.col("profession") == "doctor")
            .group_by(*keys, "unit_id")
            .agg(n=pl.len())
            .group_by(keys)
            .agg(total=pl.col("n").sum(), **per_unit)
            .filter(pl.col("total") >= 2)
            .join(home, on=keys)
        )

    def upc():
        return (
            visits(top=pl.col("n").max())
            .group_by(*by)
            .agg((pl.col("top") / pl.col("total")).sum(), pl.len())
        )

    def coc():
        return (
            visits(sq=(pl.col("n") ** 2).sum())
            .group_by(*by)
            .agg(
                (
                    (pl.col("sq") - pl.col("total")) / (pl.col("total") * (pl.col("total") - 1))
                ).sum(),
                pl.len(),
            )
        )

    def pathway():
        after = pl.concat(
            [
                contacts.select("person_id", day=pl.col("date")),
                interventions.select("person_id", day=pl.col("start")),
            ]
        ).filter(
            pl.col("day").is_between(
                dt.date(min(years), 1, 1), dt.date(max(years), 12, 31) + dt.timedelta(days=90)
            )
        )
        return (
            discharges.filter(pl.col("age") >= 65)
            .select("person_id", "discharged", *by)
            .join(after, on="person_id")
            .filter((pl.col("day") >= pl.col("discharged")) & (days("day", "discharged") <= 90))
            .group_by("person_id", "discharged", *by)
            .agg(d=days("day", "discharged").min())
            .group_by(*by)
            .agg(pl.col("d").sum(), pl.len())
        )

    return dict(
        zip(IND, [listed, care, digital, readmission, avoidable, upc, coc, pathway], strict=True)
    )


def run_polars(root: Path, years: list[int], by_year: bool = False) -> dict[str, float]:
    """The hand-written Polars queries, as :func:`run_sql`."""
    parts = [[year] for year in years] if by_year else [years]
    queries = [polars_queries(root, part) for part in parts]
    return timed_passes(
        {name: (lambda name=name: [q[name]().collect() for q in queries]) for name in IND}
    )


def run_pandas(root: Path) -> dict[str, float]:
    """The indicators the way they are often written today: read everything, then pandas."""
    import pandas as pd

    def read(name):
        return pd.read_parquet(root / name, partitioning=None)

    times = {}
    start = time.perf_counter()
    persons, listings, contacts = read("persons"), read("listings"), read("contacts")
    episodes, interventions = read("episodes"), read("interventions")
    times["read"] = time.perf_counter() - start
    end = pd.Timestamp(f"{YEAR}-12-31")

    def timed(name, fn):
        s = time.perf_counter()
        fn()
        times[name] = time.perf_counter() - s

    p = persons[persons.year == YEAR].rename(columns={"municipality": "org"})
    p["age"] = YEAR - p.birth_year.astype(int)
    p["band"] = pd.cut(p.age, [-1, 19, 64, 79, 200], labels=["0-19", "20-64", "65-79", "80+"])
    by = ["org", "sex", "band"]
    c = contacts[contacts.year == YEAR]

    def named():
        valid_to = pd.to_datetime(listings.valid_to)
        lst = listings[
            (listings.year == YEAR)
            & listings.named_doctor
            & (pd.to_datetime(listings.valid_from) <= end)
            & (valid_to.isna() | (valid_to >= end))
        ]
        p.assign(listed=p.person_id.isin(set(lst.person_id))).groupby(by, observed=True).agg(
            num=("listed", "sum"), den=("listed", "size")
        )

    def care():
        x = c[c.new_problem & c.needs_assessment].merge(
            p[["person_id", "sex", "band"]], on="person_id"
        )
        ok = (pd.to_datetime(x.assessed_on) - pd.to_datetime(x.date)).dt.days <= 3
        x.assign(ok=ok, m=pd.to_datetime(x.date).dt.month).groupby(
            ["region", "m", "sex", "band"], observed=True
        ).agg(num=("ok", "sum"), den=("ok", "size"))

    def digital():
        x = c[c.profession.isin(["doctor", "nurse"])].merge(
            p[["person_id", "sex", "band"]], on="person_id"
        )
        x.assign(d=x["mode"].isin(["video", "chat"])).groupby(
            ["region", "sex", "band"], observed=True
        ).agg(num=("d", "sum"), den=("d", "size"))

    def readmission():
        idx = episodes[pd.to_datetime(episodes.discharged).dt.year == YEAR].merge(
            p[["person_id", *by]], on="person_id"
        )
        re = episodes[~episodes.planned][["person_id", "admitted", "discharged"]].rename(
            columns={"admitted": "re", "discharged": "re_out"}
        )
        m = idx.merge(re, on="person_id")
        gap = (pd.to_datetime(m.re) - pd.to_datetime(m.discharged)).dt.days
        same = (m.re == m.admitted) & (m.re_out == m.discharged)
        hits = m[(gap >= 0) & (gap <= 30) & ~same][
            ["person_id", "admitted", "discharged"]
        ].drop_duplicates()
        hits["hit"] = 1
        idx.merge(hits, on=["person_id", "admitted", "discharged"], how="left").groupby(
            by, observed=True
        ).agg(num=("hit", "sum"), den=("person_id", "size"))

    def avoidable():
        e = episodes[
            (episodes.year == YEAR)
            & ~episodes.planned
            & episodes.icd10.str[:3].isin(["J44", "I50", "E11", "J45", "I10", "N39", "E86", "J18"])
        ]
        n = e.groupby("person_id").size().rename("n")
        p.merge(n, left_on="person_id", right_index=True, how="left").fillna({"n": 0}).groupby(
            by, observed=True
        ).agg(num=("n", "sum"), den=("n", "size"))

    def visits():
        d = c[c.profession == "doctor"]
        v = d.groupby(["person_id", "unit_id"]).size().rename("n").reset_index()
        v["sq"] = v.n * v.n
        per = v.groupby("person_id").agg(total=("n", "sum"), top=("n", "max"), sq=("sq", "sum"))
        return per[per.total >= 2].join(p.set_index("person_id")[by], how="inner")

    def upc():
        per = visits()
        per.assign(x=per.top / per.total).groupby(by, observed=True).x.agg(["sum", "size"])

    def coc():
        per = visits()
        per.assign(x=(per.sq - per.total) / (per.total * (per.total - 1))).groupby(
            by, observed=True
        ).x.agg(["sum", "size"])

    def pathway():
        old = p[p.age >= 65][["person_id", *by]]
        e = episodes[pd.to_datetime(episodes.discharged).dt.year == YEAR][
            ["person_id", "discharged"]
        ].merge(old, on="person_id")
        after = pd.concat(
            [
                contacts[["person_id", "date"]].rename(columns={"date": "day"}),
                interventions[["person_id", "start"]].rename(columns={"start": "day"}),
            ]
        )
        day = pd.to_datetime(after.day)
        after = after[(day >= pd.Timestamp(f"{YEAR}-01-01")) & (day <= end + pd.Timedelta(days=90))]
        m = e.merge(after, on="person_id")
        days = (pd.to_datetime(m.day) - pd.to_datetime(m.discharged)).dt.days
        m = m[(days >= 0) & (days <= 90)].assign(days=days)
        m.groupby(["person_id", "discharged", *by], observed=True).days.min().groupby(
            level=by, observed=True
        ).agg(["sum", "size"])

    for name, fn in zip(
        IND, [named, care, digital, readmission, avoidable, upc, coc, pathway], strict=True
    ):
        timed(name, fn)
    return times


def child(variant: str, root: Path, years: list[int]) -> None:
    times = {
        "engine": lambda r: run_engine(r, years),
        "engine-duckdb": lambda r: run_engine(r, years, "duckdb"),
        "engine-polars": lambda r: run_engine(r, years, "polars"),
        "engine-at-once": lambda r: run_engine(r, years, at_once=True),
        "engine-by-year": lambda r: run_engine(r, years, at_once=False),
        "sql": lambda r: run_sql(r, years),
        "polars": lambda r: run_polars(r, years),
        "sql-by-year": lambda r: run_sql(r, years, by_year=True),
        "polars-by-year": lambda r: run_polars(r, years, by_year=True),
        "pandas": run_pandas,
    }[variant](root)
    total = sum(times.values())  # medians summed (pandas: one pass, reading included)
    print(json.dumps({"times": times, "total": total, "peak_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's own peak resident memory. (ru_maxrss would do, but Linux carries it over
    from the parent across exec, so a child would report the generator's peak.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -------------------------------------------------------------------- driver ---


def measure(variant: str, root: Path, years: list[int], passes: int = PASSES) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", variant, "--data", str(root)]
        + ["--years", f"{years[0]}-{years[-1]}", "--passes", str(passes)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "naravard.test_settings"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_register(base: Path, scale: float, years: tuple[int, ...]) -> tuple[Path, float, int]:
    """The register of ``scale`` and ``years`` under ``base`` (made unless it is there), the
    seconds its generation took and its rows, both per year."""
    from naravard.synth.generator import Spec, generate

    root = base / f"scale-{scale:g}-{years[0]}-{years[-1]}"
    marker = root / "rows.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        return root, info["seconds"], info["rows"]
    start = time.perf_counter()
    counts = generate(root, Spec(scale, years, seed=1))
    seconds = time.perf_counter() - start
    rows = sum(counts.values()) // len(years)
    marker.write_text(json.dumps({"seconds": seconds / len(years), "rows": rows, "counts": counts}))
    return root, seconds / len(years), rows


def year_range(text: str) -> tuple[int, ...]:
    """``2019-2023`` (or one year) as the years in it."""
    first, _, last = text.partition("-")
    years = tuple(range(int(first), int(last or first) + 1))
    if not years:
        raise argparse.ArgumentTypeError(f"{text}: the first year comes first, as in 2019-2023")
    return years


def one_year(args, scales: list[float], base: Path) -> None:
    """The indicator set for one year (YEAR) on every variant, at each scale."""
    per_row = []
    for scale in scales:
        root, gen_seconds, rows = ensure_register(base, scale, (YEAR - 1, YEAR))
        runs = {
            v: measure(v, root, [YEAR], args.passes)
            for v in ("engine", "engine-duckdb", "engine-polars", "sql", "polars")
        }
        engine, sql, polars = runs["engine"], runs["sql"], runs["polars"]
        print(
            f"\n== scale {scale:g}: {rows:,} rows per year; generation {gen_seconds:.1f} s per year =="
        )
        print(
            f"{'indicator':<38}{'engine':>8}{'(on duckdb':>11}{'on polars)':>11}{'sql':>8}"
            f"{'polars':>8}{'engine/best':>13}   (seconds)"
        )
        for name in IND:
            e, ed, ep = (
                runs[v]["times"][name] for v in ("engine", "engine-duckdb", "engine-polars")
            )
            s, p = sql["times"][name], polars["times"][name]
            print(
                f"{name:<38}{e:>8.3f}{ed:>11.3f}{ep:>11.3f}{s:>8.3f}{p:>8.3f}{e / min(s, p):>13.2f}"
            )
        best = sum(min(sql["times"][n], polars["times"][n]) for n in IND)
        print(
            f"{'all indicators':<38}"
            + "".join(
                f"{runs[v]['total']:>{w}.2f}"
                for v, w in (
                    ("engine", 8),
                    ("engine-duckdb", 11),
                    ("engine-polars", 11),
                    ("sql", 8),
                    ("polars", 8),
                )
            )
            + f"{engine['total'] / best:>13.2f}"
        )
        print("peak memory: " + ", ".join(f"{v} {r['peak_mb']:.0f} MB" for v, r in runs.items()))
        if scale == args.pandas_scale:
            pandas = measure("pandas", root, [YEAR], args.passes)
            print(
                f"pandas: {pandas['total']:.2f} s (of which reading {pandas['times']['read']:.2f} s), "
                f"peak {pandas['peak_mb']:.0f} MB; pandas/engine = {pandas['total'] / engine['total']:.1f}×"
            )
        per_row.append((scale, rows, engine["total"]))
    if len(per_row) > 1:
        print("\n== growth with rows (each scale against the one before) ==")
        for (s0, r0, t0), (s1, r1, t1) in itertools.pairwise(per_row):
            ratio = (t1 / r1) / (t0 / r0)
            print(
                f"scale {s1:g} vs {s0:g}: {r1 / r0:.1f}× rows, {t1 / t0:.1f}× time, "
                f"time per row ×{ratio:.2f}"
            )


def many_years(args, scales: list[float], base: Path) -> None:
    """All of ``args.years`` in one run per scale: the engine as ``naravard compute`` runs it,
    every indicator in one query for all years and in one query per year (to show each
    definition's choice), the hand-written baselines both ways over the same years (the faster
    is the one to beat), the engine for the last year alone, and the generation of the years."""
    years = list(args.years)
    variants = ("engine", "engine-at-once", "engine-by-year")
    hand = ("sql", "sql-by-year", "polars", "polars-by-year")
    for scale in scales:
        root, gen_per_year, rows = ensure_register(base, scale, args.years)
        runs = {v: measure(v, root, years, args.passes) for v in variants + hand}
        single = measure("engine", root, years[-1:], args.passes)
        engine = runs["engine"]
        generation = gen_per_year * len(years)
        print(
            f"\n== scale {scale:g}, {years[0]}–{years[-1]}: {rows:,} rows per year, "
            f"{rows * len(years):,} in all =="
        )
        print(
            f"{'indicator':<38}{'engine':>8}{'(at once':>10}{'by year)':>10}{'sql':>8}"
            f"{'by year':>9}{'polars':>8}{'by year':>9}{'engine/best':>13}{years[-1]:>8}"
            "   (seconds)"
        )

        def best(name: str, runs: dict = runs) -> float:
            return min(runs[v]["times"][name] for v in hand)

        for name in IND:
            cells = "".join(
                f"{runs[v]['times'][name]:>{w}.2f}"
                for v, w in zip(variants + hand, (8, 10, 10, 8, 9, 8, 9), strict=True)
            )
            print(
                f"{name:<38}{cells}{engine['times'][name] / best(name):>13.2f}"
                f"{single['times'][name]:>8.2f}"
            )
        totals = "".join(
            f"{runs[v]['total']:>{w}.2f}"
            for v, w in zip(variants + hand, (8, 10, 10, 8, 9, 8, 9), strict=True)
        )
        best_total = sum(best(name) for name in IND)
        print(
            f"{'all indicators':<38}{totals}{engine['total'] / best_total:>13.2f}"
            f"{single['total']:>8.2f}"
        )
        print(
            f"{len(years)} years against {years[-1]} alone: "
            f"{engine['total'] / single['total']:.2f}× (goal ≤ 4.5×)"
        )
        print(
            f"generating the {len(years)} years: {generation:.1f} s, "
            f"{generation / engine['total']:.2f}× computing them (goal ≤ 1)"
        )
        peaks = {**runs, years[-1]: single}
        print("peak memory: " + ", ".join(f"{v} {r['peak_mb']:.0f} MB" for v, r in peaks.items()))


def main() -> None:
    global PASSES
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="0.01,0.1")
    parser.add_argument("--full", action="store_true", help="add scale 1.0")
    parser.add_argument(
        "--years", type=year_range, help="these years at once (2019-2023), not one year"
    )
    parser.add_argument("--passes", type=int, default=PASSES, help="measured passes per variant")
    parser.add_argument("--data-dir", default="/tmp/naravard-bench")
    parser.add_argument("--pandas-scale", type=float, default=0.1)
    parser.add_argument("--child")
    parser.add_argument("--data")
    args = parser.parse_args()
    if args.child:
        import django

        PASSES = args.passes
        django.setup()
        child(args.child, Path(args.data), list(args.years))
        return
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naravard.test_settings")
    django.setup()
    scales = [float(s) for s in args.scales.split(",")] + ([1.0] if args.full else [])
    base = Path(args.data_dir)
    if args.years:
        many_years(args, scales, base)
    else:
        one_year(args, scales, base)


if __name__ == "__main__":
    main()

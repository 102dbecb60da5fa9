"""Benchmark the register engine against hand-written DuckDB SQL and pandas, and across scales.

    python bench/engine_bench.py                 # scales 0.01 and 0.1 (a few minutes)
    python bench/engine_bench.py --full          # also scale 1.0, one national year
    python bench/engine_bench.py --scales 0.01   # just one scale

Each variant runs in its own process so that its peak memory (max RSS) is its own.
Engine and SQL run the indicator set twice and report the second (warm) pass.
Prints, per scale: generation time, per-indicator seconds of the engine (Ibis on
DuckDB), of hand-written DuckDB SQL and of hand-written Polars lazy queries, the
engine's ratio to the faster of the two, the pandas total (at 0.1), and how time
grows per row. Targets are in issue 5; nothing here asserts them. Needs the
``bench`` extra (Polars): ``pip install -e .[bench]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

YEAR = 2021
IND = ["named_doctor_share", "care_guarantee_3d", "digital_contact_share", "readmission_30d",
       "avoidable_hospitalisations_per_100k", "continuity_upc", "continuity_coc",
       "discharge_to_contact_days_65plus"]


# ------------------------------------------------------------------ variants ---

def run_engine(root: Path) -> dict[str, float]:
    from naravard.engine.backends import duckdb_tables
    from naravard.engine.indicators import DEFINITIONS

    _, tables = duckdb_tables(root)
    times = {}
    for repeat in range(2):  # the first pass warms the file cache, as for SQL
        for d in DEFINITIONS:
            start = time.perf_counter()
            d.build(tables, YEAR).to_pyarrow()
            times[d.indicator_id] = time.perf_counter() - start
    return times


def sql_queries(root: Path) -> dict[str, str]:
    def t(name):
        return f"read_parquet('{root}/{name}/year=*/*.parquet', hive_partitioning=false)"
    end = f"DATE '{YEAR}-12-31'"
    avoid = "('J44','I50','E11','J45','I10','N39','E86','J18')"
    return {
        "named_doctor_share": f"""
            WITH listed AS (SELECT DISTINCT person_id FROM {t('listings')} WHERE year={YEAR}
                            AND named_doctor AND valid_from <= {end} AND valid_to >= {end})
            SELECT substr(p.municipality, 1, 2) org, p.sex, count(l.person_id) num, count(*) den
            FROM {t('persons')} p LEFT JOIN listed l USING (person_id) WHERE p.year = {YEAR}
            GROUP BY ALL""",
        "care_guarantee_3d": f"""
            SELECT region org, month(date) m, sum(((assessed_on - date) <= 3)::int) num, count(*) den
            FROM {t('contacts')} WHERE year = {YEAR} AND new_problem AND needs_assessment GROUP BY ALL""",
        "digital_contact_share": f"""
            SELECT region org, sum((mode IN ('video','chat'))::int) num, count(*) den
            FROM {t('contacts')} WHERE year = {YEAR} AND profession IN ('doctor','nurse') GROUP BY ALL""",
        "readmission_30d": f"""
            WITH home AS (SELECT person_id, municipality org, sex,
                             CASE WHEN {YEAR} - birth_year < 20 THEN '0-19' WHEN {YEAR} - birth_year < 65
                             THEN '20-64' WHEN {YEAR} - birth_year < 80 THEN '65-79' ELSE '80+' END band
                          FROM {t('persons')} WHERE year = {YEAR}),
                 idx AS (SELECT person_id, admitted, discharged, org, sex, band FROM {t('episodes')}
                         JOIN home USING (person_id) WHERE year(discharged) = {YEAR}),
                 re AS (SELECT person_id, admitted, discharged FROM {t('episodes')} WHERE NOT planned),
                 hits AS (SELECT DISTINCT i.person_id, i.admitted, i.discharged FROM idx i JOIN re e
                          ON e.person_id = i.person_id AND e.admitted >= i.discharged
                          AND e.admitted - i.discharged <= 30
                          AND NOT (e.admitted = i.admitted AND e.discharged = i.discharged))
            SELECT org, sex, band, count(h.person_id) num, count(*) den
            FROM idx LEFT JOIN hits h USING (person_id, admitted, discharged) GROUP BY ALL""",
        "avoidable_hospitalisations_per_100k": f"""
            WITH hits AS (SELECT person_id, count(*) n FROM {t('episodes')} WHERE year = {YEAR}
                          AND NOT planned AND substr(icd10, 1, 3) IN {avoid} GROUP BY ALL)
            SELECT substr(p.municipality, 1, 2) org, p.sex, coalesce(sum(h.n), 0) num, count(*) den
            FROM {t('persons')} p LEFT JOIN hits h USING (person_id) WHERE p.year = {YEAR} GROUP BY ALL""",
        "continuity_upc": f"""
            WITH v AS (SELECT person_id, unit_id, count(*) n FROM {t('contacts')}
                       WHERE year = {YEAR} AND profession = 'doctor' GROUP BY ALL),
                 p AS (SELECT person_id, sum(n) total, max(n) top FROM v GROUP BY ALL HAVING sum(n) >= 2)
            SELECT substr(r.municipality, 1, 2) org, avg(top / total), count(*) FROM p
            JOIN {t('persons')} r USING (person_id) WHERE r.year = {YEAR} GROUP BY ALL""",
        "continuity_coc": f"""
            WITH v AS (SELECT person_id, unit_id, count(*) n FROM {t('contacts')}
                       WHERE year = {YEAR} AND profession = 'doctor' GROUP BY ALL),
                 p AS (SELECT person_id, sum(n) total, sum(n * n) sq FROM v GROUP BY ALL HAVING sum(n) >= 2)
            SELECT substr(r.municipality, 1, 2) org, avg((sq - total) / (total * (total - 1))), count(*)
            FROM p JOIN {t('persons')} r USING (person_id) WHERE r.year = {YEAR} GROUP BY ALL""",
        "discharge_to_contact_days_65plus": f"""
            WITH old AS (SELECT person_id, substr(municipality, 1, 2) org FROM {t('persons')}
                         WHERE year = {YEAR} AND {YEAR} - birth_year >= 65),
                 e AS (SELECT e.person_id, e.discharged, o.org FROM {t('episodes')} e
                       JOIN old o USING (person_id) WHERE e.year = {YEAR}),
                 after AS (SELECT person_id, "date" AS d FROM {t('contacts')}
                           UNION ALL SELECT person_id, "start" FROM {t('interventions')}),
                 first AS (SELECT e.person_id, e.discharged, e.org, min(a.d - e.discharged) AS n_days
                           FROM e JOIN after a ON a.person_id = e.person_id AND a.d >= e.discharged
                           AND a.d - e.discharged <= 90 GROUP BY ALL)
            SELECT org, avg(n_days) FROM first GROUP BY ALL""",
    }


def run_sql(root: Path) -> dict[str, float]:
    import duckdb

    con = duckdb.connect()
    times = {}
    for repeat in range(2):  # the first pass warms the file cache
        for name, query in sql_queries(root).items():
            start = time.perf_counter()
            con.sql(query).fetch_arrow_table()
            times[name] = time.perf_counter() - start
    return times


def run_polars(root: Path) -> dict[str, float]:
    """The same indicators written by hand as Polars lazy queries."""
    import datetime as dt

    import polars as pl

    def scan(name):
        return pl.scan_parquet(str(root / name / "year=*" / "*.parquet"), hive_partitioning=False)

    persons, listings, contacts = scan("persons"), scan("listings"), scan("contacts")
    episodes, interventions = scan("episodes"), scan("interventions")
    end = dt.date(YEAR, 12, 31)
    res = persons.filter(pl.col("year") == YEAR).with_columns(
        org=pl.col("municipality").str.slice(0, 2), age=YEAR - pl.col("birth_year").cast(pl.Int32))
    c = contacts.filter(pl.col("year") == YEAR)
    days = lambda a, b: (pl.col(a) - pl.col(b)).dt.total_days()  # noqa: E731
    queries = {
        "named_doctor_share": lambda: res.join(
            listings.filter((pl.col("year") == YEAR) & pl.col("named_doctor")
                            & (pl.col("valid_to") >= end)).select("person_id").unique()
            .with_columns(listed=pl.lit(1)), on="person_id", how="left")
        .group_by("org", "sex").agg(num=pl.col("listed").fill_null(0).sum(), den=pl.len()),
        "care_guarantee_3d": lambda: c.filter(pl.col("new_problem") & pl.col("needs_assessment")).group_by(
            "region", pl.col("date").dt.month()).agg(
            num=(days("assessed_on", "date") <= 3).sum(), den=pl.len()),
        "digital_contact_share": lambda: c.filter(pl.col("profession").is_in(["doctor", "nurse"]))
        .group_by("region").agg(num=pl.col("mode").is_in(["video", "chat"]).sum(), den=pl.len()),
        "readmission_30d": lambda: (lambda idx: idx.join(
            idx.join(episodes.filter(~pl.col("planned")).select(
                "person_id", re=pl.col("admitted"), re_out=pl.col("discharged")), on="person_id")
            .filter((pl.col("re") >= pl.col("discharged")) & (days("re", "discharged") <= 30)
                    & ~((pl.col("re") == pl.col("admitted")) & (pl.col("re_out") == pl.col("discharged"))))
            .select("person_id", "admitted", "discharged").unique().with_columns(hit=pl.lit(1)),
            on=["person_id", "admitted", "discharged"], how="left").group_by("org", "sex", "band").agg(
            num=pl.col("hit").fill_null(0).sum(), den=pl.len()))(
            episodes.filter(pl.col("discharged").dt.year() == YEAR)
            .select("person_id", "admitted", "discharged")
            .join(res.select("person_id", "sex", org=pl.col("municipality"),
                             band=pl.when(pl.col("age") < 20).then(pl.lit("0-19"))
                             .when(pl.col("age") < 65).then(pl.lit("20-64"))
                             .when(pl.col("age") < 80).then(pl.lit("65-79")).otherwise(pl.lit("80+"))),
                  on="person_id")),
        "avoidable_hospitalisations_per_100k": lambda: res.join(
            episodes.filter((pl.col("year") == YEAR) & ~pl.col("planned")
                            & pl.col("icd10").str.slice(0, 3).is_in(
                                ["J44", "I50", "E11", "J45", "I10", "N39", "E86", "J18"]))
            .group_by("person_id").agg(n=pl.len()), on="person_id", how="left")
        .group_by("org", "sex").agg(num=pl.col("n").fill_null(0).sum(), den=pl.len()),
        "continuity_upc": lambda: c.filter(pl.col("profession") == "doctor")
        .group_by("person_id", "unit_id").agg(n=pl.len())
        .group_by("person_id").agg(total=pl.col("n").sum(), top=pl.col("n").max())
        .filter(pl.col("total") >= 2).join(res.select("person_id", "org"), on="person_id")
        .group_by("org").agg((pl.col("top") / pl.col("total")).mean(), pl.len()),
        "continuity_coc": lambda: c.filter(pl.col("profession") == "doctor")
        .group_by("person_id", "unit_id").agg(n=pl.len())
        .group_by("person_id").agg(total=pl.col("n").sum(), sq=(pl.col("n") ** 2).sum())
        .filter(pl.col("total") >= 2).join(res.select("person_id", "org"), on="person_id")
        .group_by("org").agg(
            ((pl.col("sq") - pl.col("total")) / (pl.col("total") * (pl.col("total") - 1))).mean(),
            pl.len()),
        "discharge_to_contact_days_65plus": lambda: episodes.filter(pl.col("year") == YEAR)
        .select("person_id", "discharged").join(res.filter(pl.col("age") >= 65).select("person_id", "org"),
                                               on="person_id")
        .join(pl.concat([contacts.select("person_id", day=pl.col("date")),
                         interventions.select("person_id", day=pl.col("start"))]), on="person_id")
        .filter((pl.col("day") >= pl.col("discharged")) & (days("day", "discharged") <= 90))
        .group_by("person_id", "discharged", "org").agg(d=days("day", "discharged").min())
        .group_by("org").agg(pl.col("d").mean()),
    }
    times = {}
    for repeat in range(2):  # the first pass warms the file cache
        for name, query in queries.items():
            start = time.perf_counter()
            query().collect()
            times[name] = time.perf_counter() - start
    return times


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

    p = persons[persons.year == YEAR].copy()
    p["org"] = p.municipality.str[:2]
    c = contacts[contacts.year == YEAR]

    def named():
        lst = listings[(listings.year == YEAR) & listings.named_doctor
                       & (pd.to_datetime(listings.valid_to) >= end)]
        p.assign(listed=p.person_id.isin(set(lst.person_id))).groupby(["org", "sex"]).agg(
            num=("listed", "sum"), den=("listed", "size"))

    def care():
        x = c[c.new_problem & c.needs_assessment]
        ok = (pd.to_datetime(x.assessed_on) - pd.to_datetime(x.date)).dt.days <= 3
        x.assign(ok=ok, m=pd.to_datetime(x.date).dt.month).groupby(["region", "m"]).agg(
            num=("ok", "sum"), den=("ok", "size"))

    def digital():
        x = c[c.profession.isin(["doctor", "nurse"])]
        x.assign(d=x["mode"].isin(["video", "chat"])).groupby("region").agg(num=("d", "sum"),
                                                                            den=("d", "size"))

    def readmission():
        idx = episodes[pd.to_datetime(episodes.discharged).dt.year == YEAR].merge(
            p[["person_id", "municipality", "sex", "birth_year"]], on="person_id")
        idx["band"] = pd.cut(YEAR - idx.birth_year, [-1, 19, 64, 79, 200],
                             labels=["0-19", "20-64", "65-79", "80+"])
        re = episodes[~episodes.planned][["person_id", "admitted", "discharged"]].rename(
            columns={"admitted": "re", "discharged": "re_out"})
        m = idx.merge(re, on="person_id")
        gap = (pd.to_datetime(m.re) - pd.to_datetime(m.discharged)).dt.days
        same = (m.re == m.admitted) & (m.re_out == m.discharged)
        hits = m[(gap >= 0) & (gap <= 30) & ~same][["person_id", "admitted", "discharged"]].drop_duplicates()
        hits["hit"] = 1
        idx.merge(hits, on=["person_id", "admitted", "discharged"], how="left").groupby(
            ["municipality", "sex", "band"], observed=True).agg(num=("hit", "sum"), den=("person_id", "size"))

    def avoidable():
        e = episodes[(episodes.year == YEAR) & ~episodes.planned
                     & episodes.icd10.str[:3].isin(["J44", "I50", "E11", "J45", "I10", "N39", "E86", "J18"])]
        n = e.groupby("person_id").size().rename("n")
        p.merge(n, left_on="person_id", right_index=True, how="left").fillna({"n": 0}).groupby(
            ["org", "sex"]).agg(num=("n", "sum"), den=("n", "size"))

    def visits():
        d = c[c.profession == "doctor"]
        v = d.groupby(["person_id", "unit_id"]).size().rename("n").reset_index()
        v["sq"] = v.n * v.n
        per = v.groupby("person_id").agg(total=("n", "sum"), top=("n", "max"), sq=("sq", "sum"))
        return per[per.total >= 2].join(p.set_index("person_id").org)

    def upc():
        per = visits()
        (per.top / per.total).groupby(per.org).mean()

    def coc():
        per = visits()
        ((per.sq - per.total) / (per.total * (per.total - 1))).groupby(per.org).mean()

    def pathway():
        old = p[YEAR - p.birth_year >= 65][["person_id", "org"]]
        e = episodes[episodes.year == YEAR][["person_id", "discharged"]].merge(old, on="person_id")
        after = pd.concat([contacts[["person_id", "date"]].rename(columns={"date": "day"}),
                           interventions[["person_id", "start"]].rename(columns={"start": "day"})])
        m = e.merge(after, on="person_id")
        days = (pd.to_datetime(m.day) - pd.to_datetime(m.discharged)).dt.days
        m = m[(days >= 0) & (days <= 90)].assign(days=days)
        m.groupby(["person_id", "discharged", "org"]).days.min().groupby(level="org").mean()

    for name, fn in zip(IND, [named, care, digital, readmission, avoidable, upc, coc, pathway]):
        timed(name, fn)
    return times


def child(variant: str, root: Path) -> None:
    times = {"engine": run_engine, "sql": run_sql, "polars": run_polars,
             "pandas": run_pandas}[variant](root)
    total = sum(times.values())  # the measured pass (pandas: one pass, reading included)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"times": times, "total": total, "peak_mb": peak_mb}))


# -------------------------------------------------------------------- driver ---

def measure(variant: str, root: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", variant, "--data", str(root)],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "naravard.test_settings"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_register(base: Path, scale: float) -> tuple[Path, float, int]:
    from naravard.synth.generator import Spec, generate

    root = base / f"scale-{scale:g}"
    marker = root / "rows.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        return root, info["seconds"], info["rows"]
    start = time.perf_counter()
    counts = generate(root, Spec(scale, (YEAR - 1, YEAR), seed=1))
    seconds = time.perf_counter() - start
    rows = sum(counts.values()) // 2
    marker.write_text(json.dumps({"seconds": seconds / 2, "rows": rows, "counts": counts}))
    return root, seconds / 2, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="0.01,0.1")
    parser.add_argument("--full", action="store_true", help="add scale 1.0")
    parser.add_argument("--data-dir", default="/tmp/naravard-bench")
    parser.add_argument("--pandas-scale", type=float, default=0.1)
    parser.add_argument("--child")
    parser.add_argument("--data")
    args = parser.parse_args()
    if args.child:
        import django

        django.setup()
        child(args.child, Path(args.data))
        return
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naravard.test_settings")
    django.setup()
    scales = [float(s) for s in args.scales.split(",")] + ([1.0] if args.full else [])
    base = Path(args.data_dir)
    per_row = []
    for scale in scales:
        root, gen_seconds, rows = ensure_register(base, scale)
        engine, sql, polars = measure("engine", root), measure("sql", root), measure("polars", root)
        print(f"\n== scale {scale:g}: {rows:,} rows per year; generation {gen_seconds:.1f} s per year ==")
        print(f"{'indicator':<38}{'engine s':>10}{'sql s':>10}{'polars s':>10}{'engine/best':>13}")
        for name in IND:
            e, s, p = engine["times"][name], sql["times"][name], polars["times"][name]
            print(f"{name:<38}{e:>10.3f}{s:>10.3f}{p:>10.3f}{e / min(s, p):>13.2f}")
        best = sum(min(sql["times"][n], polars["times"][n]) for n in IND)
        print(f"{'all indicators':<38}{engine['total']:>10.2f}{sql['total']:>10.2f}"
              f"{polars['total']:>10.2f}{engine['total'] / best:>13.2f}")
        print(f"peak memory: engine {engine['peak_mb']:.0f} MB, sql {sql['peak_mb']:.0f} MB, "
              f"polars {polars['peak_mb']:.0f} MB")
        if scale == args.pandas_scale:
            pandas = measure("pandas", root)
            print(f"pandas: {pandas['total']:.2f} s (of which reading {pandas['times']['read']:.2f} s), "
                  f"peak {pandas['peak_mb']:.0f} MB; pandas/engine = {pandas['total'] / engine['total']:.1f}×")
        per_row.append((scale, rows, engine["total"]))
    if len(per_row) > 1:
        print("\n== growth with rows (each scale against the one before) ==")
        for (s0, r0, t0), (s1, r1, t1) in zip(per_row, per_row[1:]):
            ratio = (t1 / r1) / (t0 / r0)
            print(f"scale {s1:g} vs {s0:g}: {r1 / r0:.1f}× rows, {t1 / t0:.1f}× time, "
                  f"time per row ×{ratio:.2f}")


if __name__ == "__main__":
    main()

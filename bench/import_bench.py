"""Import a million indicator rows on PostgreSQL, all or nothing, against COPY of the same rows
into a plain table in the same database, in one run.

    .venv/bin/python bench/import_bench.py               # 1 000 000 rows (about a minute)
    .venv/bin/python bench/import_bench.py --rows 100000  # a quick look

Writes a CSV of valid rows of ``named_doctor_share`` (the 290 municipalities and 21 regions ×
month ends from January 2006 × sex × the five age bands, as a register exports them), and a
copy of it with one malformed row near the end. In a database of its own
(``--database``, created, migrated with ``naravard migrate`` and dropped again), it times:

  * COPY of the file into a plain table (org, period, sex, age_band, value): the baseline;
  * COPY of the file into the least any store of current values costs: a key per row, one
    unique index that keeps one current value per organisation, period, sex and age band, and
    one index to find an indicator's values (no foreign keys, no checks): the floor under any
    import that keeps its values findable and unique;
  * COPY of the file into a table shaped like the indicator store (its indexes, its check and
    foreign-key constraints): what the store's schema costs before naravard does anything;
  * ``naravard data import`` of the malformed copy: must exit 1 and store nothing;
  * ``naravard data import`` of the file: must store every row;
  * the same import again: every value unchanged, nothing stored.

Each naravard run is a subprocess, its peak memory (RSS) read with getrusage. Prints seconds,
peak MB and the ratio to the baseline, and the goals of issue 16 (finding 7): the import in
under 60 s and 1 GB, within 3× of the baseline. The goals are reported, not asserted; the
exit status is 1 only when a check of what was stored fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from naravard.refdata import files  # noqa: E402

INDICATOR = "named_doctor_share"
AGE_BANDS = ("total", "0-19", "20-64", "65-79", "80+")
GOAL_SECONDS, GOAL_MB, GOAL_RATIO = 60.0, 1024.0, 3.0
# runs a command as its only child and reports the child's wall time and peak memory
MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"rc": done.returncode, "seconds": time.perf_counter() - started,
    "kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "out": done.stdout[-2000:], "err": done.stderr[-2000:]}))
"""


def write_files(folder: Path, rows: int) -> tuple[Path, Path, int]:
    """The valid file, its copy with one malformed row, and that row's number (header = 1)."""
    orgs = [m.code for m in files.municipalities()] + [r.code for r in files.regions()]
    months = (f"{y}-{m:02d}" for y in itertools.count(2006) for m in range(1, 13))
    cells = ((p, o, s, a) for p in months for o in orgs for s in "TKM" for a in AGE_BANDS)
    rnd = random.Random(16)
    good, bad = folder / "values.csv", folder / "values-malformed.csv"
    bad_row = rows - 10 + 2  # ten rows from the end
    with good.open("w", encoding="utf-8") as g, bad.open("w", encoding="utf-8") as b:
        g.write("org,period,sex,age_band,value\n")
        b.write("org,period,sex,age_band,value\n")
        for n, (period, org, sex, age) in enumerate(itertools.islice(cells, rows), start=2):
            line = f"{org},{period},{sex},{age},{rnd.randint(200, 9800) / 100}\n"
            g.write(line)
            b.write(f"{org},{period},{sex},{age},sextio\n" if n == bad_row else line)
    return good, bad, bad_row


def admin_url(url: str) -> tuple[str, str]:
    """The server's maintenance database URL, and the bench database's name."""
    base, _, name = url.rpartition("/")
    return f"{base}/postgres", name


def recreate(url: str, drop_only: bool = False) -> None:
    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def naravard_env(url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_DEMO", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DATABASE_URL=url, NARAVARD_SECRET_KEY=secrets.token_urlsafe(50))
    return env


def measured(command: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"error: could not run {' '.join(command)}:\n{done.stderr}")
    result = json.loads(done.stdout)
    result["mb"] = result["kb"] / 1024
    return result


def timed_copy(url: str, path: Path, table: str) -> float:
    """COPY the file into ``table`` from this process, streamed, committed: wall seconds."""
    with psycopg.connect(url) as conn, path.open("rb") as fh:
        started = time.perf_counter()
        with conn.cursor() as cur:
            with cur.copy(
                f"COPY {table} (org_code, period, sex, age_band, value) "
                "FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                while block := fh.read(1 << 20):
                    copy.write(block)
        conn.commit()
        return time.perf_counter() - started


def baselines(url: str, path: Path) -> tuple[float, float, float]:
    """Seconds to COPY the rows into a plain table, into the least indexed store, and into one
    shaped like naravard's store."""
    columns = "org_code text, period text, sex text, age_band text, value double precision"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE bench_plain ({columns})")
        conn.execute(
            f"CREATE TABLE bench_floor (id bigserial PRIMARY KEY, {columns}, "
            "is_current boolean NOT NULL DEFAULT true)"
        )
        conn.execute(
            "CREATE UNIQUE INDEX ON bench_floor (org_code, period, sex, age_band) WHERE is_current"
        )
        conn.execute("CREATE INDEX ON bench_floor (period)")
        conn.execute(
            "INSERT INTO ingest_importbatch (kind, indicators, file_name, sha256, actor, "
            "created_at, added, changed, unchanged, note) VALUES "
            "('import', '', '', '', 'bench', now(), 0, 0, 0, '') "
        )
        batch = conn.execute("SELECT max(id) FROM ingest_importbatch").fetchone()
        conn.execute("CREATE TABLE bench_store (LIKE ingest_indicatorvalue INCLUDING ALL)")
        for column, default in (
            ("indicator_id", f"'{INDICATOR}'"),
            ("batch_id", str(batch[0] if batch else 0)),
            ("is_current", "true"),
            ("created_at", "now()"),
        ):
            conn.execute(f"ALTER TABLE bench_store ALTER COLUMN {column} SET DEFAULT {default}")
        conn.execute(
            "ALTER TABLE bench_store ADD FOREIGN KEY (batch_id) REFERENCES ingest_importbatch "
            "DEFERRABLE INITIALLY DEFERRED, ADD FOREIGN KEY (superseded_by_id) REFERENCES "
            "bench_store DEFERRABLE INITIALLY DEFERRED"
        )
    plain = timed_copy(url, path, "bench_plain")
    floor = timed_copy(url, path, "bench_floor")
    store = timed_copy(url, path, "bench_store")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE bench_plain, bench_floor, bench_store")
        conn.execute("DELETE FROM ingest_importbatch")
    return plain, floor, store


def stored(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM ingest_indicatorvalue WHERE indicator_id = %s AND is_current",
            [INDICATOR],
        ).fetchone()
    return row[0] if row else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the file")
    parser.add_argument(
        "--database",
        default="postgresql://postgres@127.0.0.1:5432/nv_import_bench",
        help="a database to create, use and drop",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the files")
    args = parser.parse_args()
    url = args.database
    naravard = [sys.executable, "-m", "naravard.cli"]
    env = naravard_env(url)
    failures: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="naravard-import-bench-"))
    try:
        print(f"Writing {args.rows:,} rows to {folder} …", file=sys.stderr, flush=True)
        good, bad, bad_row = write_files(folder, args.rows)
        print(f"Creating and migrating {url} …", file=sys.stderr, flush=True)
        recreate(url)
        migrate = subprocess.run(naravard + ["migrate"], env=env, capture_output=True, text=True)
        if migrate.returncode:
            sys.exit(f"error: naravard migrate failed:\n{migrate.stderr}")
        print("Timing COPY …", file=sys.stderr, flush=True)
        plain, floor, shaped = baselines(url, good)
        imports = naravard + ["data", "import", "--indicator", INDICATOR]
        print("Importing the malformed file …", file=sys.stderr, flush=True)
        refused = measured(imports + [str(bad)], env)
        if refused["rc"] == 0 or stored(url) != 0:
            failures.append(
                f"the malformed file: exit {refused['rc']}, {stored(url)} values stored "
                "(expected a non-zero exit and none)"
            )
        if f"row {bad_row}, column value" not in refused["err"]:
            failures.append(f"the refusal does not name row {bad_row}: {refused['err']!r}")
        print("Importing the file …", file=sys.stderr, flush=True)
        first = measured(imports + [str(good)], env)
        if first["rc"] != 0 or stored(url) != args.rows:
            failures.append(
                f"the file: exit {first['rc']}, {stored(url)} of {args.rows} values stored "
                f"{first['err']}"
            )
        print("Importing it again …", file=sys.stderr, flush=True)
        again = measured(imports + [str(good)], env)
        if again["rc"] != 0 or "nothing new" not in again["out"]:
            failures.append(f"the same file again: {again['out']} {again['err']}")
    finally:
        if not args.keep:
            recreate(url, drop_only=True)
            shutil.rmtree(folder)
    print()
    print(f"{args.rows:,} rows of {INDICATOR} (org, period, sex, age_band, value), PostgreSQL")
    print(f"{'run':<62}{'seconds':>9}{'peak MB':>9}{'× COPY':>8}")
    print(f"{'COPY into a plain table (baseline)':<62}{plain:>9.1f}{'':>9}{1:>8.1f}")
    print(
        f"{'COPY into the least indexed store (a key, a unique index)':<62}{floor:>9.1f}"
        f"{'':>9}{floor / plain:>8.1f}"
    )
    print(
        f"{'COPY into a table shaped like the store (indexes, keys)':<62}{shaped:>9.1f}"
        f"{'':>9}{shaped / plain:>8.1f}"
    )
    for label, run in (
        ("naravard data import, one malformed row (refused)", refused),
        ("naravard data import (all new)", first),
        ("naravard data import, the same file again (unchanged)", again),
    ):
        print(f"{label:<62}{run['seconds']:>9.1f}{run['mb']:>9.0f}{run['seconds'] / plain:>8.1f}")
    print()
    for label, ok in (
        (f"import under {GOAL_SECONDS:.0f} s", first["seconds"] < GOAL_SECONDS),
        (
            f"peak memory under {GOAL_MB:.0f} MB",
            max(r["mb"] for r in (first, refused, again)) < GOAL_MB,
        ),
        (
            f"within {GOAL_RATIO:.0f}× of COPY into a plain table",
            first["seconds"] <= GOAL_RATIO * plain,
        ),
    ):
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    for failure in failures:
        print(f"CHECK FAILED: {failure}")
    if not failures:
        print(
            f"checks: the malformed file (row {bad_row} of {args.rows + 1}) was refused with "
            f"exit 1 and nothing stored; the file stored {args.rows:,} values; again, none"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

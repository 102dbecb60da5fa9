"""The indicator store at the size of the real follow-up, on PostgreSQL: its import, its
release, and the public site and open-data APIs on it.

    python bench/store_bench.py                # 20 years: every indicator at its levels
    python bench/store_bench.py --years 86     # as many years as make about 5 million values
    python bench/store_bench.py --keep         # keep the database (and --reuse it next time)

In a database of its own (``--database``, created, migrated with ``naravard migrate`` and
dropped at the end unless ``--keep``):

1. writes one import file per catalogue indicator (synth/store_values.py: every area at the
   indicator's levels, every period of ``--years`` years, each month where it is monthly,
   every sex and age band);
2. imports every file in one process, as ``naravard data import`` does (import_file:
   validated whole, stored in one transaction, derived indicators worked out from their
   inputs), the inputs first: a derived indicator's own file then replaces what was worked
   out, as a corrected import would;
3. releases every stored period of every indicator (as the demo does, in one transaction);
4. imports the largest file again with one malformed row near its end (``naravard data
   import``: must exit 1 and change nothing);
5. starts ``naravard serve`` and asks each page and API answer below once (cold: the first
   request after the server started) and then ``--warm`` times (warm: the median), and reads
   the server processes' peak memory (VmHWM) from /proc.

The answers measured: the overview ``/``, an indicator page at municipality level, a region
page, the PxWeb data query for a whole table (every value of every variable) and the Kolada
data for one KPI. For the last two it also says whether the answer was streamed (sent in
chunks, with no Content-Length) and how much the server's memory grew while it answered.
Prints each figure beside issue 22's goals: every page under 1 s cold and 100 ms warm, the
server under 1 GB. The goals are reported, not asserted; the exit status is 1 only when a
check fails (the malformed file stored something, or an answer was not a 200).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg

sys.path.insert(0, str(Path(__file__).parent))

from import_bench import naravard_env, recreate  # noqa: E402  (the benches next door)
from web_bench import free_port, wait_for_port  # noqa: E402

DATABASE = "postgresql://postgres@127.0.0.1:5432/nv_store_bench"
LAST_YEAR = 2025
ACTOR = "store-bench"
PAGES = {
    "overview": "/",
    "indicator page, municipality level": "/statistik/named_doctor_share/?niva=municipality",
    "region page": "/region/01/",
}
PXWEB_TABLE = "named_doctor_share"
# every value of the KPI with the most (municipalities, every year), on one page
KOLADA_KPI = "/kolada/v3/data/kpi/named_doctor_share?per_page=5000"
GOAL_COLD_S, GOAL_WARM_S, GOAL_SERVER_MB = 1.0, 0.1, 1024.0
START_SECONDS = 1800  # the server readies the public pages before it listens


# ------------------------------------------------------------ in the child process ---


def child_import(folder: Path, last_year: int, years: int) -> None:
    """Write the files, import them and release every period; prints a JSON report."""
    import resource

    import django

    django.setup()
    from naravard.catalog.catalogue import get_indicator
    from naravard.ingest.importer import import_file
    from naravard.ingest.models import IndicatorValue
    from naravard.publish.releases import release_everything_stored
    from naravard.synth.store_values import write_store_files

    started = time.perf_counter()
    written = write_store_files(folder, last_year, years)
    writing = time.perf_counter() - started

    imports: dict[str, float] = {}
    # The inputs first, then the indicators derived from them: their files replace what was
    # derived (where the population allowed it), as a corrected import would, and give
    # every indicator its full volume.
    order = sorted(written, key=lambda f: bool(get_indicator(f.indicator_id).derived_from))
    for f in order:
        began = time.perf_counter()
        import_file(f.path, f.indicator_id, actor=ACTOR, note="store_bench.py")
        imports[f.indicator_id] = time.perf_counter() - began
    importing = time.perf_counter() - started - writing

    began = time.perf_counter()
    released = len(release_everything_stored(actor=ACTOR, note="store_bench.py"))
    releasing = time.perf_counter() - began
    print(
        json.dumps(
            {
                "files": {f.indicator_id: f.values for f in written},
                "written_values": sum(f.values for f in written),
                "writing": writing,
                "imports": imports,
                "importing": importing,
                "releases": released,
                "releasing": releasing,
                "stored": IndicatorValue.objects.filter(is_current=True).count(),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


# ------------------------------------------------------------------ the server ---


def get(port: int, path: str) -> tuple[int, dict[str, str], int, float]:
    """Status, headers, body length and seconds of one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        length = 0
        while block := response.read(1 << 16):
            length += len(block)
        seconds = time.perf_counter() - started
        return response.status, {k.lower(): v for k, v in response.getheaders()}, length, seconds
    finally:
        conn.close()


def processes(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return [pid, *map(int, children)]


def memory_mb(pid: int, field: str) -> float:
    """``VmHWM`` (peak) or ``VmRSS`` (now) of a process, in MB, from /proc/PID/status; or
    ``Pss`` (now, each page shared with other processes counted by its share) from
    /proc/PID/smaps_rollup."""
    source = "smaps_rollup" if field == "Pss" else "status"
    for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def pxweb_whole_table(port: int) -> tuple[str, str]:
    """The PxWeb data query that asks for every value of every variable of the table, and a
    note. When the table has more cells than the API answers at once (its maxDataCells, as
    at SCB), the query asks for as many of the latest periods as it allows, as a client
    would, and the note says so."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("GET", "/api/v2/config")
        limit = json.loads(conn.getresponse().read())["maxDataCells"]
        conn.request("GET", f"/api/v2/tables/{PXWEB_TABLE}/metadata?lang=sv")
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        sys.exit(f"error: the PxWeb metadata of {PXWEB_TABLE} answered {response.status}")
    meta = json.loads(body)
    sizes = dict(zip(meta["id"], meta["size"], strict=True))
    cells, periods = math.prod(sizes.values()), sizes[meta["role"]["time"][0]]
    codes = {d: "*" for d in meta["id"]}
    note = f"every value: {cells:,} cells"
    if cells > limit:
        fit = limit // (cells // periods)
        codes[meta["role"]["time"][0]] = f"top({fit})"
        note = f"{cells:,} cells, over the API's {limit:,}: the latest {fit} of {periods} periods"
    query = "&".join(f"valueCodes[{quote(d)}]={quote(c)}" for d, c in codes.items())
    return f"/api/v2/tables/{PXWEB_TABLE}/data?lang=sv&outputFormat=json-stat2&{query}", note


def serve(url: str, port: int, log: Path) -> subprocess.Popen:
    env = naravard_env(url)
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "naravard.cli", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, proc, log, "naravard serve", limit=START_SECONDS)
    except SystemExit:
        os.killpg(proc.pid, 15)  # it may still be readying: nothing is left running
        raise
    return proc


def measure_site(url: str, warm: int, folder: Path) -> tuple[list[dict], dict, str]:
    port = free_port()
    log = folder / "server.log"
    started = time.perf_counter()
    proc = serve(url, port, log)
    listening = time.perf_counter() - started
    rows: list[dict] = []
    try:
        answers = dict(PAGES)
        answers["PxWeb data, whole table"], pxweb_note = pxweb_whole_table(port)
        answers["Kolada data, one KPI"] = KOLADA_KPI
        for name, path in answers.items():
            pids = processes(proc.pid)
            before = sum(memory_mb(p, "VmRSS") for p in pids)
            status, headers, length, cold = get(port, path)
            if status != 200:
                sys.exit(f"error: {path} answered {status}")
            grown = sum(memory_mb(p, "VmRSS") for p in processes(proc.pid)) - before
            times = [get(port, path)[3] for _ in range(warm)]
            rows.append(
                {
                    "name": name,
                    "path": path,
                    "cold": cold,
                    "warm": statistics.median(times),
                    "bytes": length,
                    "streamed": "content-length" not in headers,
                    "grown_mb": grown,
                }
            )
        pids = processes(proc.pid)
        memory = {
            "processes": len(pids),
            "largest_peak_mb": max(memory_mb(p, "VmHWM") for p in pids),
            "sum_of_peaks_mb": sum(memory_mb(p, "VmHWM") for p in pids),
            "pss_mb": sum(memory_mb(p, "Pss") for p in pids),
            "listening_s": listening,
            "pxweb_note": pxweb_note,
        }
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=60)
    ready = next((line for line in log.read_text().splitlines() if "Ready in" in line), "")
    return rows, memory, ready


# ------------------------------------------------------------------------ main ---


def refused_file(folder: Path, url: str, files: dict[str, int]) -> tuple[bool, int]:
    """The largest file with a malformed row ten rows from its end: refused, nothing stored?"""
    indicator = max(files, key=files.get)  # type: ignore[arg-type]
    good = (folder / f"{indicator}.csv").read_text(encoding="utf-8").splitlines()
    bad = folder / "malformed.csv"
    fields = good[-10].split(",")
    fields[4:7] = ["sextio", "", ""]
    good[-10] = ",".join(fields)
    bad.write_text("\n".join(good) + "\n", encoding="utf-8")
    with psycopg.connect(url) as conn:
        before = conn.execute("SELECT count(*) FROM ingest_indicatorvalue").fetchone()[0]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "naravard.cli",
            "data",
            "import",
            str(bad),
            "--indicator",
            indicator,
        ],
        env=naravard_env(url),
        capture_output=True,
        text=True,
    )
    with psycopg.connect(url) as conn:
        after = conn.execute("SELECT count(*) FROM ingest_indicatorvalue").fetchone()[0]
    return done.returncode == 1 and after == before, len(good) - 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=20, help="years of values (default 20)")
    parser.add_argument("--last-year", type=int, default=LAST_YEAR)
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--warm", type=int, default=10, help="warm requests per answer")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the site on a database kept before"
    )
    parser.add_argument("--child", nargs=3, metavar=("FOLDER", "LAST_YEAR", "YEARS"))
    args = parser.parse_args()

    if args.child:
        child_import(Path(args.child[0]), int(args.child[1]), int(args.child[2]))
        return 0

    folder = Path(tempfile.mkdtemp(prefix="naravard-store-bench-"))
    failed = []
    report: dict = {}
    try:
        if not args.reuse:
            recreate(args.database)
            env = naravard_env(args.database)
            migrate = subprocess.run(
                [sys.executable, "-m", "naravard.cli", "migrate"],
                env=env,
                capture_output=True,
                text=True,
            )
            if migrate.returncode:
                sys.exit(f"error: naravard migrate failed:\n{migrate.stderr}")
            print(f"Writing, importing and releasing {args.years} years …", file=sys.stderr)
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(folder),
                    str(args.last_year),
                    str(args.years),
                ],
                env=dict(env, DJANGO_SETTINGS_MODULE="naravard.settings"),
                capture_output=True,
                text=True,
            )
            if done.returncode:
                sys.exit(f"error: the import failed:\n{done.stderr[-3000:]}")
            report = json.loads(done.stdout.strip().splitlines()[-1])
            print(json.dumps(report), file=sys.stderr)
            ok, rows = refused_file(folder, args.database, report["files"])
            report["refused_ok"], report["refused_rows"] = ok, rows
            if not ok:
                failed.append("the malformed file was not refused whole")
        print("Serving …", file=sys.stderr)
        site, memory, ready = measure_site(args.database, args.warm, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if not args.keep:
            recreate(args.database, drop_only=True)

    print(f"\nThe store: {args.years} years up to {args.last_year}, on PostgreSQL.")
    if report:
        print(
            f"Files: {report['written_values']:,} values in {len(report['files'])} files, "
            f"written in {report['writing']:.1f} s."
        )
        print(
            f"Import: {report['stored']:,} current values stored in {report['importing']:.1f} s "
            f"({len(report['imports'])} files, and the values derived from them), peak "
            f"{report['peak_mb']:.0f} MB; a file of {report['refused_rows']:,} rows with one "
            f"malformed row: {'refused, nothing stored' if report['refused_ok'] else 'FAILED'}."
        )
        print(f"Release: {report['releases']:,} periods in {report['releasing']:.1f} s.")
    print(
        f"Server: listening after {memory['listening_s']:.1f} s ({ready.strip()}); "
        f"{memory['processes']} processes (the parent and its forked workers), largest peak "
        f"{memory['largest_peak_mb']:.0f} MB, peaks summed {memory['sum_of_peaks_mb']:.0f} MB "
        f"(pages shared after the fork counted once per process); after the answers "
        f"{memory['pss_mb']:.0f} MB in all, each shared page counted once (PSS; goal "
        f"< {GOAL_SERVER_MB:.0f} MB: {'met' if memory['pss_mb'] < GOAL_SERVER_MB else 'MISSED'})."
    )
    print(
        f"\n{'answer':38} {'cold ms':>9} {'warm ms':>9} {'bytes':>11} {'streamed':>9} "
        f"{'grew MB':>8}  goal"
    )
    for row in site:
        met = row["cold"] < GOAL_COLD_S and row["warm"] < GOAL_WARM_S
        print(
            f"{row['name']:38} {row['cold'] * 1000:9.0f} {row['warm'] * 1000:9.1f} "
            f"{row['bytes']:11,} {'yes' if row['streamed'] else 'no':>9} "
            f"{row['grown_mb']:8.1f}  {'met' if met else 'MISSED'}"
        )
    print(f"(goals: cold < {GOAL_COLD_S * 1000:.0f} ms, warm < {GOAL_WARM_S * 1000:.0f} ms)")
    print(f"The PxWeb query: {memory['pxweb_note']}.")
    for problem in failed:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

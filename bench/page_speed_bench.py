"""How fast every public page answers, cold and warm, against a static file in the same run.

    python bench/page_speed_bench.py                      # both stores, built afresh
    python bench/page_speed_bench.py --data-dir /tmp/d    # keep (and reuse) them there
    python bench/page_speed_bench.py --store demo         # only the demo's

Measures two stores: the demo database (``naravard demo --no-serve``, as bench/web_bench.py
builds it, about 150 000 indicator values) and one with ten times its values (the same with
``--earlier-years 45``: every series carried fifty years back, demo/store.py). Each is served
with ``naravard serve``, no nginx in front, which readies the public pages before it listens
and again after each release (site/warm.py). For each public page:

* **cold after start**: the server is started afresh and the page is the first request it
  answers;
* **cold after a release**: with the server running and warm, a period is released again
  (``naravard publish release``, which changes what is public and so empties the public
  cache), and the page is the first request after it, two seconds later (the server sees
  another process's release within a second and readies the pages again);
* **warm**: the median of 20 requests after those.

The static file ``/static/naravard/site.css`` (served by the application's WhiteNoise) is
measured the same way in the same run, as the baseline. Prints a table with the times and
PASS/FAIL against issue 21's goals: every page under 300 ms cold and under 50 ms warm.
The exit status is 0 only when every page meets both.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from web_bench import (  # noqa: E402  (the benchmark next door: processes, ports, the demo)
    Processes,
    app_env,
    build_demo,
    fetch,
    free_port,
    naravard_python,
    wait_for_port,
)

PAGES = (
    "/",
    "/en/region/01/",
    "/regioner/",
    "/region/01/",
    "/kommun/0180/",
    "/statistik/named_doctor_share/",
    "/statistik/readmission_30d/?niva=municipality",
    "/jamfor/?region=01&kommun=0180&grupp=A1&indikator=named_doctor_share",
    "/tema/mobila_team/",
    "/statistik/named_doctor_share/kvalitet/",
    "/publiceringskalender/",
    "/sok/?q=v%C3%A5rdgaranti",
)
STATIC = "/static/naravard/site.css"
COLD_MS, WARM_MS = 300.0, 50.0
WARM_REQUESTS = 20
RELEASED = ("named_doctor_share", "2023")  # released again to empty the public cache
STORES = {  # name: naravard demo's options
    "demo": (),
    "ten times the demo": ("--no-reports", "--earlier-years", "45"),
}
AFTER_RELEASE_SECONDS = 2.0
START_SECONDS = 900.0  # the server readies the pages before it listens: a minute at ten times


def timed(url: str) -> float:
    """Milliseconds for one GET, which must answer 200."""
    start = time.perf_counter()
    status, _headers, _body = fetch(url)
    took = (time.perf_counter() - start) * 1000
    if status != 200:
        sys.exit(f"error: {url} answered {status}")
    return took


def serve(procs: Processes, python: str, db: Path, log: Path) -> tuple[str, object]:
    port = free_port()
    proc = procs.start(
        "naravard serve",
        [python, "-m", "naravard.cli", "serve", "--port", str(port)],
        log,
        env=app_env(db),
    )
    wait_for_port(port, proc, log, "naravard serve", limit=START_SECONDS)
    return f"http://127.0.0.1:{port}", proc


def measure(python: str, db: Path, tmp: Path) -> list[list]:
    """Rows of page, cold after start, cold after a release, warm (ms); the static file first."""
    procs = Processes()
    rows = []
    try:
        for path in (STATIC, *PAGES):
            base, _proc = serve(procs, python, db, tmp / "app.log")
            cold = timed(base + path)
            warm = statistics.median(timed(base + path) for _ in range(WARM_REQUESTS))
            procs.stop_all()
            rows.append([path, cold, None, warm])
        base, _proc = serve(procs, python, db, tmp / "app.log")
        for path in PAGES:
            timed(base + path)  # warm every page first
        for row in rows[1:]:
            subprocess.run(
                [python, "-m", "naravard.cli", "publish", "release", RELEASED[0]]
                + ["--period", RELEASED[1], "--note", "page speed bench"],
                env=app_env(db),
                check=True,
                capture_output=True,
            )
            time.sleep(AFTER_RELEASE_SECONDS)
            row[2] = timed(base + row[0])
    finally:
        procs.stop_all()
    return rows


def report(store: str, rows: list[list]) -> int:
    """Prints the store's table; returns how many pages missed the goal."""
    static_warm = rows[0][3]
    print(f"\n{store}")
    print(f"{'page':<72} {'cold':>8} {'release':>8} {'warm':>7} {'×static':>8}  verdict")
    failed = 0
    for path, cold, after, warm in rows:
        worst_cold = max(cold, after or 0)
        ok = path == STATIC or (worst_cold < COLD_MS and warm < WARM_MS)
        failed += not ok
        print(
            f"{path:<72} {cold:8.1f} {after or 0:8.1f} {warm:7.1f} {warm / static_warm:8.1f}  "
            f"{'PASS' if ok else 'FAIL'}"
        )
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="keep the stores here and reuse them")
    parser.add_argument("--store", choices=sorted(STORES), action="append", help="only this one")
    args = parser.parse_args()
    python = naravard_python()
    tmp = Path(tempfile.mkdtemp(prefix="naravard-page-speed-"))
    failed = 0
    for store in args.store or STORES:
        db = build_demo(python, (args.data_dir or tmp) / store.replace(" ", "-"), STORES[store])
        failed += report(store, measure(python, db, tmp))
    print(
        f"\ngoal: every page under {COLD_MS:.0f} ms cold (after start and after a release) and "
        f"{WARM_MS:.0f} ms warm; {failed} page(s) missed it"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

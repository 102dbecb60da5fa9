"""Throughput of the PxWeb API's output formats for the largest table, against its JSON-stat 2.0
output in the same run.

    python bench/pxweb_formats_bench.py [--rounds 5]     # a fresh SQLite database

The table: 30-day readmissions for the nation, 21 regions and 290 municipalities × 3 sexes ×
the value and its 95 % interval × 20 released years (56 160 cells, each selected with ``*``).
Each format is asked for once to warm the caches, then ``--rounds`` times; the figure is the
median time per request and the cells per second, with the ratio to JSON-stat (above 1 is
faster). Requests go through Django's test client in this process (no network, no server)
with the public response cache off, so the figures are the application's own work.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

INDICATOR = "readmission_30d"
YEARS = range(2005, 2025)
FORMATS = ("json-stat2", "csv", "parquet", "xlsx", "px", "json-px", "html")


def _import_and_release(folder: Path) -> None:
    from naravard.ingest.importer import import_file
    from naravard.publish.releases import release
    from naravard.refdata import files

    rng = random.Random(20)
    lines = ["org,period,sex,numerator,denominator"]
    areas = [m.code for m in files.municipalities()]
    for year in YEARS:
        by_region: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for code in areas:
            region = next(m.region_code for m in files.municipalities() if m.code == code)
            women, men = rng.randint(20, 400), rng.randint(20, 400)
            for sex, n in (("K", women), ("M", men), ("T", women + men)):
                d = 1000 if sex != "T" else 2000
                lines.append(f"{code},{year},{sex},{n},{d}")
                by_region.setdefault((region, sex), []).append((n, d))
        for (region, sex), counts in by_region.items():
            n, d = sum(c[0] for c in counts), sum(c[1] for c in counts)
            lines.append(f"{region},{year},{sex},{n},{d}")
    path = folder / "readmissions.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    import_file(path, INDICATOR, actor="bench")
    for year in YEARS:
        release(INDICATOR, str(year), actor="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pxweb-formats-bench-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        NARAVARD_SECRET_KEY="bench-" + "x" * 40,
        NARAVARD_PXWEB_MAX_CALLS="1000000",
    )
    from naravard.commands.django_setup import setup

    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from naravard.site import caching

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    caching.MAX_BODY = -1  # the public cache keeps no answer: each request does the work
    _import_and_release(folder)
    client = Client()
    query = {f"valueCodes[{v}]": "*" for v in ("Region", "Kon", "ContentsCode", "Tid")}
    url = f"/api/v2/tables/{INDICATOR}/data"
    first = client.get(url, {**query, "outputFormat": "json-stat2"})
    assert first.status_code == 200, first.content[:300]
    cells = len(first.json()["value"])
    print(f"{INDICATOR}: {cells} cells; median of {args.rounds} requests after one to warm up")
    print(f"{'format':<11} {'time':>9} {'cells/s':>11} {'size':>10}  vs JSON-stat")
    baseline = None
    for fmt in FORMATS:
        response = client.get(url, {**query, "outputFormat": fmt})
        assert response.status_code == 200, (fmt, response.content[:300])
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            response = client.get(url, {**query, "outputFormat": fmt})
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        baseline = baseline or median
        size = len(response.content)
        print(
            f"{fmt:<11} {median * 1000:7.0f} ms {cells / median:11,.0f} {size / 1e6:7.2f} MB"
            f"  {baseline / median:5.2f}×".replace(",", " ")
        )


if __name__ == "__main__":
    main()

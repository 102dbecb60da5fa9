"""Time syncing one Kolada KPI for all 290 municipalities × 20 years × 3 sexes (17 400 values)
from a local Kolada v3 server, against importing the same values from a CSV file in the same
run; then a second sync of the unchanged source. Counts the requests each sync made.

    python bench/sources_bench.py            # a fresh SQLite database in a temporary folder

Goal (issue 19): paging and conditional requests keep the second, unchanged sync to one request
per source. Nothing here asserts it; the figures are printed.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

KPI, INDICATOR = "N00000", "readmission_30d"
YEARS = range(2005, 2025)
PER_PAGE = 5000


def _server(municipalities: list[str]):
    """A Kolada v3 server for one KPI: /kpi/{id} with an ETag (304 when asked with it), and
    /data paged as Kolada pages (next_url a full URL)."""
    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    rng = random.Random(19)
    items = [
        {
            "kpi": KPI,
            "municipality": m,
            "period": year,
            "values": [
                {"gender": g, "count": 1, "status": "", "value": round(rng.uniform(5, 25), 2)}
                for g in ("T", "K", "M")
            ],
        }
        for m in municipalities
        for year in YEARS
    ]
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    etag = '"v1"'

    def kpi(request):
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        body = {"count": 1, "values": [{"id": KPI, "title": "Bench", "municipality_type": "K"}]}
        return Response(json.dumps(body), content_type="application/json", headers={"ETag": etag})

    def data(request):
        page = int(request.args.get("page", 1))
        per = min(PER_PAGE, int(request.args.get("per_page", PER_PAGE)))
        shown = items[(page - 1) * per : page * per]
        more = page * per < len(items)
        following = server.url_for("/v3/data") + f"?kpi_id={KPI}&page={page + 1}&per_page={per}"
        body = {"count": len(items), "values": shown, "next_url": following if more else None}
        return Response(json.dumps(body), content_type="application/json")

    server.expect_request(f"/v3/kpi/{KPI}").respond_with_handler(kpi)
    server.expect_request("/v3/data").respond_with_handler(data)
    return server, items


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="sources-bench-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        NARAVARD_SECRET_KEY="bench-" + "x" * 40,
    )
    from naravard.commands.django_setup import setup

    setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from naravard.refdata.models import Municipality
    from naravard.sources.registry import load
    from naravard.sources.sync import sync_source

    municipalities = list(Municipality.objects.values_list("code", flat=True))
    server, items = _server(municipalities)
    registry = folder / "sources.yaml"
    registry.write_text(
        f"""sources:
  - id: bench
    name: {{sv: Bench, en: Bench}}
    publisher: bench
    licence: CC0
    updated: yearly
    kind: kolada
    url: {server.url_for("/v3")}
    kpis: {{{KPI}: {INDICATOR}}}
    years: "{YEARS[0]}-{YEARS[-1]}"
""",
        encoding="utf-8",
    )
    (source,) = load(registry).values()
    values = len(items) * 3

    # the baseline: the same values imported from a CSV file
    from naravard.ingest.importer import import_file
    from naravard.ingest.models import IndicatorValue

    lines = ["org,period,sex,value"] + [
        f"{i['municipality']},{i['period']},{v['gender']},{v['value'] + 1}"
        for i in items
        for v in i["values"]
    ]
    csv = folder / "baseline.csv"
    csv.write_text("\n".join(lines), encoding="utf-8")
    started = time.perf_counter()
    import_file(csv, INDICATOR, actor="bench")
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    first = sync_source(source, actor="bench")
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = sync_source(source, actor="bench")
    second_s = time.perf_counter() - started
    server.stop()
    stored = IndicatorValue.objects.filter(indicator_id=INDICATOR, is_current=True).count()
    print(f"{len(municipalities)} municipalities × {len(YEARS)} years × 3 sexes = {values} values")
    print(f"baseline, the same values from a CSV file: {baseline:.2f} s")
    print(
        f"first sync: {first.result}, {first.changed} changed, {first.requests} requests, "
        f"{first_s:.2f} s ({first_s / baseline:.2f}× the file import)"
    )
    print(
        f"second sync (unchanged): {second.result}, {second.requests} request(s), {second_s:.3f} s"
    )
    print(f"values current in the store: {stored}")
    goal = second.requests == 1 and first.result == "stored" and stored == values
    print(f"goal, one request for an unchanged source: {'PASS' if goal else 'FAIL'}")
    sys.exit(0 if goal else 1)


if __name__ == "__main__":
    main()

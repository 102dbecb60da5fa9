"""naravard's own open data read back by its source readers: the Kolada face (/kolada/v3/) and
the PxWeb face (/api/v2/), served by a live test server, give exactly the stored values."""

from __future__ import annotations

import pytest

from naravard.ingest.models import IndicatorValue
from naravard.sources.fetch import Fetcher
from naravard.sources.kolada import Kolada
from naravard.sources.pxweb import PxWeb2
from naravard.sources.registry import load
from naravard.sources.sync import sync_source

pytestmark = pytest.mark.django_db(transaction=True)


def registry(tmp_path, text: str):
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


COMMON = """
    publisher: naravard
    licence: CC BY 4.0
    updated: yearly
    name: {sv: Namngiven läkare, en: Named doctor}
"""


def kolada_source(tmp_path, url: str):
    return registry(
        tmp_path,
        f"""
sources:
  - id: egen-kolada
    kind: kolada
    url: {url}/kolada/v3
    kpis: {{named_doctor_share: named_doctor_share}}
    years: "2020-2022"
{COMMON}""",
    )["egen-kolada"]


def pxweb_source(tmp_path, url: str):
    return registry(
        tmp_path,
        f"""
sources:
  - id: egen-pxweb
    kind: pxweb2
    url: {url}/api/v2
    table: named_doctor_share
    selection: {{Region: "*", Kon: "*", ContentsCode: [value], Tid: "*"}}
    columns: {{org: Region, period: Tid, sex: Kon, measure: ContentsCode}}
    measures: {{value: named_doctor_share}}
{COMMON}""",
    )["egen-pxweb"]


def stored_2021() -> dict[tuple[str, str], float]:
    return {
        (v.org_code, v.sex): v.value
        for v in IndicatorValue.objects.filter(
            indicator_id="named_doctor_share", period="2021-12-31", is_current=True
        )
    }


def same_as_stored(read: dict[tuple[str, str], float]) -> None:
    """Every value read is the stored one, exactly; only the cells disclosure control hides
    (Jönköping's three women, and the cells that would give them away) are missing."""
    stored = stored_2021()
    regions = {k: v for k, v in read.items() if k[0] != "00"}
    assert regions and all(value == stored[key] for key, value in regions.items())
    assert ("06", "K") not in regions and len(regions) >= len(stored) - 4


def test_the_kolada_reader_gives_back_the_stored_values(
    live_server, released_named_doctor, tmp_path
):
    source = kolada_source(tmp_path, live_server.url)
    with Fetcher() as fetcher:
        cells = list(Kolada(source, fetcher).cells())
    same_as_stored({(c.org, c.sex): float(c.value) for c in cells if c.value})
    assert {c.period for c in cells} == {"2021"}  # 2022 is not released
    hidden = [c for c in cells if c.org == "06" and c.sex == "K"]
    assert hidden and hidden[0].value == ""


def test_the_pxweb_reader_gives_back_the_stored_values(
    live_server, released_named_doctor, tmp_path
):
    source = pxweb_source(tmp_path, live_server.url)
    with Fetcher() as fetcher:
        cells = list(PxWeb2(source, fetcher).cells())
    sexes = {"1": "M", "2": "K", "1+2": "T"}
    same_as_stored({(c.org, sexes[c.sex]): float(c.value) for c in cells if c.value})


@pytest.mark.parametrize("make", [kolada_source, pxweb_source])
def test_a_second_sync_of_an_unchanged_source_costs_one_request(
    make, live_server, released_named_doctor, tmp_path
):
    source = make(tmp_path, live_server.url)
    before = stored_2021()
    first = sync_source(source, actor="test")
    # the values are the same; the open data give no numerators, and the nation's value
    # (pooled from the regions) is new to the store
    assert first.result == "stored", first.line()
    after = stored_2021()
    assert all(after[key] == value for key, value in before.items())
    assert first.sync is not None and first.sync.responses.count() == first.requests
    assert first.sync.batch is not None and first.sync.batch.file_name == f"källa {source.id}"
    second = sync_source(source, actor="test")
    assert second.result == "unchanged" and second.requests == 1, second.line()
    assert stored_2021() == after


def test_a_json_stat_file_at_a_url_is_read_as_published(
    live_server, released_named_doctor, tmp_path
):
    """naravard's own PxWeb data answer, fetched as a JSON-stat 2.0 file at a URL."""
    url = (
        f"{live_server.url}/api/v2/tables/named_doctor_share/data?lang=sv&outputFormat=json-stat2"
        "&valueCodes[Region]=*&valueCodes[Kon]=*&valueCodes[ContentsCode]=value&valueCodes[Tid]=*"
    )
    source = registry(
        tmp_path,
        f"""
sources:
  - id: egen-fil
    kind: jsonstat
    url: "{url}"
    columns: {{org: Region, period: Tid, sex: Kon, measure: ContentsCode}}
    measures: {{value: named_doctor_share}}
{COMMON}""",
    )["egen-fil"]
    from naravard.sources.files import JsonStatFile

    with Fetcher() as fetcher:
        reader = JsonStatFile(source, fetcher)
        reader.probe(None)
        cells = list(reader.cells())
    sexes = {"1": "M", "2": "K", "1+2": "T"}
    same_as_stored({(c.org, sexes[c.sex]): float(c.value) for c in cells if c.value})
    dry = sync_source(source, actor="test", dry_run=True)
    assert dry.result == "dry-run" and dry.refused == 0 and dry.sync is None

"""`naravard sources list | check | sync`, the registry's check at start, and the analysts'
overview of the sources."""

from __future__ import annotations

import pytest

from naravard.core.checks import failed_checks
from naravard.sources.registry import ENV, RegistryError, load

pytestmark = pytest.mark.django_db

CSV = "Region;Månad;Andel\nRegion Stockholm;2023-01;81,5\n"


@pytest.fixture
def registry(tmp_path, monkeypatch, httpserver):
    """A registry of two sources on a local server: a CSV export that works and a PxWeb
    table that is not there."""
    httpserver.expect_request("/export.csv").respond_with_data(
        CSV.encode(), content_type="text/csv"
    )
    httpserver.expect_request("/api/v2/tables/TAB1").respond_with_json(
        {"type": "Parameter error", "title": "Non-existent table", "status": 404}, status=404
    )
    path = tmp_path / "sources.yaml"
    common = (
        "publisher: test\n    licence: CC0\n    updated: monthly\n    name: {sv: Test, en: Test}"
    )
    path.write_text(
        f"""sources:
  - id: saknad-tabell
    kind: pxweb2
    url: {httpserver.url_for("/api/v2")}
    table: TAB1
    selection: {{Region: "*", Tid: "*"}}
    columns: {{org: Region, period: Tid}}
    indicator: care_guarantee_3d
    {common}
  - id: vantetider
    kind: table
    format: csv
    url: {httpserver.url_for("/export.csv")}
    indicator: care_guarantee_3d
    columns: {{org: Region, period: Månad, value: Andel}}
    {common}
""",
        encoding="utf-8",
    )
    monkeypatch.setenv(ENV, str(path))
    return path


def test_one_failing_source_does_not_stop_the_others_and_the_exit_says_so(cli, registry):
    result = cli("sources", "sync")
    assert result.returncode == 1
    assert "vantetider: lagrade: nya 1, ändrade 0" in result.stdout
    (failing,) = [line for line in result.stderr.splitlines() if line.startswith("saknad-tabell")]
    assert "misslyckades" in failing and "Non-existent table" in failing


def test_a_dry_run_stores_nothing(cli, registry):
    from naravard.ingest.models import IndicatorValue
    from naravard.sources.models import Sync

    result = cli("sources", "sync", "vantetider", "--dry-run")
    assert result.returncode == 0 and "provkörning, inget lagrat: nya 1," in result.stdout
    assert not IndicatorValue.objects.exists() and not Sync.objects.exists()


def test_list_names_each_source_and_its_last_sync(cli, registry):
    cli("sources", "sync", "vantetider")
    lines = cli("sources", "list").stdout.splitlines()
    assert lines[0].startswith("saknad-tabell\tpxweb2\tmonthly\taldrig hämtad")
    assert lines[1].startswith("vantetider\ttable\tmonthly\t") and "stored" in lines[1]


def test_check_reaches_the_source_and_stores_nothing(cli, registry):
    ok = cli("sources", "check", "vantetider")
    assert ok.returncode == 0 and "1 värden" in ok.stdout and "OK" in ok.stdout
    bad = cli("sources", "check", "saknad-tabell")
    assert bad.returncode == 1 and "Non-existent table" in bad.stderr
    unknown = cli("sources", "sync", "finns-inte")
    assert unknown.returncode == 1 and "ingen källa 'finns-inte'" in unknown.stderr


def test_the_shipped_registry_loads_and_names_catalogue_indicators():
    shipped = load()
    assert shipped["kolada-fortroende"].indicators == ["trust_in_health_care"]
    assert shipped["scb-folkmangd"].target == "population"


@pytest.mark.parametrize(
    "change, message",
    [
        ("indicator: care_guarantee_3d", "either one indicator"),  # with measures as well
        ("", "'kind' is a required property"),
    ],
)
def test_a_registry_that_does_not_fit_is_refused_naming_the_entry(tmp_path, change, message):
    entry = (
        "  - id: xx\n    name: {sv: X, en: X}\n    publisher: p\n    licence: l\n"
        "    updated: yearly\n    url: https://example.org/api/v2\n    table: T\n"
        "    selection: {Region: '*', Tid: '*', ContentsCode: '*'}\n"
        "    columns: {org: Region, period: Tid, measure: ContentsCode}\n"
        "    measures: {a: care_guarantee_3d}\n"
    )
    if change:
        entry += f"    kind: pxweb2\n    {change}\n"
    path = tmp_path / "s.yaml"
    path.write_text("sources:\n" + entry, encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        load(path)


@pytest.mark.parametrize(
    "mapping, message",
    [
        ("{U1: no_such_indicator}", "no indicator 'no_such_indicator'"),
        ("{U1: doctors_regional_primary_care_per_100k}", "is derived by naravard"),
    ],
)
def test_the_start_check_names_an_indicator_the_catalogue_does_not_import(
    tmp_path, monkeypatch, mapping, message
):
    path = tmp_path / "s.yaml"
    path.write_text(
        "sources:\n  - id: kk\n    kind: kolada\n    name: {sv: K, en: K}\n    publisher: p\n"
        f"    licence: l\n    updated: yearly\n    url: https://api.kolada.se/v3\n"
        f"    years: '2020-'\n    kpis: {mapping}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(ENV, str(path))
    errors = [e for e in failed_checks() if e.id == "naravard.E040"]
    assert errors and message in errors[0].msg


def test_the_analysts_overview_shows_each_sources_last_sync_and_what_waits(
    cli, registry, client, make_user
):
    cli("sources", "sync")
    client.force_login(make_user("ana", "analyst"))
    page = client.get("/konto/oversikt/").content.decode()
    assert 'id="sources"' in page
    table = page[page.index('id="sources"') :]
    row = table[table.index("vantetider") :]
    assert "lagrade nya eller ändrade värden" in row[:600]
    failing = table[table.index("saknad-tabell") :]
    assert "misslyckades" in failing[:600] and "Non-existent table" in failing[:600]

"""Reference data on the command line: regions and municipalities as CSV, names resolved to codes
(no database needed), run in this process."""

import csv
import io


def test_regions_as_csv_code_first(cli):
    out = cli("refdata", "regions", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert out.stdout.splitlines()[0].startswith("code,")
    assert len(rows) == 21
    assert rows[0]["code"] == "01" and rows[0]["county_name"] == "Stockholms län"
    assert sum(int(r["n_municipalities"]) for r in rows) == 290


def test_municipalities_as_csv_code_first(cli):
    out = cli("refdata", "municipalities", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert out.stdout.splitlines()[0].startswith("code,")
    assert len(rows) == 290
    assert {r["code"] for r in rows if r["county_code"] == "09"} == {"0980"}


def test_municipalities_of_one_region_by_name(cli):
    out = cli("refdata", "municipalities", "--format", "csv", "--region", "Sörmland")
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == 1 + 9


def test_resolve_prints_the_code(cli):
    out = cli("refdata", "resolve", "Region Jämtland Härjedalen")
    assert (out.returncode, out.stdout) == (0, "23\n")


def test_resolve_refuses_unknown_with_suggestions(cli):
    out = cli("refdata", "resolve", "Götaland")
    assert out.returncode == 1
    assert out.stdout == ""
    assert "Götaland" in out.stderr and "Gotlands län" in out.stderr


def test_resolve_refuses_ambiguous_and_accepts_level(cli):
    out = cli("refdata", "resolve", "Stockholm")
    assert out.returncode == 1 and "ambiguous" in out.stderr
    out = cli("refdata", "resolve", "Stockholm", "--level", "municipality")
    assert (out.returncode, out.stdout) == (0, "0180\n")

"""The command line, run as a user would run it (a subprocess of the installed script)."""

import csv
import io
import subprocess
import sys


def naravard(*args, **kw):
    return subprocess.run(
        [sys.executable, "-m", "naravard.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        **kw,
    )


def test_regions_as_csv_code_first():
    out = naravard("refdata", "regions", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert out.stdout.splitlines()[0].startswith("code,")
    assert len(rows) == 21
    assert rows[0]["code"] == "01" and rows[0]["county_name"] == "Stockholms län"
    assert sum(int(r["n_municipalities"]) for r in rows) == 290


def test_municipalities_as_csv_code_first():
    out = naravard("refdata", "municipalities", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert out.stdout.splitlines()[0].startswith("code,")
    assert len(rows) == 290
    assert {r["code"] for r in rows if r["county_code"] == "09"} == {"0980"}


def test_municipalities_of_one_region_by_name():
    out = naravard("refdata", "municipalities", "--format", "csv", "--region", "Sörmland")
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == 1 + 9


def test_resolve_prints_the_code():
    out = naravard("refdata", "resolve", "Region Jämtland Härjedalen")
    assert (out.returncode, out.stdout) == (0, "23\n")


def test_resolve_refuses_unknown_with_suggestions():
    out = naravard("refdata", "resolve", "Götaland")
    assert out.returncode == 1
    assert out.stdout == ""
    assert "Götaland" in out.stderr and "Gotlands län" in out.stderr


def test_resolve_refuses_ambiguous_and_accepts_level():
    out = naravard("refdata", "resolve", "Stockholm")
    assert out.returncode == 1 and "ambiguous" in out.stderr
    out = naravard("refdata", "resolve", "Stockholm", "--level", "municipality")
    assert (out.returncode, out.stdout) == (0, "0180\n")


def test_refusal_to_start_without_secret_key_outside_demo(tmp_path):
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_SECRET_KEY", "NARAVARD_DEMO", "DJANGO_SETTINGS_MODULE")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/x.sqlite3"
    out = naravard("migrate", env=env)
    assert out.returncode != 0 and "NARAVARD_SECRET_KEY" in out.stderr
    env["NARAVARD_SECRET_KEY"] = "naravard-demo-only-not-secret"
    out = naravard("migrate", env=env)
    assert out.returncode != 0 and "demo secret key" in out.stderr

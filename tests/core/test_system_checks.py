"""The system checks run clean on what is shipped, and a failing check stops 'naravard
migrate' and 'naravard serve' with one line per error and exit code 1."""

import socket

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import translation
from typer.testing import CliRunner

from naravard import server
from naravard.catalog import units
from naravard.cli import app
from naravard.core.checks import TAG, error, one_line

OWN_CHECKS = {
    "catalogue_loads",
    "units_cover_catalogue",
    "unit_rows_complete",
    "definitions_in_catalogue",
    "computed_indicators_defined",
    "care_region_breakdown_in_catalogue",
    "urls_decided",
    "decisions_used",
}


@pytest.fixture
def language():
    """The command line switches to English; the test leaves the language as it found it."""
    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture
def without_ratio(monkeypatch):
    """The units table without the ratio row the continuity indicators use (naravard.E001)."""
    monkeypatch.setattr(units, "UNITS", {k: v for k, v in units.UNITS.items() if k != "ratio"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_shipped_facts_pass_every_check():
    registered = {c.__name__ for c in checks.registry.registry.get_checks() if TAG in c.tags}
    assert registered >= OWN_CHECKS
    call_command("check")


def test_a_check_message_reads_as_one_line():
    message = error(7, "Unit 'x' has no label.", "Add one in units.py.", obj="x")
    assert message.id == "naravard.E007"
    assert one_line(message) == "naravard.E007: Unit 'x' has no label. (hint: Add one in units.py.)"


def test_the_check_command_fails_on_a_broken_fact(without_ratio):
    with pytest.raises(SystemCheckError, match="naravard.E001"):
        call_command("check")


@pytest.mark.parametrize(
    "command, started", [("migrate", "Database up to date"), ("serve", "naravard at http")]
)
def test_migrate_and_serve_stop_at_a_failing_check(
    without_ratio, language, monkeypatch, command, started
):
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: pytest.fail("it served"))
    args = ["serve", "--port", str(free_port())] if command == "serve" else [command]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines == [
        "error: naravard.E001: Unit 'ratio', used by continuity_upc, continuity_coc, has no row "
        "in the units table. (hint: Add a Unit('ratio', …) row to UNITS in "
        "src/naravard/catalog/units.py, or correct the unit in indicators.yaml.)"
    ]
    assert started not in result.output

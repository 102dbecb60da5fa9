"""The layers hold: no package imports one above it (pyproject.toml's import-linter contract,
run in process so that a plain pytest run fails on a back-edge too)."""

from __future__ import annotations

import re
from pathlib import Path

from importlinter.cli import EXIT_STATUS_ERROR, EXIT_STATUS_SUCCESS, lint_imports

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _lint(config: Path, capfd) -> tuple[int, str]:
    """import-linter's exit status and report for a configuration file."""
    status = lint_imports(config_filename=str(config), no_cache=True, no_logo=True)
    return status, capfd.readouterr().out


def test_no_package_imports_a_layer_above_it(capfd):
    status, report = _lint(PYPROJECT, capfd)
    assert status == EXIT_STATUS_SUCCESS, report
    kept = re.search(r"Contracts: (\d+) kept, 0 broken", report)
    assert kept and int(kept[1]) >= 1, report


def test_a_back_edge_breaks_the_contract(tmp_path, capfd):
    """The check sees imports: with core put above refdata, refdata's use of core breaks it."""
    config = tmp_path / "layers.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "naravard"\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "core above refdata (wrong on purpose)"\n'
        'type = "layers"\n'
        'layers = ["naravard.core", "naravard.refdata"]\n'
    )
    status, report = _lint(config, capfd)
    assert status == EXIT_STATUS_ERROR
    assert "naravard.refdata" in report and "BROKEN" in report, report

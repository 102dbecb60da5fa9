"""Time building the annual reports of the demo (follow-ups 2020 and 2022, with the analysts'
text the demo ships and the synthetic register's indicators): each whole build with the PDF
against the same build without it, in one run, and the stages inside it.

    python bench/report_bench.py                  # builds the demo database first (~90 s)
    python bench/report_bench.py --data-dir D     # reuse a demo database in D
    python bench/report_bench.py --round 2022     # one follow-up only

Target (issues 7, 17 and 18): each full report (21 profiles, its figures and tables, the
tagged PDF) in under 60 s on this machine. Nothing here asserts it; the figures are printed
with the report's pages, figures and tables.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NARAVARD_DEMO")}
    env.update(
        DATABASE_URL=f"sqlite:///{data_dir / 'demo.sqlite3'}",
        NARAVARD_SECRET_KEY="bench-" + "x" * 40,
    )
    return env


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")
    return seconds, done.stderr + done.stdout


def _stages(data_dir: Path, name: str) -> dict[str, float]:
    """Content, charts, HTML and PDF timed inside one process."""
    code = f"""
import time, json
from pathlib import Path
from naravard.commands.django_setup import setup
setup()
from django.template.loader import render_to_string
from django.utils import translation
from naravard.report import render
from naravard.report.content import build_report
from naravard.report.models import FollowUp
out = {{}}
with translation.override("sv"):
    t = time.perf_counter(); report = build_report(FollowUp.objects.get(name={name!r}))
    out["content"] = time.perf_counter() - t
    t = time.perf_counter()
    with render.ChartDrawer() as drawer:  # as the build draws them: in worker processes
        for f, svg in zip(report.figures, drawer.draw([(f.spec, f.alt) for f in report.figures])):
            f.svg = svg
    out["charts"] = time.perf_counter() - t
    t = time.perf_counter()
    html = render_to_string("report/report.html", {{"report": report, "css": render.report_css(), "for_pdf": True}})
    out["html"] = time.perf_counter() - t
    t = time.perf_counter()
    render.pdf(html, Path({str(data_dir)!r}) / "stages.pdf", base_url={str(data_dir)!r},
               title=report.title, lang="sv", published=report.published)
    out["pdf"] = time.perf_counter() - t
out["figures"] = len(report.figures); out["tables"] = len(report.tables)
out["profiles"] = len(report.profiles)
print(json.dumps(out))
"""
    import json

    done = subprocess.run(
        [sys.executable, "-c", code], env=_env(data_dir), capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="reuse (or build once into) this folder")
    parser.add_argument(
        "--round", action="append", help="a follow-up to build (repeatable; default 2020 and 2022)"
    )
    args = parser.parse_args()
    args.round = args.round or ["2020", "2022"]
    naravard = [sys.executable, "-m", "naravard.cli"]
    with tempfile.TemporaryDirectory(prefix="naravard-report-bench-") as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        if not (data_dir / "demo.sqlite3").exists():
            print(f"Building the demo database in {data_dir} …", flush=True)
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            subprocess.run(
                naravard + ["demo", "--no-serve", "--data-dir", str(data_dir)],
                env=env,
                check=True,
                capture_output=True,
            )
        env = _env(data_dir)
        for name in args.round:
            _bench(naravard, env, data_dir, Path(tmp), name)


def _bench(naravard: list[str], env: dict[str, str], data_dir: Path, tmp: Path, name: str) -> None:
    html_only, _ = _timed(
        naravard
        + ["report", "build", "--round", name, "--out", str(tmp / name / "html"), "--no-pdf"],
        env,
    )
    full, _log = _timed(
        naravard + ["report", "build", "--round", name, "--out", str(tmp / name / "full")], env
    )
    pages = subprocess.run(
        ["pdfinfo", str(tmp / name / "full" / "report.pdf")], capture_output=True, text=True
    ).stdout
    n_pages = next(
        (line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?"
    )
    stages = _stages(data_dir, name)
    print()
    print(
        f"naravard report build --round {name} (demo with the synthetic register), "
        f"{stages['profiles']} profiles, {stages['figures']} figures, {stages['tables']} "
        f"tables, {n_pages} PDF pages"
    )
    print(f"{'run':<44}{'seconds':>9}")
    print(f"{'HTML and CSV only (--no-pdf), baseline':<44}{html_only:>9.1f}")
    print(
        f"{'full build with the PDF':<44}{full:>9.1f}   "
        f"{'PASS' if full < TARGET_SECONDS else 'FAIL'} (target < {TARGET_SECONDS:.0f} s)"
    )
    print(f"{'  PDF share of the full build':<44}{full - html_only:>9.1f}")
    print(
        "stages (one build, its charts in worker processes): "
        + ", ".join(f"{k} {stages[k]:.1f} s" for k in ("content", "charts", "html", "pdf"))
    )


if __name__ == "__main__":
    main()

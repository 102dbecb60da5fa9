"""Precision and recall of the suggested theme codes, against a baseline that matches the
frame's terms only as whole words, without stems or compound parts; also the stage's accuracy.

Two labelled sets: the passages written alongside the frame's terms, after the report's own
examples (src/naravard/qualitative/data/labelled.yaml), and, as a held-out check, the demo's
status-report passages as the demo's first analyst coded them (data/demo_codes.yaml), written
by another hand without looking at the suggestions. (The stage terms were widened after
reading that set's misses, so its stage figure is optimistic; its theme figures are not.)

    python bench/qualitative_bench.py

Target (issue 8): precision ≥ 0.8 at recall ≥ 0.6. Nothing here asserts it.
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from naravard.qualitative.frame import current_frame  # noqa: E402
from naravard.qualitative.suggest import suggest  # noqa: E402


def suggested_themes(text: str) -> list[str]:
    """The suggested themes (the labelled sets have no sub-themes)."""
    top = {t.id for t in current_frame().themes}
    return [t for t in suggest(text).themes if t in top]


def whole_words(text: str) -> set[str]:
    """The baseline: a theme when one of its terms occurs as whole words, as written."""
    lowered = f" {' '.join(re.findall(r'[0-9a-zåäöéü]+', text.lower()))} "
    return {t.id for t in current_frame().themes if any(f" {term} " in lowered for term in t.terms)}


def score(rows: list[dict], predict) -> tuple[float, float, int, int, int]:
    tp = fp = fn = 0
    for row in rows:
        got, want = set(predict(row["text"])), set(row["themes"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    return (tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0, tp, fp, fn)


def labelled() -> list[dict]:
    data = resources.files("naravard.qualitative").joinpath("data", "labelled.yaml")
    return yaml.safe_load(data.read_text(encoding="utf-8"))


def held_out() -> list[dict]:
    data = resources.files("naravard.demo").joinpath("data", "demo_codes.yaml")
    return [
        {"text": c["quote"], "themes": c["themes"], "stage": c.get("stage")}
        for c in yaml.safe_load(data.read_text(encoding="utf-8"))
        if c["coder"] == "analytiker"
    ]


def report(title: str, rows: list[dict]) -> tuple[float, float]:
    print(f"\n{title}: {len(rows)} passages")
    print(f"{'method':<40}{'precision':>10}{'recall':>8}{'TP':>5}{'FP':>5}{'FN':>5}")
    for name, predict in (
        ("suggestions (stems and compounds)", suggested_themes),
        ("baseline: whole words as written", whole_words),
    ):
        p, r, tp, fp, fn = score(rows, predict)
        print(f"{name:<40}{p:>10.2f}{r:>8.2f}{tp:>5}{fp:>5}{fn:>5}")
    staged = [row for row in rows if row.get("stage")]
    right = sum(suggest(row["text"]).stage == row["stage"] for row in staged)
    print(f"stage right for {right} of {len(staged)} passages that name one")
    p, r, *_ = score(rows, suggested_themes)
    return p, r


def main() -> None:
    frame = current_frame()
    print(
        f"coding frame {frame.id} v{frame.version} ({len(frame.themes)} themes, "
        f"{len(frame.stages)} stages)"
    )
    p, r = report("labelled set (the report's kinds of statements)", labelled())
    print(
        f"target precision >= 0.80 at recall >= 0.60: {'PASS' if p >= 0.8 and r >= 0.6 else 'FAIL'}"
    )
    p, r = report("held out: the demo's coded status reports", held_out())
    print(f"target on the held-out set: {'PASS' if p >= 0.8 and r >= 0.6 else 'FAIL'}")


if __name__ == "__main__":
    main()

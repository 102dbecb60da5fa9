"""Writing a follow-up's report: report.html, report.pdf, every chart's and table's numbers as
CSV in data/, and manifest.json with the SHA-256 of every input table and output file.

The same store gives the same files byte for byte: inputs are read in a fixed order, and the
only date in the content is the follow-up's publication date.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from naravard.collect.models import Round
from naravard.core.errors import Invalid, Refused
from naravard.core.tables import write_csv
from naravard.ingest.models import IndicatorValue
from naravard.qualitative.frame import current_frame
from naravard.qualitative.link import codes_table, factboxes_table
from naravard.refdata.models import Municipality, Population, Region
from naravard.report import alttext, render
from naravard.report.comparison import Delta
from naravard.report.content import Num, Per, Report, build_report
from naravard.report.factcheck import log, publication_blockers
from naravard.report.models import FollowUp, PublishedReport, ReportEventKind
from naravard.report.texts import newest


class ReportError(Invalid):
    """The report cannot be built (unknown round, nothing to build from)."""


@dataclass
class Built:
    report: Report
    files: dict[str, str]  # relative path -> sha256


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _table_digest(header: list[str], rows) -> str:
    return sha256(write_csv(header, [list(r) for r in rows]).encode())


def _round_digest(rnd: Round) -> str:
    answers = [
        [r.org_code, json.dumps(r.submitted_answers, sort_keys=True, ensure_ascii=False)]
        for r in rnd.responses.filter(submitted_answers__isnull=False)
    ]
    return _table_digest(["org", "answers"], sorted(answers))


def input_digests(report: Report) -> dict[str, str]:
    """SHA-256 of every table the report was built from, in a canonical CSV form."""
    f = report.followup
    out = {
        "refdata/regions": _table_digest(
            ["code", "name"], Region.objects.order_by("code").values_list("code", "name")
        ),
        "refdata/municipalities": _table_digest(
            ["code", "name", "region"],
            Municipality.objects.order_by("code").values_list("code", "name", "region_id"),
        ),
        "refdata/population": _table_digest(
            ["year", "region", "municipality", "sex", "age_band", "population"],
            Population.objects.order_by(
                "year", "region_id", "municipality_id", "sex", "age_band"
            ).values_list("year", "region_id", "municipality_id", "sex", "age_band", "population"),
        ),
    }
    # the previous follow-up's survey round: the report compares its shares with it
    compared = report.previous.survey_round if report.previous else None
    for rnd in (f.survey_round, f.status_round, compared):
        if rnd is not None:
            out[f"responses/{rnd.form_id}/round-{rnd.pk}"] = _round_digest(rnd)
            out[f"forms/{rnd.form_id}"] = rnd.form.sha256
    if f.status_round is not None:
        out["codes/frame"] = sha256(repr(current_frame()).encode())
    for rnd in (f.status_round, f.survey_round):  # the coded texts the themes are counted from
        if rnd is not None:
            out[f"codes/round-{rnd.pk}"] = _table_digest(*codes_table(rnd.pk))
            out[f"factboxes/round-{rnd.pk}"] = _table_digest(*factboxes_table(rnd.pk))
    for (key, lang), text in sorted(newest(f).items()):  # the analysts' texts
        out[f"texts/{key}.{lang}" if lang else f"texts/{key}"] = sha256(text.text.encode())
    for indicator_id in sorted(report.indicator_ids):
        rows = (
            IndicatorValue.objects.filter(indicator_id=indicator_id, is_current=True)
            .order_by("period", "org_code", "sex", "age_band")
            .values_list(
                "org_code", "period", "sex", "age_band", "value", "numerator", "denominator"
            )
        )
        out[f"indicators/{indicator_id}"] = _table_digest(
            ["org", "period", "sex", "age_band", "value", "numerator", "denominator"], rows
        )
    return out


def _datum(cell):
    """A table cell as its data file keeps it: numbers and period codes, a change's number
    or why there is none."""
    if isinstance(cell, Delta):
        return cell.datum
    return cell.value if isinstance(cell, (Num, Per)) else cell


def _followup(name: str) -> FollowUp:
    followup = (
        FollowUp.objects.filter(name=name).select_related("survey_round", "status_round").first()
    )
    if followup is None:
        known = ", ".join(FollowUp.objects.values_list("name", flat=True)) or "none"
        raise ReportError(f"no follow-up round {name!r} (known: {known})")
    return followup


def build(name: str, out: Path, lang: str = "sv", pdf: bool = True, override: str = "") -> Built:
    """Build the report of follow-up ``name`` into ``out`` (created if missing);
    ``override`` is the reason for publishing before the fact-check is done."""
    followup = _followup(name)
    if lang not in ("sv", "en"):
        raise ReportError(f"--lang is sv or en, not {lang!r}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    files: dict[str, bytes] = {}
    with (
        translation.override(lang),
        render.ChartDrawer() as drawer,
        render.cycle_collection_paused(),
    ):
        report = build_report(followup, override)
        if report.text_problems:
            raise TypedNumbers(report.text_problems)
        for figure in report.figures:
            figure.alt = figure.alt or alttext.describe(figure)
        drawn = drawer.draw([(figure.spec, figure.alt) for figure in report.figures])
        for figure, drawing in zip(report.figures, drawn, strict=True):
            figure.svg = drawing
        page = {"report": report, "css": render.report_css()}
        html = render_to_string("report/report.html", page)
        # the PDF's drawings as images of the same SVG (see Figure.svg_uri)
        pdf_html = render_to_string("report/report.html", {**page, "for_pdf": True})
        for block in report.blocks():
            prefix = "figur" if block.kind == "figure" else "tabell"
            files[f"data/{prefix}-{block.number:02d}-{block.key}.csv"] = write_csv(
                block.header,
                [[_datum(c) for c in row] for row in block.rows],
            ).encode()
    files["report.html"] = html.encode()
    for font in render.copy_fonts(out / "fonts"):  # the HTML reads the same fonts as the PDF
        files[f"fonts/{font.name}"] = font.read_bytes()
    for rel, data in files.items():
        (out / rel).write_bytes(data)
    digests = {rel: sha256(data) for rel, data in files.items()}
    if pdf:
        render.pdf(
            pdf_html,
            out / "report.pdf",
            base_url=out,
            title=report.title,
            lang=lang,
            published=followup.published_on,
            author=report.publisher,
        )
        digests["report.pdf"] = sha256((out / "report.pdf").read_bytes())
    manifest = {
        "follow_up": followup.name,
        "title": report.title,
        "language": lang,
        "published": followup.published_on.isoformat(),
        "data_until": followup.data_until.isoformat(),
        "inputs": input_digests(report),
        "outputs": dict(sorted(digests.items())),
        "figures": len(report.figures),
        "tables": len(report.tables),
    }
    if report.previous is not None:  # the first follow-up compares with none
        manifest["compared_with"] = report.previous.name
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return Built(report, digests)


class TypedNumbers(ReportError):
    """The analysts' texts hold numbers typed instead of computed: the report is not built
    until they are expressions (or allowed), so that no number in it can go stale."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            _("Texten har inskrivna tal som inte följer data: %(list)s")
            % {"list": " ".join(problems)}
        )


class PublicationRefused(Refused, ReportError):
    """The fact-check is not done and no reason to publish anyway was given."""

    def __init__(self, blockers: list[str]):
        super().__init__(
            _(
                "Rapporten publiceras inte ännu: %(why)s. Vänta tills "
                "faktagranskningen är klar, eller ange skälet att publicera ändå "
                '(--override "SKÄL" på kommandoraden).'
            )
            % {"why": "; ".join(blockers)}
        )
        self.blockers = blockers


@transaction.atomic
def publish(name: str, lang: str, *, actor: str, override: str = "") -> PublishedReport:
    """Build the report afresh and put it on the public site (HTML and PDF). Refused while
    the fact-check is open, regions have not answered or feedback is undecided, unless
    ``override`` gives the reason; that reason goes into the audit log and the method
    section."""
    followup = _followup(name)
    blockers = publication_blockers(followup)
    with translation.override("sv"):  # the log is kept in Swedish, whoever publishes
        logged = publication_blockers(followup)
    override = override.strip()
    if blockers and not override:
        raise PublicationRefused(blockers)
    if not blockers:
        override = ""  # nothing to override: the report says nothing of it
    with tempfile.TemporaryDirectory(prefix="naravard-report-") as tmp:
        out = Path(tmp)
        built = build(name, out, lang, override=override)
        published = PublishedReport.objects.create(
            followup=built.report.followup,
            lang=lang,
            html=(out / "report.html").read_text(encoding="utf-8"),
            pdf=(out / "report.pdf").read_bytes(),
            manifest=json.loads((out / "manifest.json").read_text(encoding="utf-8")),
            actor=actor,
            override_reason=override,
        )
    if override:
        log(
            followup,
            ReportEventKind.OVERRIDE,
            actor=actor,
            note=f"{lang}: {'; '.join(logged)}. Skäl: {override}",
        )
    else:
        log(followup, ReportEventKind.PUBLISHED, actor=actor, note=lang)
    return published


def latest_published() -> list[PublishedReport]:
    """The newest publication of each follow-up and language, newest follow-up first."""
    seen, out = set(), []
    for r in (
        PublishedReport.objects.select_related("followup")
        .defer("html", "pdf")
        .order_by("-followup__published_on", "-published_at", "-pk")
    ):
        if (r.followup_id, r.lang) not in seen:
            seen.add((r.followup_id, r.lang))
            out.append(r)
    return out

"""System checks of the report's structure (see :mod:`naravard.core.checks`).

naravard.E023: every chapter table named in the standard outline (report/data/outline.yaml)
has a builder registered with :func:`content.chapter_tables`, and every builder is named by a
chapter.

naravard.E025: the standard outline can be used (its indicators are in the catalogue, its themes
in the coding frame, its keys unique), every development area it names is one of the status
report's and every area of the newest status-report form is in a chapter.
"""

from __future__ import annotations

from naravard.catalog.catalogue import CatalogueError, catalogue
from naravard.collect import statusreport
from naravard.collect.definition import DefinitionError, series_forms
from naravard.core.checks import error
from naravard.report import outline as outlines
from naravard.report import structure

CHAPTER_TABLES = 23
CHAPTER_FACTS = 25


def chapter_tables_have_builders(app_configs=None, **kwargs) -> list:
    """naravard.E023: the chapters' tables and their builders match, name for name."""
    from naravard.report import content  # its builders register themselves (slow to import)

    try:
        chapters = outlines.standard().chapters
    except outlines.OutlineError:
        return []  # naravard.E025 says what is wrong with the outline
    named = {name for ch in chapters for name in ch.special}
    built = set(content.CHAPTER_TABLES)
    missing = [
        f"chapter {ch.key} names tables {name!r}, which no builder makes"
        for ch in chapters
        for name in ch.special
        if name not in built
    ]
    unused = [
        f"the builder of chapter tables {name!r} is used by no chapter"
        for name in sorted(built - named)
    ]
    return [
        error(
            CHAPTER_TABLES,
            problem,
            "Decorate the Builder method that makes the tables with @chapter_tables(<name>) "
            "(report/content.py) and name it in a chapter's 'special' (report/data/outline.yaml).",
        )
        for problem in missing + unused
    ]


def chapters_match_areas_and_catalogue(app_configs=None, **kwargs) -> list:
    """naravard.E025: the chapters are the status report's areas; the report's indicators
    exist."""
    try:
        known = catalogue()
    except (CatalogueError, DefinitionError):
        return []  # naravard.E003 and E024 say what does not load
    try:
        standard = outlines.standard()
    except outlines.OutlineError as exc:
        problems = [f"report/data/outline.yaml: {p}" for p in exc.problems]
    else:
        problems = _area_problems(standard) + [
            f"the report names indicator {indicator_id}, which the catalogue does not have"
            for indicator_id in structure.ONLINE_BOOKING
            if indicator_id not in known
        ]
    return [
        error(
            CHAPTER_FACTS,
            problem,
            "Keep the standard outline's areas to the area codes of the status-report form "
            "(field omrade), its indicators to the catalogue's and its themes to the frame's.",
        )
        for problem in problems
    ]


def _area_problems(standard: outlines.Outline) -> list[str]:
    fields = [
        field
        for form in series_forms(statusreport.SERIES)
        if (field := statusreport.area_field(form)) is not None
    ]
    if not fields:
        return []  # no status-report form: naravard.E022 says so
    known = {code for f in fields for code in f.codes}
    areas = [area for ch in standard.chapters for area in ch.areas]
    return [
        f"the outline names {area}, which is no development area of the status report"
        for area in areas
        if area not in known
    ] + [
        f"development area {code} of the newest status report is in no chapter of the outline"
        for code in fields[-1].codes
        if code not in areas
    ]

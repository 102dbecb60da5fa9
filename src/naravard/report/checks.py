"""System checks of the report's structure (see :mod:`naravard.core.checks`).

naravard.E023: every chapter table named in :data:`structure.CHAPTERS` has a builder registered
with :func:`content.chapter_tables`, and every builder is named by a chapter.

naravard.E025: every chapter is a development area of the status report and every area of the
newest status-report form has a chapter; every indicator the report names is in the catalogue.
"""

from __future__ import annotations

from naravard.catalog.catalogue import CatalogueError, catalogue
from naravard.collect import statusreport
from naravard.collect.definition import DefinitionError, series_forms
from naravard.core.checks import error
from naravard.report import structure

CHAPTER_TABLES = 23
CHAPTER_FACTS = 25


def chapter_tables_have_builders(app_configs=None, **kwargs) -> list:
    """naravard.E023: the chapters' tables and their builders match, name for name."""
    from naravard.report import content  # its builders register themselves (slow to import)

    named = {name for ch in structure.CHAPTERS for name in ch.special}
    built = set(content.CHAPTER_TABLES)
    missing = [
        f"chapter {ch.area} names tables {name!r}, which no builder makes"
        for ch in structure.CHAPTERS
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
            "(report/content.py) and name it in a chapter's 'special' (report/structure.py).",
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
    problems = _area_problems() + [
        f"the report names indicator {indicator_id}, which the catalogue does not have"
        for indicator_id in _named_indicators()
        if indicator_id not in known
    ]
    return [
        error(
            CHAPTER_FACTS,
            problem,
            "Keep report/structure.py's chapters to the area codes of the status-report form "
            "(field omrade) and its indicator ids to those of the catalogue.",
        )
        for problem in problems
    ]


def _area_problems() -> list[str]:
    fields = [
        field
        for form in series_forms(statusreport.SERIES)
        if (field := statusreport.area_field(form)) is not None
    ]
    if not fields:
        return []  # no status-report form: naravard.E022 says so
    known = {code for f in fields for code in f.codes}
    chapters = [ch.area for ch in structure.CHAPTERS]
    return [
        f"chapter {area} is no development area of the status report"
        for area in chapters
        if area not in known
    ] + [
        f"development area {code} of the newest status report has no chapter"
        for code in fields[-1].codes
        if code not in chapters
    ]


def _named_indicators() -> list[str]:
    wanted = [i for ch in structure.CHAPTERS for i in ch.indicators] + list(
        structure.ONLINE_BOOKING
    )
    return list(dict.fromkeys(wanted))

"""The report's content, computed from the store: summary, method, one chapter per development
area, variation between regions, one profile per region and the appendices.

Everything here is data (numbers, tables, chart specs) in a fixed order; nothing depends on
the clock, so the same store gives the same report. Text is in the active language.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

from naravard.analysis import transitions, wording
from naravard.analysis.freshness import (
    Coverage,
    Freshness,
    area_count,
    coverage,
    judge,
    latest_available,
)
from naravard.analysis.profile import Profile, StoredValue, profile
from naravard.catalog.breaks import first_after_breaks
from naravard.catalog.breaks import note as series_break_note
from naravard.catalog.catalogue import Indicator, catalogue, get_indicator, period_end, period_label
from naravard.collect import initiatives as followed_initiatives
from naravard.collect import statusreport
from naravard.collect.results import ItemResult, item_results, summary
from naravard.core.language import current, pick
from naravard.ingest.models import IndicatorValue
from naravard.presentation import charts
from naravard.presentation.breaknotes import BreakNotes
from naravard.publish import surveys
from naravard.qualitative import link
from naravard.qualitative.picture import ThemePicture, national_picture
from naravard.refdata import files
from naravard.refdata.models import Municipality, Region
from naravard.report import comparison as compared
from naravard.report import outline as outlines
from naravard.report import profile_text, prose, render, structure, textdata
from naravard.report import texts as report_texts
from naravard.report import themes as theme_words
from naravard.report.models import FollowUp


class Num(NamedTuple):
    """A number printed with its own decimals (in tables whose rows differ in unit)."""

    value: float | None
    decimals: int


class Per(NamedTuple):
    """Periods in a table cell, printed as people read them ("31 december 2022"); the data
    files keep the codes (``value``: one code, or several joined by ", "). ``stale``: the
    indicator's latest period, older than the follow-up expects, printed "senaste
    tillgängliga: mars 2020" (analysis/freshness.py). ``mark``: the number of the note on a
    break in the series that this period is the first after, printed raised ("2021¹")."""

    value: str
    stale: bool = False
    mark: int = 0

    def __str__(self) -> str:
        if self.stale:
            text = latest_available(self.value)
        else:
            text = ", ".join(period_label(code) for code in self.value.split(", "))
        return text + raised(self.mark) if self.mark else text


def raised(number: int) -> str:
    """A note's number as a raised mark ("¹", "¹²") that reads the same in HTML and PDF."""
    return str(number).translate(RAISED)


RAISED = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def break_marks(notes: BreakNotes, rows: list[dict]) -> dict[tuple[str, str], int]:
    """The mark of each (indicator ``id``, ``period``) of ``rows`` (values over time) that
    is the first after a break in its indicator's series; the notes gather in ``notes``."""
    out = {}
    for indicator_id in dict.fromkeys(row["id"] for row in rows):
        marks = notes.marks(
            get_indicator(indicator_id),
            [row["period"] for row in rows if row["id"] == indicator_id],
        )
        out.update({(indicator_id, period): n.number for period, n in marks.items()})
    return out


def break_note(notes: BreakNotes) -> str:
    """The notes of a table's break marks as its note: "¹ Tidsseriebrott 2021: …"."""
    return " ".join(f"{raised(n.number)} {n.text}" for n in notes.notes)


# in em of a table's type (report/render.py: table.data, 8.5 pt in a text 172 mm wide): the
# width of a table, the padding of a cell, the longest cell of a column of words that is not
# broken into lines, and about a line's worth of a long text
TABLE_WIDTH = 57.0
CELL_PADDING = 0.9
UNBROKEN = 10.0
LINE = 32.0


@dataclass
class Table:
    """A numbered table; ``rows`` hold raw values (numbers stay numbers for the CSV),
    ``decimals`` says how each column is printed (None: as it is)."""

    key: str
    title: str
    header: list[str]
    rows: list[list]
    decimals: list[int | None] = field(default_factory=list)
    note: str = ""
    number: int = 0
    # for a region's profile: the (indicator, period) each row shows, and the columns and rows
    # that show other areas' figures (the nation), which the region's approval does not cover
    refs: list[tuple[str, str] | None] = field(default_factory=list)
    context_columns: frozenset[int] = frozenset()
    context_rows: frozenset[int] = frozenset()

    kind = "table"

    @property
    def text_columns(self) -> set[int]:
        """Columns of words, not numbers (set flush left in print)."""
        out = set()
        for i in range(len(self.header)):
            d = self.decimals[i] if i < len(self.decimals) else None
            cells = [row[i] for row in self.rows if i < len(row)]
            if d is None and not any(
                isinstance(c, (int, float, Num, compared.Delta)) and not isinstance(c, bool)
                for c in cells
            ):
                out.add(i)
        return out

    @property
    def wrap_columns(self) -> set[int]:
        """Columns of numbers where some cells are words (why a change is not given), which
        may break across lines in print."""
        return {
            i
            for row in self.rows
            for i, c in enumerate(row)
            if isinstance(c, compared.Delta) and c.value is None and c.words
        }

    @property
    def column_widths(self) -> list[float]:
        """Each column's share of the table's width in per cent, for the PDF, which lays its
        tables out at fixed widths: WeasyPrint then measures no cell to find them, a tenth of
        a report's build. Widths are the report font's (``render.text_width``), headers bold.
        Columns of numbers are as wide as their widest cell or header word; columns of words
        share the rest in proportion to their longest cell (up to a line's worth), none
        narrower than its longest word or, when all its cells are short, than its longest
        cell."""
        rows = self.display_rows
        wrapping = self.text_columns | self.wrap_columns | {0}  # the row header wraps too
        need: list[float] = []
        want: list[float] = []
        for i, head in enumerate(self.header):
            cells = [row[i] for row in rows if i < len(row)]
            longest_word = max(
                [render.text_width(w, bold=True) for w in head.split()]
                + [render.text_width(w) for c in set(cells) for w in c.split()],
                default=0.0,
            )
            longest_cell = max((render.text_width(c) for c in set(cells)), default=0.0)
            if i in wrapping:  # a column of short phrases ("31 december 2021") is not broken
                unbroken = longest_cell if longest_cell <= UNBROKEN else longest_word
                need.append(max(longest_word, unbroken) + CELL_PADDING)
                want.append(min(max(longest_word, longest_cell), LINE) + CELL_PADDING)
            else:  # numbers stay on one line
                need.append(max(longest_word, longest_cell) + CELL_PADDING)
                want.append(need[-1])
        if sum(want) > TABLE_WIDTH:  # words wrap: each column of words gets its share
            given = {i: n for i, n in enumerate(need) if i not in wrapping}
            sharing = [i for i in range(len(want)) if i in wrapping]
            while sharing:
                spare = TABLE_WIDTH - sum(given.values())
                wanted = sum(want[i] for i in sharing)
                share = {i: spare * want[i] / wanted for i in sharing}
                short = [i for i in sharing if share[i] < need[i]]
                if not short:
                    given.update(share)
                    break
                given.update({i: need[i] for i in short})  # its longest word, the rest shared
                sharing = [i for i in sharing if i not in short]
            want = [given[i] for i in range(len(want))]
        total = sum(want)  # more than the width only when the longest words are
        return [round(100 * w / total, 2) for w in want]

    @property
    def display_rows(self) -> list[list[str]]:
        out = []
        for row in self.rows:
            cells = []
            for i, value in enumerate(row):
                d = self.decimals[i] if i < len(self.decimals) else None
                if isinstance(value, compared.Delta):  # a change, signed, or why there is none
                    cells.append(str(value))
                    continue
                if isinstance(value, Num):
                    value, d = value
                if isinstance(value, Per):
                    cells.append(str(value))
                elif value is None:
                    cells.append("–")
                elif d is not None and isinstance(value, (int, float)):
                    cells.append(charts.number(value, d))
                else:
                    cells.append(str(value))
            out.append(cells)
        return out


@dataclass
class Figure(Table):
    """A numbered chart with its numbers as a table (``spec``: Vega-Lite; ``svg`` once drawn;
    ``alt``: its text alternative, written from its numbers by report/alttext.py when the
    builder gives none)."""

    spec: dict = field(default_factory=dict)
    svg: str = ""
    alt: str = ""

    kind = "figure"

    @property
    def svg_uri(self) -> str:
        """The drawing as a ``data:`` URI, for the PDF's ``<img>``: WeasyPrint then reads the
        SVG once as XML instead of parsing and styling each of its elements as HTML."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


@dataclass
class TextBlock(Table):
    """A block of words (the coded material's sentences, quotes, fact boxes): not numbered,
    no data file, so :meth:`Report.blocks` leaves it out. It keeps a table's shape
    (``header``, ``rows`` of strings) so that whatever reads a section's blocks as text (the
    fact-check, the analysts' texts placing a block) reads it too. ``level``: the level of its
    heading (3 in a chapter, 4 in a region's profile)."""

    level: int = 3

    kind = "text"


@dataclass
class Prose(TextBlock):
    """A heading (``title``) and plain paragraphs, one per row."""

    kind = "prose"

    @classmethod
    def of(cls, key: str, title: str, paragraphs: list[str], level: int = 3) -> Prose:
        return cls(key, title, [title], [[p] for p in paragraphs], level=level)

    @property
    def paragraphs(self) -> list[str]:
        return [row[0] for row in self.rows]


@dataclass
class Quote(TextBlock):
    """A passage an analyst marked as quotable (``title``: the theme it is quoted for), as
    one row: the words, and whose they are (the region or the municipality)."""

    kind = "quote"

    @classmethod
    def of(cls, key: str, theme: str, words: str, cite: str, level: int = 3) -> Quote:
        return cls(key, theme, [_("Citat"), _("Källa")], [[words, cite]], level=level)

    @property
    def words(self) -> str:
        return self.rows[0][0]

    @property
    def cite(self) -> str:
        return self.rows[0][1]


@dataclass
class FactBox(TextBlock):
    """An analyst's fact box, "Exempel: ``title``" (under its theme's heading, so level 4):
    the analyst's paragraphs, one per row, then the coded passage it builds on and whose words
    they are (the last row)."""

    kind = "factbox"

    @classmethod
    def of(cls, key: str, title: str, paragraphs: list[str], words: str, cite: str) -> FactBox:
        rows = [[p, ""] for p in paragraphs] + [[words, cite]]
        return cls(key, title, [_("Faktaruta"), _("Källa")], rows, level=4)

    @property
    def heading(self) -> str:
        return _("Exempel: %(title)s") % {"title": self.title}

    @property
    def paragraphs(self) -> list[str]:
        return [row[0] for row in self.rows[:-1]]

    @property
    def words(self) -> str:
        return self.rows[-1][0]

    @property
    def cite(self) -> str:
        return self.rows[-1][1]


@dataclass
class Section:
    """A chapter (or a region's profile, an appendix). ``body``: the analysts' text as HTML
    parts with the blocks it places between them (report/prose.py); then the generated
    ``paragraphs``, then the blocks the text does not place. ``kind``: "chapter", or the
    outline's "summary" (the key findings follow) or "profiles" (the profiles follow)."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    blocks: list[Table] = field(default_factory=list)
    region: Region | None = None
    kind: str = "chapter"
    body: list[Any] = field(default_factory=list)
    # a paragraph's part that is the region's own (what its approval covers, report/factcheck.py)
    own_paragraphs: dict[int, str] = field(default_factory=dict)

    @property
    def unplaced(self) -> list[Table]:
        placed = {id(part) for part in self.body if isinstance(part, Table)}
        return [b for b in self.blocks if id(b) not in placed]


@dataclass
class Report:
    followup: FollowUp
    lang: str
    title: str
    summary: list[str]
    sections: list[Section]
    profiles: list[Section]
    appendices: list[Section]
    indicator_ids: list[str] = field(default_factory=list)  # the indicators it reports
    previous: FollowUp | None = None  # the follow-up it is compared with (report/comparison.py)
    text_problems: list[str] = field(default_factory=list)  # numbers typed into its texts

    @property
    def published(self) -> dt.date:
        return self.followup.published_on

    @property
    def publisher(self) -> str:
        """The agency that publishes the report (setting NARAVARD_PUBLISHER)."""
        return settings.NARAVARD_PUBLISHER

    def blocks(self) -> list[Table]:
        """The numbered blocks, figures and tables (not the blocks of words)."""
        return [
            b
            for part in (self.sections, self.profiles, self.appendices)
            for s in part
            for b in s.blocks
            if not isinstance(b, TextBlock)
        ]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks() if isinstance(b, Figure)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks() if not isinstance(b, Figure)]


def pct_number(value: float | None) -> str:
    """A percent as the report prints it: whole ('78')."""
    return "–" if value is None else charts.number(value, 0)


def pct(value: float | None) -> str:
    return f"{pct_number(value)} %" if value is not None else "–"


CHAPTER_TABLES: dict[str, Callable[[Builder], list[Table]]] = {}


def chapter_tables(name: str) -> Callable:
    """Register a :class:`Builder` method as the builder of the chapter tables called ``name``
    in the outline (a chapter's ``special``, report/data/outline.yaml); system check
    naravard.E023 says at start when a name has no builder or a builder no chapter."""

    def register(method: Callable[[Builder], list[Table]]) -> Callable[[Builder], list[Table]]:
        if name in CHAPTER_TABLES:
            raise ValueError(f"two builders of the chapter tables {name!r}")
        CHAPTER_TABLES[name] = method
        return method

    return register


class Builder:
    """Computes one follow-up's report in the active language."""

    def __init__(self, followup: FollowUp, override: str = ""):
        self.f = followup
        self.override = override  # why it is published before the fact-check is done
        self.lang = current()
        self.regions = list(Region.objects.order_by("code"))
        self._value_cache: dict[str, list[StoredValue]] = {}

    # ---- data -----------------------------------------------------------------------------
    @cached_property
    def survey(self) -> dict[str, ItemResult]:
        rnd = self.f.survey_round
        return {r.item.id: r for r in item_results(rnd)} if rnd else {}

    def _values(self, indicator_id: str) -> list[StoredValue]:
        """The indicator's current values up to the follow-up's last day (read once, as rows
        with the fields the analysis reads rather than whole models: a report reads some
        150 000)."""
        if indicator_id not in self._value_cache:
            rows = IndicatorValue.objects.filter(
                indicator_id=indicator_id, is_current=True
            ).order_by("pk")
            until = self.f.data_until
            periods = rows.order_by().values_list("period", flat=True).distinct()
            shown = [period for period in periods if period_end(period) <= until]
            self._value_cache[indicator_id] = list(
                rows.filter(period__in=shown).values_list(
                    "org_code",
                    "period",
                    "sex",
                    "age_band",
                    "value",
                    "numerator",
                    "denominator",
                    named=True,
                )
            )
        return self._value_cache[indicator_id]

    @cached_property
    def analyses(self) -> dict[str, list[Profile]]:
        """Per indicator in the report: the region analysis of each period, oldest first."""
        out = {}
        for ind in self.indicators:
            values = self._values(ind.id)
            periods = sorted({v.period for v in values}, key=period_end)
            out[ind.id] = [
                profile(ind.id, p, values=values, trends=(p == periods[-1])) for p in periods
            ]
        return out

    @cached_property
    def outline(self) -> outlines.Outline:
        """The follow-up's chapters (its own outline, or the standard one)."""
        return report_texts.outline_of(self.f)

    @cached_property
    def indicators(self) -> list[Indicator]:
        wanted = self.outline.indicators + list(structure.ONLINE_BOOKING)
        known = catalogue()
        out = []
        for indicator_id in dict.fromkeys(wanted):
            if (
                indicator_id in known
                and "region" in known[indicator_id].levels
                and self._values(indicator_id)
            ):
                out.append(known[indicator_id])
        return out

    def latest(self, indicator_id: str) -> Profile | None:
        series = self.analyses.get(indicator_id)
        return series[-1] if series else None

    @cached_property
    def freshness(self) -> dict[str, Freshness]:
        """Each reported indicator's latest period judged against the follow-up's last day."""
        out = {}
        for ind in self.indicators:
            fresh = judge(ind, [p.period for p in self.analyses[ind.id]], self.f)
            if fresh is not None:
                out[ind.id] = fresh
        return out

    def stale(self, indicator_id: str, period: str) -> bool:
        """Is ``period`` the indicator's latest, and older than the follow-up expects?"""
        fresh = self.freshness.get(indicator_id)
        return fresh is not None and fresh.stale and fresh.period == period

    def per(self, indicator_id: str, period: str) -> Per:
        """A period cell: "senaste tillgängliga: mars 2020" when stale."""
        return Per(period, self.stale(indicator_id, period))

    def when(self, p: Profile) -> str:
        """A profile's period in a sentence or a title, said to be stale when it is."""
        return str(self.per(p.indicator.id, p.period))

    @cached_property
    def _areas(self) -> int:
        return area_count("region")

    def coverage(self, p: Profile) -> Coverage:
        """How many regions have a value in the profile's period."""
        return coverage(self._values(p.indicator.id), p.period, "region", p.sex, total=self._areas)

    def coverage_note(self, p: Profile, named: bool = True) -> str:
        """ "Name: 12 av 21 regioner har rapporterat för 2022." when only some have; '' else."""
        cover = self.coverage(p)
        if not cover.partial:
            return ""
        text = f"{cover.text()}."
        return f"{pick(p.indicator.name)}: {text}" if named else text

    # ---- the previous follow-up (report/comparison.py) ------------------------------------
    @cached_property
    def previous(self) -> FollowUp | None:
        """The follow-up this one is compared with; None for the first, which compares
        nothing."""
        return compared.previous_followup(self.f)

    @cached_property
    def survey_change(self) -> compared.SurveyChange:
        """The survey round against the previous follow-up's (``nation`` None: not compared)."""
        return compared.survey_change(self.f, self.previous)

    def change(self, p: Profile, org: str | None = None) -> compared.ValueChange | None:
        """The indicator's value in ``p`` (the nation's, or ``org``'s) against its value at
        the previous follow-up; None without one."""
        if self.previous is None:
            return None
        return compared.value_change(self.analyses[p.indicator.id], p, self.previous, org)

    def _then(self, item_id: str, code: str) -> list[Any]:
        """One answer's share at the previous follow-up, the change and its interval ([] when
        the survey is not compared)."""
        if self.survey_change.nation is None:
            return []
        return compared.share_cells(self.survey_change.item(item_id), code)

    def _then_header(self, label: str) -> list[str]:
        """The columns of :meth:`_then`; ``label`` names the share then, with ``%(year)s``."""
        if self.survey_change.nation is None:
            return []
        return compared.share_header(label % {"year": self.survey_change.year})

    def _then_note(self, items: list[ItemResult]) -> str:
        """Why the table's questions that do not compare with the previous round do not."""
        change = self.survey_change
        if change.nation is None or change.round is None:
            return ""
        found = [c for r in items if (c := change.item(r.item.id)) is not None]
        return compared.not_comparable_notes(found, change.round)

    def _changes_table(
        self, key: str, title: str, indicator_ids: list[str], region: Region | None = None
    ) -> Table | None:
        """The indicators (the nation's values, or ``region``'s) at the previous follow-up,
        with the change and, for shares, its interval; the nation's also now (a region's
        profile shows its values now in the table above, row for row)."""
        now = region is None
        rows: list[list[Any]] = []
        refs: list[tuple[str, str] | None] = []
        notes: list[str] = []
        for indicator_id in indicator_ids:
            p = self.latest(indicator_id)
            if p is None or (region and not any(r.org == region.code for r in p.rows)):
                continue
            c = self.change(p, region.code if region else None)
            if c is None:
                continue
            ind, d = p.indicator, charts.decimals(p.indicator.unit)
            name, unit = pick(ind.name), charts.unit_label(ind.unit)
            rows.append(
                [
                    name if unit in name else f"{name} ({unit})",
                    Per(c.previous_period, c.previous_stale) if c.previous_period else None,
                    Num(c.previous_value, d),
                ]
                + ([self.per(ind.id, c.period), Num(c.value, d)] if now else [])
                + [
                    c.cell(),
                    compared.Delta(c.ci_low, d, plus=False),
                    compared.Delta(c.ci_high, d, plus=False),
                ]
            )
            refs.append((ind.id, c.period))
            if note := c.break_note():
                notes.append(note)
        if not rows:
            return None
        notes.append(
            _(
                "Förändringen anges i indikatorns enhet, för andelar i procentenheter; "
                "intervallet finns för andelar med känd täljare och nämnare."
            )
        )
        return Table(
            key,
            title,
            [_("Indikator"), _("Period då"), _("Värde då")]
            + ([_("Period nu"), _("Värde nu")] if now else [])
            + [_("Förändring"), _("95 % KI, nedre"), _("95 % KI, övre")],
            rows,
            refs=refs if region else [],
            note=" ".join(notes),
        )

    def _change_sentences(self) -> list[str]:
        """The largest significant changes since the previous follow-up, survey shares and
        indicators alike, or that there are none."""
        if self.previous is None:
            return []
        findings = compared.survey_findings(self.survey_change)
        for ind in self.indicators:
            p = self.latest(ind.id)
            c = self.change(p) if p is not None else None
            if c is not None and (found := compared.indicator_finding(c)) is not None:
                findings.append(found)
        if not findings:
            return [
                _("Ingen andel har ändrats signifikant sedan uppföljning %(name)s.")
                % {"name": self.previous.name}
            ]
        return compared.largest(findings)

    def _comparison_method(self) -> list[str]:
        """How the report compares with the previous follow-up, for the method section."""
        previous = self.previous
        if previous is None:
            return []
        out = [
            _(
                "Rapporten jämförs med förra uppföljningen, %(title)s, som byggde på data till "
                "och med %(until)s. Varje indikator jämförs med sitt värde i den senaste "
                "perioden till och med den dagen, utom där serien bryts mellan de två "
                "perioderna. Förändringen av en andel anges i procentenheter med 95 %% "
                "konfidensintervall (Newcombes metod); andra indikatorer har inget intervall "
                "för förändringen. Sammanfattningen nämner de största förändringarna vars "
                "intervall inte omfattar noll."
            )
            % {"title": previous.title(self.lang), "until": period_label(previous.data_until)}
        ]
        change = self.survey_change
        if change.nation is not None:
            out.append(
                _(
                    "Kommunenkätens andelar jämförs med enkäten %(year)d fråga för fråga genom "
                    "frågornas historik: nya svarskoder räknas om till de gamla, och en fråga "
                    "som ändrats så att svaren inte går att jämföra jämförs inte; tabellens not "
                    "säger varför."
                )
                % {"year": change.year}
            )
        elif change.why:
            out.append(change.why)
        return out

    # ---- parts ----------------------------------------------------------------------------
    def build(self) -> Report:
        sections = self._with_theme_chapter([self._outlined(ch) for ch in self.outline.chapters])
        report = Report(
            self.f,
            self.lang,
            self.f.title(self.lang),
            self.summary(),
            sections,
            [self.region_profile(r) for r in self.regions],
            self.appendices(),
            [ind.id for ind in self.indicators],
            self.previous,
        )
        self._write_texts(report)
        report.text_problems = self.text_problems
        report.sections = [  # a chapter with neither text nor data is left out
            s for s in report.sections if s.kind != "chapter" or s.body or s.paragraphs or s.blocks
        ]
        for kind in (Figure, Table):
            number = 0
            for block in report.blocks():
                if type(block) is kind:
                    number += 1
                    block.number = number
        self._resolve_refs(report)
        return report

    def _outlined(self, ch: outlines.Chapter) -> Section:
        """The outline's chapter with its data (its text is added by :meth:`_write_texts`)."""
        if ch.kind == "method":
            sec = self.method()
        elif ch.kind == "variation":
            sec = self.variation()
        elif ch.kind in ("summary", "profiles"):
            sec = Section(ch.key, ch.name(), kind=ch.kind)
            if ch.kind == "profiles":
                sec.paragraphs.append(
                    _(
                        "En profil per region: regionens indikatorer mot riket och målet, "
                        "utvecklingen över tid, insatserna enligt nulägesrapporten och "
                        "kommunernas svar på enkäten."
                    )
                )
        else:
            sec = self.chapter(ch)
        sec.key, sec.title = ch.key, ch.name()
        return sec

    @cached_property
    def text_problems(self) -> list[str]:
        """Numbers typed into the analysts' texts of this language, one line each."""
        out = []
        for (key, lang), t in sorted(report_texts.newest(self.f).items()):
            if lang == self.lang:
                out += [f"{key}.{lang}.md: {p}" for p in prose.typed_numbers(t.text)]
        return out

    def _write_texts(self, report: Report) -> None:
        """Render each section's and profile's text in the report's language, placing the
        blocks it names; a block placed is moved from where the data put it."""
        written = {
            key: t.text
            for (key, lang), t in report_texts.newest(self.f).items()
            if lang == self.lang and t.text.strip()
        }
        if not written:
            return
        every = [*report.sections, *report.profiles, *report.appendices]
        by_key = {b.key: (b, sec) for sec in every for b in sec.blocks}
        context = textdata.context(self)
        taken: set[int] = set()
        profiles = {id(p) for p in report.profiles}
        for sec in [*report.sections, *report.profiles]:
            key = f"profil-{sec.region.code}" if sec.region else sec.key  # texts.PROFILE_KEY
            source = written.get(key)
            if source is None:
                continue
            rendered = prose.render(
                source,
                f"{key}.{self.lang}.md",
                context,
                by_key,
                heading_offset=3 if id(sec) in profiles else 2,  # under the h2 or h3 title
            )
            placed: list[Table] = []
            for part in rendered.parts:
                if isinstance(part, prose.Placed):
                    block, home = by_key[part.key]
                    if id(block) in taken:
                        raise prose.ProseError(
                            f"{sec.key}.{self.lang}.md",
                            [
                                prose.Problem(
                                    0, _("%(key)s placeras två gånger") % {"key": part.key}
                                )
                            ],
                        )
                    taken.add(id(block))
                    home.blocks = [b for b in home.blocks if b is not block]
                    placed.append(block)
                    sec.body.append(block)
                else:
                    sec.body.append(part)
            sec.blocks[:0] = placed

    def _resolve_refs(self, report: Report) -> None:
        """Turn the texts' references into "figur 5" / "tabell 3" linked to the block."""
        blocks = {b.key: b for b in report.blocks()}

        def label(key: str) -> tuple[str, str]:
            block = blocks[key]
            if isinstance(block, Figure):
                return f"figur-{block.number}", _("figur %(n)d") % {"n": block.number}
            return f"tabell-{block.number}", _("tabell %(n)d") % {"n": block.number}

        for sec in [*report.sections, *report.profiles]:
            sec.body = [
                prose.resolve_refs(part, label) if isinstance(part, str) else part
                for part in sec.body
            ]

    def summary(self) -> list[str]:
        """Key findings, each sentence computed from the store."""
        out = []
        rnd = self.f.survey_round
        if rnd:
            s = summary(rnd)
            out.append(
                _("%(r)d av %(n)d kommuner (%(p)s) besvarade enkäten.")
                % {"r": s.responded, "n": s.invited, "p": pct(s.rate)}
            )
            vision = self.survey.get(structure.SHARED_VISION_ITEM)
            if vision:
                out.append(
                    _(
                        "%(p)s av kommunerna har kommit överens med regionen om en gemensam "
                        "målbild för omställningen."
                    )
                    % {"p": pct(vision.option_percent(vision.item.codes[0]))}
                )
            decisions = [
                r for r in self.survey.values() if r.item.question_id == structure.DECISION_ITEMS
            ]
            if decisions:
                parts = ", ".join(
                    f"{pick(r.item.text).lower()} {pct(r.option_percent('ja'))}" for r in decisions
                )
                out.append(
                    _("Beslut om samverkan mellan kommun och region finns på: %(parts)s.")
                    % {"parts": parts}
                )
            staff = [
                r
                for r in self.survey.values()
                if r.item.question_id == structure.STAFF_GRID and r.item.choices
            ]
            if staff:
                worst = max(staff, key=lambda r: r.option_percent("brist") or 0)
                out.append(
                    _("Störst brist rapporteras för %(who)s: %(p)s av kommunerna.")
                    % {
                        "who": pick(worst.item.text).lower(),
                        "p": pct(worst.option_percent("brist")),
                    }
                )
        for ind in self.indicators:
            p = self.latest(ind.id)
            if p is None or p.target is None:
                continue
            if p.national is None:
                out.append(
                    _(
                        "%(name)s (%(period)s): %(r)d av %(n)d regioner har nått målet "
                        "%(target)s. %(why)s"
                    )
                    % {
                        "name": pick(ind.name),
                        "period": self.when(p),
                        "target": charts.target_text(p.target, ind.unit),
                        "r": p.target_counts.get("reached", 0),
                        "n": len(p.rows),
                        "why": p.national_note,
                    }
                )
                self._say_coverage(out, p)
                continue
            out.append(
                _(
                    "%(name)s: riket %(value)s %(unit)s (%(period)s) mot målet %(target)s; "
                    "%(r)d av %(n)d regioner har nått det."
                )
                % {
                    "name": pick(ind.name),
                    "value": charts.with_interval(p.national, ind.unit),
                    "unit": charts.unit_label(ind.unit),
                    "period": self.when(p),
                    "target": charts.target_text(p.target, ind.unit),
                    "r": p.target_counts.get("reached", 0),
                    "n": len(p.rows),
                }
            )
            self._say_coverage(out, p)
        out += self._moves_sentence()
        out += self._change_sentences()
        return out

    def _say_coverage(self, sentences: list[str], p: Profile) -> None:
        """Add to the last sentence how many regions reported, when only some did."""
        note = self.coverage_note(p, named=False)
        if note:
            sentences[-1] = f"{sentences[-1].rstrip()} {note}"

    def method(self) -> Section:
        sec = Section("metod", _("Metod och underlag"))
        sec.paragraphs.append(
            _(
                "Rapporten bygger på det som %(publisher)s hade samlat in den %(day)s: "
                "regionernas och kommunernas svar, indikatorer för perioder till och med "
                "%(until)s och referensdata från SCB."
            )
            % {
                "publisher": settings.NARAVARD_PUBLISHER,
                "day": period_label(self.f.published_on),
                "until": period_label(self.f.data_until),
            }
        )
        # what a round says of its answers (e.g. that they are synthetic), in the report's language
        sec.paragraphs += [
            r.note for r in (self.f.survey_round, self.f.status_round) if r is not None and r.note
        ]
        stale = [
            f"{pick(ind.name)} ({self.freshness[ind.id].label()})"
            for ind in self.indicators
            if ind.id in self.freshness and self.freshness[ind.id].stale
        ]
        if stale:
            sec.paragraphs.append(
                _(
                    "För några indikatorer finns inga uppgifter för perioder nära %(until)s. "
                    "Rapporten visar deras senaste tillgängliga period och skriver ut den som "
                    "sådan: %(list)s."
                )
                % {"until": period_label(self.f.data_until), "list": "; ".join(stale)}
            )
        if broken := self._breaks():
            sec.paragraphs.append(
                _(
                    "Några indikatorers serier bryts: värdena från brottet kan inte jämföras med "
                    "dem före. Figurerna visar brottet med en streckad linje och tabellerna med "
                    "en not, och trenden räknas från brottet. %(list)s"
                )
                % {"list": " ".join(broken)}
            )
        sec.paragraphs += self._comparison_method()
        sec.paragraphs += self._factcheck()
        rows = []
        for rnd in (self.f.survey_round, self.f.status_round):
            if rnd is None:
                continue
            s = summary(rnd)
            rows.append([rnd.title, Per(rnd.deadline.isoformat()), s.invited, s.responded, s.rate])
        if rows:
            sec.blocks.append(
                Table(
                    "svarsfrekvens",
                    _("Insamlingar och svarsfrekvens"),
                    [
                        _("Insamling"),
                        _("Sista svarsdag"),
                        _("Tillfrågade"),
                        _("Svarande"),
                        _("Svarsfrekvens, %"),
                    ],
                    rows,
                    [None, None, 0, 0, 0],
                )
            )
        if self.survey and self.f.survey_round is not None:
            form = self.f.survey_round.form  # the question's number as printed on the form
            items = [
                [
                    getattr(form.question_of(r.item.id), "number", ""),
                    pick(r.item.text),
                    r.asked,
                    r.n,
                ]
                for r in self.survey.values()
                if r.item.type != "group"
            ]
            sec.blocks.append(
                Table(
                    "n-per-fraga",
                    _("Antal svar per fråga i kommunenkäten"),
                    [_("Fråga"), _("Text"), _("Tillämplig för"), _("Svar (n)")],
                    items,
                    [None, None, 0, 0],
                    note=_("Varje frågas andelar räknas på dem som besvarat just den frågan."),
                )
            )
        rows = [
            [
                pick(ind.name),
                pick(ind.source),
                Per(", ".join(p.period for p in self.analyses[ind.id])),
            ]
            for ind in self.indicators
        ]
        sec.blocks.append(
            Table(
                "indikatorkallor",
                _("Indikatorer, källor och perioder"),
                [_("Indikator"), _("Källa"), _("Perioder")],
                rows,
            )
        )
        return sec

    def _breaks(self) -> list[str]:
        """Each break within the periods of a reported indicator, in a sentence."""
        out = []
        for ind in self.indicators:
            found = first_after_breaks(ind, [p.period for p in self.analyses[ind.id]])
            out += [
                f"{pick(ind.name)} – {series_break_note(b, self.lang).rstrip('.')}."
                for breaks in found.values()
                for b in breaks
            ]
        return out

    def _factcheck(self) -> list[str]:
        """What the regions did in the fact-check, and why the report was published anyway if
        it was published before the fact-check was done."""
        # factcheck.py reads the report's passages from this module: imported here, not above
        from naravard.report.factcheck import answers, publication_blockers

        out = []
        check = getattr(self.f, "factcheck", None)
        state = answers(self.f)
        if check is not None:
            out.append(
                _(
                    "Varje region har fått faktagranska sin profil i ett utkast till "
                    "rapporten, med sista dag %(day)s."
                )
                % {"day": period_label(check.deadline)}
            )
            groups = [
                (state.approved, _("Godkänt sin profil: %(names)s.")),
                (
                    state.approved_earlier,
                    _(
                        "Godkänt en tidigare version av sin profil, "
                        "som har ändrats sedan: %(names)s."
                    ),
                ),
                (state.commented, _("Lämnat synpunkter utan att godkänna: %(names)s.")),
                (state.silent, _("Inte svarat: %(names)s.")),
            ]
            parts = [
                text % {"names": ", ".join(r.name for r in regions)}
                for regions, text in groups
                if regions
            ]
            if not state.approved:
                parts.insert(0, _("Ingen region har godkänt sin profil."))
            out.append(" ".join(parts))
        if self.override:
            out.append(
                _("Rapporten publicerades trots att %(why)s. Skäl: %(reason)s")
                % {
                    "why": _(" och ").join(publication_blockers(self.f, as_done=True, state=state))
                    or _("faktagranskningen inte var avslutad"),
                    "reason": self.override.strip(),
                }
            )
        return out

    def _area_title(self, area: str) -> str:
        field = statusreport.area_field(self.f.status_round.form) if self.f.status_round else None
        return field.choice_text(area, self.lang) if field else area

    @cached_property
    def initiatives(self) -> dict[str, list[dict]]:
        """Each region's initiatives from the status reports (as last submitted)."""
        rnd = self.f.status_round
        if rnd is None:
            return {}
        out = {}
        for response in rnd.responses.filter(submitted_answers__isnull=False).order_by("region"):
            out[response.org_code] = statusreport.initiative_rows(response.submitted_answers)
        return out

    def _stages(self) -> list[tuple[str, str]]:
        field = statusreport.stage_field(self.f.status_round.form) if self.f.status_round else None
        return [(c.code, c.text[self.lang]) for c in field.choices] if field else []

    @cached_property
    def stage_transitions(self) -> transitions.Transitions | None:
        """How the initiatives' stages moved since the status-report round before (a round
        whose form follows initiatives, with a round before)."""
        rnd = self.f.status_round
        following = followed_initiatives.follow(rnd) if rnd is not None else None
        if following is None or not following.rows:
            return None
        return transitions.transitions(following, [code for code, _label in self._stages()])

    def _stage_moves(self, area: str, title: str) -> list[Table]:
        """The area's initiatives by their stage in the round before and now (a grid of counts
        with its numbers)."""
        moves = self.stage_transitions
        m = moves.by_area.get(area) if moves else None
        if moves is None or m is None or not m.total:
            return []
        labels = dict(self._stages())
        header, rows = transitions.table(m, labels)
        name = _("Insatsernas skeden i %(before)s och nu: %(area)s") % {
            "before": moves.following.previous.title,
            "area": title,
        }
        return [
            Figure(
                f"skeden-{area}",
                name,
                header,
                rows,
                [None] + [0] * (len(header) - 1),
                note=_(
                    "Rader: insatsens skede i förra nulägesrapporten (nya insatser sist). "
                    "Kolumner: skedet nu, eller att insatsen har avslutats eller slagits samman "
                    "med en annan."
                ),
                spec=charts.transition_matrix(transitions.cells(m, labels), name),
            )
        ]

    def _moves_sentence(self) -> list[str]:
        """The nation's initiatives since the round before, in one sentence."""
        moves = self.stage_transitions
        if moves is None:
            return []
        moved = moves.nation.moved()
        return [
            _(
                "Av %(n)d insatser i %(before)s har %(forward)d kommit till ett senare skede, "
                "%(same)d står kvar i samma skede, %(ended)d har avslutats och %(merged)d har "
                "slagits samman med andra; %(new)d insatser är nya."
            )
            % {
                "n": moves.nation.followed,
                "before": moves.following.previous.title,
                "forward": moved["forward"],
                "same": moved["same"] + moved["back"],
                "ended": moved[statusreport.ENDED],
                "merged": moved[statusreport.MERGED],
                "new": moved[statusreport.NEW],
            }
        ]

    def chapter(self, ch: outlines.Chapter) -> Section:
        """A chapter of the outline with its data: per development area the initiatives by
        stage and how they moved, the chapter tables, the indicators for the nation and
        their change since the previous follow-up."""
        sec = Section(ch.key, ch.name())
        for area in ch.areas:
            sec.blocks += self._initiatives_by_stage(sec, area)
            sec.blocks += self._stage_moves(area, self._area_title(area))
        for special in ch.special:
            sec.blocks += CHAPTER_TABLES[special](self)
        sec.blocks += self._national(ch)
        shown = list(ch.indicators)
        for special in ch.special:
            shown += structure.SPECIAL_INDICATORS.get(special, ())
        changes = self._changes_table(
            f"riket-forandring-{ch.key}",
            _("Indikatorerna i riket nu och vid uppföljning %(name)s")
            % {"name": self.previous.name if self.previous else ""},
            list(dict.fromkeys(shown)),
        )
        if changes:
            sec.blocks.append(changes)
        for theme_id in ch.themes:
            sec.blocks += self._theme_blocks(theme_id)
        return sec

    # ---- the coded material (qualitative/picture.py, report/themes.py) --------------------
    @cached_property
    def pictures(self) -> dict[str, ThemePicture]:
        """Per theme of the frame, the picture of the follow-up's status reports and survey."""
        rounds = [r for r in (self.f.status_round, self.f.survey_round) if r is not None]
        return {t.theme.id: t for t in national_picture(rounds)}

    def _theme_blocks(self, theme_id: str) -> list[Table]:
        """A theme's block in a chapter: who raises it and the stages of its initiatives, its
        quotes and its fact boxes; [] when no one raises it and it has no fact box."""
        t = self.pictures.get(theme_id)
        if t is None or not theme_words.shown(t):
            return []
        words = theme_words.theme_sentences(t, len(self.regions), Municipality.objects.count())
        key = f"tema-{theme_id}"
        return [
            Prose.of(key, t.name, words),
            *(
                Quote.of(f"{key}-citat-{q.passage_id}", t.name, q.words, q.organisation)
                for q in t.quotes
            ),
            *(
                FactBox.of(
                    f"{key}-faktaruta-{e.factbox_id}",
                    e.title,
                    list(e.paragraphs),
                    e.quote.words,
                    e.quote.organisation,
                )
                for e in t.examples
            ),
        ]

    def _with_theme_chapter(self, sections: list[Section]) -> list[Section]:
        """The sections with the chapter of the themes no chapter names, before the region
        profiles (at the end without them), when there are such themes."""
        named = [t for ch in self.outline.chapters for t in ch.themes]
        left = theme_words.unplaced(self.pictures.values(), named)
        if not left:
            return sections
        sec = Section(theme_words.OWN_CHAPTER, theme_words.own_chapter_title())
        for t in left:
            sec.blocks += self._theme_blocks(t.theme.id)
        at = next((i for i, s in enumerate(sections) if s.kind == "profiles"), len(sections))
        return [*sections[:at], sec, *sections[at:]]

    def _profile_themes(self, region: Region) -> list[Table]:
        """In a region's profile: the themes its status report raises, and its quotable
        passages under them (a passage with two themes quoted once)."""
        raised = theme_words.region_raises(self.pictures.values(), region.code)
        if not raised:
            return []
        out: list[Table] = [
            Prose.of(
                f"profil-{region.code}-teman-text",
                _("Teman i nulägesrapporten"),
                [theme_words.region_sentence(raised, region.name)],
                level=4,
            )
        ]
        seen: set[int] = set()
        for t in raised:
            for q in t.region_quotes(region.code):
                if q.passage_id not in seen:
                    seen.add(q.passage_id)
                    out.append(
                        Quote.of(
                            f"profil-{region.code}-citat-{q.passage_id}",
                            t.name,
                            q.words,
                            q.organisation,
                            level=4,
                        )
                    )
        return out

    def _initiatives_by_stage(self, sec: Section, area: str) -> list[Table]:
        """How many regions describe initiatives in the development area (a sentence in
        ``sec``) and the initiatives per stage (a figure)."""
        stages = self._stages()
        if not stages:
            return []
        title = self._area_title(area)
        counts = {code: 0 for code, _label in stages}
        regions = set()
        for region, initiatives in self.initiatives.items():
            for row in initiatives:
                if row.get(statusreport.AREA) == area:
                    stage: str = row.get(statusreport.STAGE, "")
                    counts[stage] = counts.get(stage, 0) + 1
                    regions.add(region)
        sec.paragraphs.append(
            _(
                "%(area)s: %(r)d av %(n)d regioner beskriver insatser inom området i "
                "nulägesrapporterna, sammanlagt %(i)d insatser."
            )
            % {
                "area": title,
                "r": len(regions),
                "n": len(self.initiatives),
                "i": sum(counts.values()),
            }
        )
        if not sum(counts.values()):
            return []
        rows = [[label, counts[code]] for code, label in stages]
        spec = charts.stacked_counts(
            [
                {"label": title, "option": label, "percent": counts[code], "order": i}
                for i, (code, label) in enumerate(stages)
            ],
            _("Insatser per skede"),
            list(charts.STAGE_COLOURS),
        )
        return [
            Figure(
                f"insatser-{area}",
                _("Insatser per skede: %(area)s") % {"area": title},
                [_("Skede"), _("Antal insatser")],
                rows,
                [None, 0],
                spec=spec,
            )
        ]

    def _national(self, ch: outlines.Chapter) -> list[Table]:
        """The chapter's indicators for the nation: the latest period against the target, and
        the national trend of those with several periods."""
        rows: list[list[Any]] = []
        series: list[dict[str, Any]] = []
        notes: list[str] = []
        for indicator_id in ch.indicators:
            p = self.latest(indicator_id)
            if p is None:
                continue
            ind, d = p.indicator, charts.decimals(p.indicator.unit)
            nat = p.national
            if p.national_note:
                notes.append(f"{pick(ind.name)}: {p.national_note}")
            if note := self.coverage_note(p):
                notes.append(note)
            reached = (
                (_("%(r)d av %(n)d") % {"r": p.target_counts.get("reached", 0), "n": len(p.rows)})
                if p.target
                else "–"
            )
            rows.append(
                [
                    f"{pick(ind.name)} ({charts.unit_label(ind.unit)})",
                    self.per(ind.id, p.period),
                    Num(nat.value if nat else None, d),
                    Num(nat.ci_low if nat else None, d),
                    Num(nat.ci_high if nat else None, d),
                    charts.target_text(p.target, ind.unit) or "–",
                    reached,
                ]
            )
            for q in self.analyses[ind.id]:
                if q.national is not None and q.national.value is not None:
                    series.append(
                        {
                            "indicator": pick(ind.name),
                            "period": q.period,
                            "who": _("Riket"),
                            "value": q.national.value,
                            "unit": ind.unit,
                            "id": ind.id,
                        }
                    )
        if not rows:
            return []
        blocks = [
            Table(
                f"riket-{ch.key}",
                _("Indikatorerna i riket, senaste period"),
                [
                    _("Indikator"),
                    _("Period"),
                    _("Riket"),
                    _("95 % KI, nedre"),
                    _("95 % KI, övre"),
                    _("Mål"),
                    _("Regioner som nått målet"),
                ],
                rows,
                note=" ".join(notes),
            )
        ]
        counts: dict[str, int] = {}
        for point in series:
            counts[point["indicator"]] = counts.get(point["indicator"], 0) + 1
        trend = [point for point in series if counts[point["indicator"]] > 1]
        if trend:
            footnotes = BreakNotes(f"riket-trend-{ch.key}")
            marks = break_marks(footnotes, trend)
            blocks.append(
                Figure(
                    f"riket-trend-{ch.key}",
                    _("Indikatorerna i riket över tid"),
                    [_("Indikator"), _("Period"), _("Riket")],
                    [
                        [
                            t["indicator"],
                            Per(t["period"], mark=marks.get((t["id"], t["period"]), 0)),
                            Num(t["value"], charts.decimals(t["unit"])),
                        ]
                        for t in trend
                    ],
                    [None, None, 1],
                    note=break_note(footnotes),
                    spec=charts.region_vs_nation(trend, _("Indikatorerna i riket över tid")),
                )
            )
        return blocks

    @chapter_tables("strategies")
    def _strategies(self) -> list[Table]:
        rnd = self.f.status_round
        if rnd is None:
            return []
        rows = []
        names = {r.code: r.name for r in self.regions}
        for response in rnd.responses.filter(submitted_answers__isnull=False).order_by("region"):
            a = response.submitted_answers or {}
            rows.append(
                [
                    names.get(response.org_code, response.org_code),
                    _("ja") if a.get(statusreport.STRATEGY_DECIDED) == "ja" else _("nej"),
                    a.get(statusreport.STRATEGY_YEAR) or "–",
                    a.get(statusreport.STRATEGY_DESCRIPTION, ""),
                ]
            )
        return [
            Table(
                "strategier",
                _("Regionernas beslut om strategi för omställningen"),
                [_("Region"), _("Beslutad strategi"), _("År"), _("Beskrivning")],
                rows,
            )
        ]

    def _grid(self, question_id: str) -> list[ItemResult]:
        return [r for r in self.survey.values() if r.item.question_id == question_id]

    @chapter_tables("decisions")
    def _decisions(self) -> list[Table]:
        """Decisions on cooperation per level: yes/no shares, stacked (Figur 5 of 2020); in a
        later follow-up each level's bar of the previous follow-up above this one's."""
        items = self._grid(structure.DECISION_ITEMS)
        if not items:
            return []
        yes, no = _("Ja"), _("Nej")
        change = self.survey_change
        data, rows = [], []
        for r in items:
            level = pick(r.item.text)
            y, n = r.option_percent("ja"), r.option_percent("nej")
            label = level
            if change.nation is not None and change.round is not None:
                label = f"{change.round.form_year}: {level}"  # the year first: long labels are cut
                then = change.item(r.item.id)
                if then is not None and then.comparable:
                    before = [then.options.get(code) for code in ("ja", "nej")]
                    data += [
                        {
                            "label": f"{change.year}: {level}",
                            "option": option,
                            "percent": b.previous_percent if b else None,
                            "order": order,
                        }
                        for order, (option, b) in enumerate(zip((yes, no), before, strict=True))
                    ]
            data += [
                {"label": label, "option": yes, "percent": y, "order": 0},
                {"label": label, "option": no, "percent": n, "order": 1},
            ]
            rows.append([level, y, n, r.n] + self._then(r.item.id, "ja"))
        spec = charts.stacked_shares(
            data, _("Beslut om samverkan mellan kommun och region per nivå"), ["#2c6fbb", "#bdbdbd"]
        )
        blocks: list[Table] = [
            Figure(
                "beslut-samverkan",
                _("Beslut om samverkan mellan kommun och region"),
                [_("Nivå"), _("Ja, %"), _("Nej, %"), _("Svar (n)")]
                + self._then_header(_("Ja %(year)s, %%")),
                rows,
                [None, 0, 0, 0] + compared.SHARE_DECIMALS,
                note=" ".join(
                    filter(None, [_("Källa: enkät till kommunerna."), self._then_note(items)])
                ),
                spec=spec,
            )
        ]
        vision = self.survey.get(structure.SHARED_VISION_ITEM)
        if vision:
            blocks.append(
                Table(
                    "gemensam-malbild",
                    pick(vision.item.text),
                    [_("Svar"), _("Antal"), _("Andel, %")]
                    + self._then_header(_("Andel %(year)s, %%")),
                    [
                        [
                            c.text[self.lang],
                            vision.options.get(c.code, 0),
                            vision.option_percent(c.code),
                        ]
                        + self._then(vision.item.id, c.code)
                        for c in vision.item.choices
                    ],
                    [None, 0, 0] + compared.SHARE_DECIMALS,
                    note=" ".join(
                        filter(
                            None,
                            [
                                _("%(n)d kommuner besvarade frågan.") % {"n": vision.n},
                                self._then_note([vision]),
                            ],
                        )
                    ),
                )
            )
        return blocks

    @chapter_tables("online_booking")
    def _online_booking(self) -> list[Table]:
        """Clinics with online booking per region (Tabell 2 of 2020)."""
        latest = {i: p for i in structure.ONLINE_BOOKING if (p := self.latest(i)) is not None}
        if not latest:
            return []
        columns = list(latest)
        by_org = {i: {r.org: r.value for r in p.rows} for i, p in latest.items()}
        rows: list[list[Any]] = [
            [r.name] + [by_org[i].get(r.code) for i in columns] for r in self.regions
        ]
        nation: list[Any] = [_("Riket")] + [
            p.national.value if p.national else None for p in latest.values()
        ]
        period = self.when(latest[columns[0]])
        notes = [n for p in latest.values() if (n := self.coverage_note(p))]
        return [
            Table(
                "webbtidbok",
                _("Mottagningar med webbtidbok per region, %(period)s") % {"period": period},
                [_("Region")] + [pick(get_indicator(i).name) for i in columns],
                rows + [nation],
                [None] + [charts.decimals(get_indicator(i).unit) for i in columns],
                note=" ".join(notes),
            )
        ]

    @chapter_tables("staff")
    def _staff(self) -> list[Table]:
        """Staff balance per profession, counts and percent (Tabell 3 of 2020)."""
        items = [r for r in self._grid(structure.STAFF_GRID) if r.item.choices]
        if not items:
            return []
        choices = items[0].item.choices
        header = [_("Profession")] + [c.text[self.lang] for c in choices]
        rows = [
            [pick(r.item.text)]
            + [
                f"{r.options.get(c.code, 0)} ({pct_number(r.option_percent(c.code))})"
                for c in choices
            ]
            for r in sorted(items, key=lambda r: pick(r.item.text))
        ]
        changes = self._staff_changes(items)
        note = _("Antal kommuner och andel i procent inom parentes. Källa: enkät till kommunerna.")
        if not changes:  # not compared, or not comparable with the previous round: why
            note = " ".join(filter(None, [note, self._then_note(items)]))
        return [
            Table(
                "personal",
                _(
                    "Balans mellan tillgång och efterfrågan på legitimerad "
                    "personal i kommunal hälso- och sjukvård"
                ),
                header,
                rows,
                note=note,
            )
        ] + changes

    def _staff_changes(self, items: list[ItemResult]) -> list[Table]:
        """Staff balance per profession and answer, now and at the previous follow-up (none
        when no profession compares with the previous round)."""
        change = self.survey_change
        if change.nation is None or change.round is None:
            return []
        if not any((c := change.item(r.item.id)) is not None and c.comparable for r in items):
            return []
        rows = [
            [pick(r.item.text), c.text[self.lang], r.option_percent(c.code)]
            + self._then(r.item.id, c.code)
            for r in sorted(items, key=lambda r: pick(r.item.text))
            for c in r.item.choices
        ]
        year = change.round.form_year
        return [
            Table(
                "personal-forandring",
                _("Balansen per profession %(year)s jämfört med %(previous)s")
                % {"year": year, "previous": change.year},
                [_("Profession"), _("Svar"), _("Andel %(year)s, %%") % {"year": year}]
                + self._then_header(_("Andel %(year)s, %%")),
                rows,
                [None, None, 0] + compared.SHARE_DECIMALS,
                note=self._then_note(items),
            )
        ]

    def variation(self) -> Section:
        """One figure per indicator with a value, keyed ``variation-<indicator id>``: the map
        and the ranking side by side (charts.variation), the regions coloured by their
        judgement against the target or the nation, and one table with a row per region."""
        sec = Section("variation", _("Variation mellan regionerna"))
        sec.paragraphs.append(
            _(
                "Varje indikators senaste period per region med 95 % konfidensintervall, "
                "riket och målet. Regionerna färgas efter om de nått målet, för en indikator "
                "med mål, och annars efter hur de står sig mot riket."
            )
        )
        for ind in self.indicators:
            p = self.latest(ind.id)
            if p is not None and any(r.value is not None for r in p.rows):
                sec.blocks.append(self._variation_figure(p))
        return sec

    def _variation_figure(self, p: Profile) -> Figure:
        ind, name = p.indicator, pick(p.indicator.name)
        d = charts.decimals(ind.unit)
        header = [
            _("Region"),
            _("Värde"),
            _("95 % KI, nedre"),
            _("95 % KI, övre"),
            _("Rang"),
            _("Jämfört med riket"),
        ]
        rows = [
            [
                r.name,
                r.value,
                r.ci_low,
                r.ci_high,
                r.rank,
                wording.versus(charts.vs_nation(r, p)),
            ]
            + ([wording.target_status(r, p.target)] if p.target else [])
            for r in p.rows
        ]
        if p.target:
            header.append(_("Målet"))
        when = self.when(p)
        note = " ".join(
            s for s in (charts.shading(p).note(), self.coverage_note(p, named=False)) if s
        )
        return Figure(
            f"variation-{ind.id}",
            _("%(name)s per region, %(period)s") % {"name": name, "period": when},
            header,
            rows,
            [None, d, d, d, 0, None, None][: len(header)],
            note=note,
            spec=charts.variation(p, self._geo, name),
        )

    @cached_property
    def _geo(self) -> dict:

        return files.geojson("region")

    def region_profile(self, region: Region) -> Section:
        sec = Section(f"region-{region.code}", region.name, region=region)
        if opening := profile_text.opening(self, region):
            sec.own_paragraphs[len(sec.paragraphs)] = opening.own
            sec.paragraphs.append(opening.text)
        rows: list[list[Any]] = []
        series: list[dict[str, Any]] = []
        refs: list[tuple[str, str] | None] = []
        notes: list[str] = []
        for ind in self.indicators:
            p = self.latest(ind.id)
            row = next((r for r in p.rows if r.org == region.code), None) if p else None
            if p is None or row is None:
                continue
            d = charts.decimals(ind.unit)
            refs.append((ind.id, p.period))
            if p.national_note:
                notes.append(f"{pick(ind.name)}: {p.national_note}")
            if note := self.coverage_note(p):
                notes.append(note)
            rows.append(
                [
                    pick(ind.name),
                    self.per(ind.id, p.period),
                    Num(row.value, d),
                    Num(row.ci_low, d),
                    Num(row.ci_high, d),
                    Num(p.national.value if p.national else None, d),
                    charts.target_text(p.target, ind.unit),
                    wording.target_status(row, p.target),
                    wording.trend(row) or "–",
                ]
            )
            for q in self.analyses[ind.id]:
                own = next(
                    (r for r in q.rows if r.org == region.code and r.value is not None), None
                )
                if own and q.national and q.national.value is not None:
                    series += [
                        {
                            "indicator": pick(ind.name),
                            "period": q.period,
                            "who": region.name,
                            "value": own.value,
                            "id": ind.id,
                            "unit": ind.unit,
                        },
                        {
                            "indicator": pick(ind.name),
                            "period": q.period,
                            "who": _("Riket"),
                            "value": q.national.value,
                            "id": ind.id,
                            "unit": ind.unit,
                        },
                    ]
        if rows:
            sec.blocks.append(
                Table(
                    f"profil-{region.code}-indikatorer",
                    _("%(name)s: indikatorer mot riket och målet") % {"name": region.name},
                    [
                        _("Indikator"),
                        _("Period"),
                        _("Värde"),
                        _("95 % KI, nedre"),
                        _("95 % KI, övre"),
                        _("Riket"),
                        _("Mål"),
                        _("Målet"),
                        _("Trend"),
                    ],
                    rows,
                    refs=refs,
                    context_columns=frozenset({5}),
                    note=" ".join(notes),
                )
            )
        points: dict[str, int] = {}
        for s in series:
            points[s["indicator"]] = points.get(s["indicator"], 0) + 1
        multi = {name for name, n in points.items() if n > 2}  # a trend needs two periods
        if multi:
            chosen = [s for s in series if s["indicator"] in multi]
            footnotes = BreakNotes(f"profil-{region.code}-trender")
            marks = break_marks(footnotes, chosen)
            # one row per indicator and period: the region's value and the nation's beside it
            paired: dict[tuple[str, str], dict[str, Any]] = {}
            for s in chosen:
                pair = paired.setdefault((s["id"], s["period"]), dict(s))
                pair["nation" if s["who"] != region.name else "own"] = s["value"]
            title = _("%(name)s och riket över tid") % {"name": region.name}
            sec.blocks.append(
                Figure(
                    f"profil-{region.code}-trender",
                    title,
                    [_("Indikator"), _("Period"), region.name, _("Riket")],
                    [
                        [
                            s["indicator"],
                            Per(s["period"], mark=marks.get((s["id"], s["period"]), 0)),
                            Num(s.get("own"), charts.decimals(s["unit"])),
                            Num(s.get("nation"), charts.decimals(s["unit"])),
                        ]
                        for s in paired.values()
                    ],
                    [None, None, 1, 1],
                    note=break_note(footnotes),
                    refs=list(paired),
                    context_columns=frozenset({3}),  # the nation's values: not the region's
                    spec=charts.region_vs_nation(chosen, title),
                )
            )
        # after the trends, where it fills their last page instead of pushing the figure on
        changes = self._changes_table(
            f"profil-{region.code}-forandring",
            _("%(name)s: indikatorerna vid uppföljning %(previous)s och förändringen sedan")
            % {"name": region.name, "previous": self.previous.name if self.previous else ""},
            [ind.id for ind in self.indicators],
            region,
        )
        if changes:
            sec.blocks.append(changes)
        status = (
            surveys.status_report(self.f.status_round, region.code) if self.f.status_round else None
        )
        if status and status.initiatives:
            sec.blocks.append(
                Table(
                    f"profil-{region.code}-insatser",
                    _("%(name)s: insatser enligt nulägesrapporten") % {"name": region.name},
                    [_("Utvecklingsområde"), _("Insats"), _("Skede"), _("Startår")],
                    [[i.area, i.description, i.stage, i.start] for i in status.initiatives],
                )
            )
        themes = self._themes(region)
        if themes:
            sec.blocks.append(themes)
        sec.blocks += self._profile_themes(region)
        survey = self._county_survey(region)
        if survey:
            sec.blocks.append(survey)
        return sec

    def _themes(self, region: Region) -> Table | None:
        """The region's coded initiatives per theme beside the theme's indicators (value and
        trend), as on the region's page."""
        if self.f.status_round is None:
            return None
        rows: list[list[Any]] = []
        refs: list[tuple[str, str] | None] = []
        for t in link.region_themes(region.code, self.f.status_round_id):
            shown = False
            for ind in t.indicators:
                p = self.latest(ind.id)
                row = next((r for r in p.rows if r.org == region.code), None) if p else None
                if p is None or row is None:
                    continue
                refs.append((ind.id, p.period))
                rows.append(
                    [
                        t.name if not shown else "",
                        len(t.passages) if not shown else "",
                        t.stage_summary() if not shown else "",
                        pick(ind.name),
                        self.per(ind.id, p.period),
                        Num(row.value, charts.decimals(ind.unit)),
                        wording.vs_national(row),
                        wording.trend(row) or "–",
                    ]
                )
                shown = True
            if not shown:
                refs.append(None)
                rows.append([t.name, len(t.passages), t.stage_summary(), "–", "", None, "", ""])
        if not rows:
            return None
        return Table(
            f"profil-{region.code}-teman",
            _("%(name)s: kodade insatser per tema och temats indikatorer") % {"name": region.name},
            [
                _("Tema"),
                _("Kodade passager"),
                _("Skeden"),
                _("Indikator"),
                _("Period"),
                _("Värde"),
                _("Jämfört med riket"),
                _("Trend"),
            ],
            rows,
            [None, 0, None, None, None, None, None, None],
            refs=refs,
            context_columns=frozenset({6}),
            note=_(
                "Teman och skeden är analytikernas kodning av nulägesrapporten; "
                "indikatorerna är de som temat enligt katalogen ska påverka."
            ),
        )

    def _county_survey(self, region: Region) -> Table | None:
        """The county's municipalities against the nation on the survey's two-answer
        questions (ja/nej, finns/saknas, …): the share giving the first answer, named."""
        rnd = self.f.survey_round
        if rnd is None:
            return None
        codes = [m.code for m in region.municipalities.all()]
        comparison = surveys.compare_county(rnd, codes, national=self.survey)
        items = [i for i in comparison.items if len(i.options) == 2]
        if not items:
            return None
        county = self.survey_change.county(codes)  # against the previous follow-up's round
        least = surveys.MIN_RESPONSES
        rows = []
        for item in items:
            code, answer, mine_pct, nation_pct = item.options[0]
            row = [item.text, answer, item.n, mine_pct, nation_pct]
            if county is not None:
                mine = county.items.get(item.item_id)
                shown = mine is not None and mine.n >= least and mine.previous_n >= least
                row += compared.share_cells(mine, code, shown)
            rows.append(row)
        notes = [
            _("Andelen är andelen av de svarande som gav svaret i kolumnen Svar."),
            _("Andelar visas bara när minst %(n)d kommuner i länet besvarat frågan.")
            % {"n": least},
        ]
        if county is not None and self.survey_change.round is not None:
            notes.append(
                compared.not_comparable_notes(
                    [c for i in items if (c := county.items.get(i.item_id)) is not None],
                    self.survey_change.round,
                )
            )
        return Table(
            f"profil-{region.code}-enkat",
            _("%(county)s: kommunernas svar jämfört med riket") % {"county": region.county_name},
            [_("Fråga"), _("Svar"), _("Svar i länet (n)"), _("Länet, %"), _("Riket, %")]
            + (self._then_header(_("Länet %(year)s, %%")) if county is not None else []),
            rows,
            [None, None, 0, 0, 0] + (compared.SHARE_DECIMALS if county is not None else []),
            context_columns=frozenset({4}),
            note=" ".join(filter(None, notes)),
        )

    def appendices(self) -> list[Section]:
        out = []
        for rnd in (self.f.survey_round, self.f.status_round):
            if rnd is None:
                continue
            form = rnd.form
            sec = Section(
                f"formular-{form.id}", _("Bilaga: %(title)s") % {"title": pick(form.title)}
            )
            for section in form.sections:
                sec.paragraphs.append(f"§ {pick(section.title)}")
                for q in section.questions:
                    choices = q.choices or (q.items[0].choices if q.items else ())
                    text = f"{q.number}. {pick(q.text)}"
                    if len(q.items) > 1 and q.type == "grid":
                        text += " " + "; ".join(pick(i.text) for i in q.items) + "."
                    if choices:
                        text += " (" + " / ".join(c.text[self.lang] for c in choices) + ")"
                    sec.paragraphs.append(text)
            out.append(sec)
        sec = Section("definitioner", _("Bilaga: indikatorernas definitioner och förbehåll"))
        rows = []
        for ind in self.indicators:
            latest = self.latest(ind.id)
            assert latest is not None, "the report's indicators have values"
            version = ind.version_at(latest.period) or ind.versions[-1]
            rows.append(
                [
                    pick(ind.name),
                    pick(version.definition),
                    charts.unit_label(ind.unit),
                    charts.target_text(version.target, ind.unit) or "–",
                    pick(ind.caveats_at(latest.period)) or "–",
                ]
            )
        sec.blocks.append(
            Table(
                "definitioner",
                _("Indikatorernas definitioner"),
                [_("Indikator"), _("Definition"), _("Enhet"), _("Mål"), _("Att tänka på")],
                rows,
            )
        )
        out.append(sec)
        return out


def build_report(followup: FollowUp, override: str = "") -> Report:
    """The report of one follow-up in the active language (``override``: the analyst's reason
    for publishing before the fact-check is done, printed in the method section)."""
    return Builder(followup, override).build()

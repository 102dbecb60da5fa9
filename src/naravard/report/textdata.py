"""What an analyst's text may ask of the store: the names its expressions see.

Every name is an object whose public attributes and methods are safe to call from Jinja2's
sandbox (they read; nothing writes). Names are Swedish, as the analysts write:

``uppfoljning``   ``.namn``, ``.titel``, ``.data_till`` (date), ``.publicerad`` (date),
                  ``.foregaende`` (the name of the follow-up compared with, or "")
``enkat``         the municipal survey: ``.svarande``, ``.tillfragade``, ``.svarsfrekvens`` (%),
                  ``.andel(fraga, svar)`` (%), ``.antal(fraga, svar)``, ``.n(fraga)``,
                  ``.forandring(fraga, svar)`` (percentage points since the previous follow-up)
``indikator(id)`` an indicator in its latest period: ``.namn``, ``.period`` ("mars 2020"),
                  ``.riket``, ``.mal``, ``.nadde`` (regions that reached the target),
                  ``.antal_nadde``, ``.antal_regioner``, ``.battre``/``.samre`` (regions
                  significantly better/worse than the nation), ``.hogst``/``.lagst`` (a region
                  with ``.name`` and ``.value``), ``.region(kod)`` (its value)
``tema(id)``      a theme of the coding frame in the status reports and survey answers:
                  ``.namn``, ``.regioner``, ``.antal_regioner``, ``.kommuner``,
                  ``.antal_kommuner``
``insatser``      the status reports' initiatives: ``.antal``, ``.regioner`` (that describe
                  any), ``.antal_regioner``
``regioner``, ``kommuner``  how many regions and municipalities there are
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from naravard.core.language import pick
from naravard.qualitative.counts import Filters, ThemeCount, theme_counts
from naravard.qualitative.frame import Code, current_frame
from naravard.refdata import files

if TYPE_CHECKING:
    from naravard.analysis.profile import Profile
    from naravard.report.content import Builder


@dataclass(frozen=True)
class Place:
    """A region with a value (``hogst``, ``lagst``)."""

    code: str
    name: str
    value: float | None

    def __str__(self) -> str:
        return self.name


class FollowUpData:
    def __init__(self, builder: Builder):
        f = builder.f
        self.namn = f.name
        self.titel = f.title(builder.lang)
        self.data_till: dt.date = f.data_until
        self.publicerad: dt.date = f.published_on
        self.foregaende = builder.previous.name if builder.previous else ""


class SurveyData:
    def __init__(self, builder: Builder):
        self._b = builder
        rnd = builder.f.survey_round
        if rnd is None:
            self.svarande = self.tillfragade = 0
            self.svarsfrekvens: float | None = None
            return
        from naravard.collect.results import summary

        s = summary(rnd)
        self.svarande, self.tillfragade, self.svarsfrekvens = s.responded, s.invited, s.rate

    def _item(self, fraga: str):
        item = self._b.survey.get(str(fraga))
        if item is None:
            known = ", ".join(sorted(self._b.survey)[:12])
            raise LookupError(
                _("enkäten har ingen fråga %(q)s (finns: %(known)s)") % {"q": fraga, "known": known}
            )
        return item

    def _code(self, item, svar: str) -> str:
        codes = [c.code for c in item.item.choices]
        if svar not in codes:
            raise LookupError(
                _("fråga %(q)s har inget svar %(a)s (finns: %(codes)s)")
                % {"q": item.item.id, "a": svar, "codes": ", ".join(codes)}
            )
        return svar

    def andel(self, fraga: str, svar: str) -> float | None:
        item = self._item(fraga)
        return item.option_percent(self._code(item, svar))

    def antal(self, fraga: str, svar: str) -> int:
        item = self._item(fraga)
        return int(item.options.get(self._code(item, svar), 0))

    def n(self, fraga: str) -> int:
        return int(self._item(fraga).n)

    def forandring(self, fraga: str, svar: str) -> float | None:
        self._code(self._item(fraga), svar)
        change = self._b.survey_change.item(str(fraga))
        if change is None or not change.comparable:
            return None
        option = change.options.get(svar)
        return option.change_pp if option else None


class IndicatorData:
    def __init__(self, builder: Builder, profile: Profile):
        self._p = profile
        ind = profile.indicator
        self.id = ind.id
        self.namn = pick(ind.name)
        self.period = builder.when(profile)
        self.riket = profile.national.value if profile.national else None
        self.mal = profile.target.value if profile.target else None
        shown = [r for r in profile.rows if r.value is not None and not r.suppressed]
        self.nadde = [r.name for r in profile.rows if r.target_reached is True]
        self.antal_nadde = len(self.nadde)
        self.antal_regioner = len(profile.rows)
        self.battre = [r.name for r in profile.rows if r.vs_national == "better"]
        self.samre = [r.name for r in profile.rows if r.vs_national == "worse"]
        ordered = sorted(shown, key=lambda r: (-(r.value or 0), r.org))
        self.hogst = Place(ordered[0].org, ordered[0].name, ordered[0].value) if ordered else None
        self.lagst = (
            Place(ordered[-1].org, ordered[-1].name, ordered[-1].value) if ordered else None
        )

    def region(self, kod: str) -> float | None:
        for row in self._p.rows:
            if row.org == str(kod):
                return row.value
        raise LookupError(_("ingen region %(code)s har värden") % {"code": kod})


class ThemeData:
    def __init__(self, theme: Code, count: ThemeCount | None):
        self.id = theme.id
        self.namn = pick(theme.name)
        self.regioner: list[str] = [r.name for r in count.regions] if count else []
        self.antal_regioner = len(self.regioner)
        self.kommuner: list[str] = [m.name for m in count.municipalities] if count else []
        self.antal_kommuner = len(self.kommuner)


class InitiativeData:
    def __init__(self, builder: Builder):
        initiatives = builder.initiatives
        names = {r.code: r.name for r in builder.regions}
        self.antal = sum(len(rows) for rows in initiatives.values())
        self.regioner = [names.get(code, code) for code, rows in initiatives.items() if rows]
        self.antal_regioner = len(self.regioner)


def context(builder: Builder) -> dict[str, Any]:
    """The names an analyst's text sees, for the follow-up ``builder`` builds."""
    indicators: dict[str, IndicatorData] = {}
    themes: dict[str, ThemeData] = {}

    def indikator(indicator_id: str) -> IndicatorData:
        if indicator_id not in indicators:
            known = [i.id for i in builder.indicators]
            if indicator_id not in known:
                raise LookupError(
                    _("ingen indikator %(id)s i rapporten (finns: %(known)s)")
                    % {"id": indicator_id, "known": ", ".join(known)}
                )
            p = builder.latest(indicator_id)
            if p is None:
                raise LookupError(_("indikatorn %(id)s har inga värden") % {"id": indicator_id})
            indicators[indicator_id] = IndicatorData(builder, p)
        return indicators[indicator_id]

    def tema(theme_id: str) -> ThemeData:
        if theme_id not in themes:
            frame = current_frame()
            known = [t.id for t in frame.all_themes]
            if theme_id not in known:
                raise LookupError(
                    _("inget tema %(id)s i kodramen (finns: %(known)s)")
                    % {"id": theme_id, "known": ", ".join(known)}
                )
            rounds = [r.pk for r in (builder.f.status_round, builder.f.survey_round) if r]
            counts = [
                c
                for round_id in rounds
                for c in theme_counts(Filters(round_id=round_id), codes=(frame.theme(theme_id),))
            ]
            merged = counts[0] if counts else None
            for extra in counts[1:]:
                assert merged is not None
                merged.regions = sorted({*merged.regions, *extra.regions}, key=lambda r: r.code)
                merged.municipalities = sorted(
                    {*merged.municipalities, *extra.municipalities}, key=lambda m: m.code
                )
            themes[theme_id] = ThemeData(frame.theme(theme_id), merged)
        return themes[theme_id]

    return {
        "uppfoljning": FollowUpData(builder),
        "enkat": SurveyData(builder),
        "indikator": indikator,
        "tema": tema,
        "insatser": InitiativeData(builder),
        "regioner": len(files.regions()),
        "kommuner": len(files.municipalities()),
    }

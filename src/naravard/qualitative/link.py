"""The link between the qualitative and the quantitative follow-up: a region's coded
initiatives per theme, beside the indicators the catalogue says that theme should move.

Region pages and the annual report both use :func:`region_themes`; the public page reads only
texts of published status-report rounds, the report only its own round's."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from naravard.catalog.catalogue import Indicator, indicators_for_theme
from naravard.language import pick
from naravard.qualitative.frame import Code, current_frame
from naravard.qualitative.models import Passage, TextKind


@dataclass
class ThemeLink:
    theme: Code
    passages: list[Passage] = field(default_factory=list)
    stages: Counter = field(default_factory=Counter)
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def name(self) -> str:
        return pick(self.theme.name)

    def stage_summary(self) -> str:
        """'Pilot 2, Bred införing 1' in the frame's order of stages."""
        return ", ".join(f"{pick(s.name)} {self.stages[s.id]}" for s in current_frame().stages
                         if self.stages[s.id])


def _passages(region_code: str, *, round_id: int | None, published_only: bool):
    passages = Passage.objects.filter(text__region_id=region_code,
                                      text__kind=TextKind.STATUS_REPORT,
                                      text__replaced_at__isnull=True)
    if round_id is not None:
        passages = passages.filter(text__round_id=round_id)
    if published_only:
        passages = passages.filter(text__round__is_published=True)
    return (passages.select_related("text").prefetch_related("themes")
            .order_by("text__round_id", "text__item_id", "start", "coder_id", "pk"))


def region_themes(region_code: str, *, round_id: int | None = None,
                  published_only: bool = True) -> list[ThemeLink]:
    """The themes a region's status reports raise, in the frame's order, each with its coded
    passages (the same sentence coded by two analysts shows once), their stages and the
    catalogue's indicators for the theme."""
    links = {t.id: ThemeLink(t) for t in current_frame().themes}
    stage_names = {s.id: pick(s.name) for s in current_frame().stages}
    seen: set[tuple[str, int, int, int]] = set()
    for p in _passages(region_code, round_id=round_id, published_only=published_only):
        p.stage_name = stage_names.get(p.stage, p.stage)
        for theme in p.theme_ids:
            link = links.get(theme)
            key = (theme, p.text_id, p.start, p.end)
            if link is None or key in seen:
                continue
            seen.add(key)
            link.passages.append(p)
            if p.stage:
                link.stages[p.stage] += 1
    out = [link for link in links.values() if link.passages]
    for link in out:
        link.indicators = indicators_for_theme(link.theme.id)
    return out


def codes_table(round_id: int) -> tuple[list[str], list[list]]:
    """Every current code on a round's texts as a table (for the report's input digests)."""
    rows = []
    for p in (Passage.objects.filter(text__round_id=round_id, text__replaced_at__isnull=True)
              .select_related("text").prefetch_related("themes")
              .order_by("text__region_id", "text__municipality_id", "text__item_id", "start",
                        "end", "coder_id", "pk")):
        rows.append([p.text.region_id or p.text.municipality_id, p.text.item_id, p.start, p.end,
                     " ".join(sorted(p.theme_ids)), p.stage, p.frame_version])
    return ["org", "item", "start", "end", "themes", "stage", "frame_version"], rows

"""Counting the coded passages: per theme, how many and which regions and municipalities
raise it, at which stages, with the quotes. Only current texts count (a replaced answer's
codes stay stored but are left out)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from naravard.qualitative.frame import Code, current_frame
from naravard.qualitative.models import Passage, PassageTheme, Text
from naravard.refdata.models import Municipality, Region


@dataclass(frozen=True)
class Filters:
    """Which passages count: by kind of text, round, coder and region."""

    kind: str = ""
    round_id: int | None = None
    coder_id: int | None = None
    region: str = ""  # the region's own texts and its municipalities'

    def texts(self) -> QuerySet[Text]:
        texts = Text.objects.filter(replaced_at__isnull=True)
        if self.kind:
            texts = texts.filter(kind=self.kind)
        if self.round_id:
            texts = texts.filter(round_id=self.round_id)
        if self.region:
            texts = texts.filter(region_id=self.region) | texts.filter(
                municipality__region_id=self.region
            )
        return texts

    def passages(self) -> QuerySet[Passage]:
        passages = Passage.objects.filter(text__in=self.texts())
        if self.coder_id:
            passages = passages.filter(coder_id=self.coder_id)
        return passages


@dataclass
class ThemeCount:
    theme: Code
    passages: int = 0  # distinct passages: a span coded by several analysts counts once
    regions: list[Region] = field(default_factory=list)
    municipalities: list[Municipality] = field(default_factory=list)
    stages: Counter = field(default_factory=Counter)  # distinct passages per stage given
    stage_list: list[tuple[str, int]] = field(default_factory=list)  # (stage name, count)


def theme_counts(
    filters: Filters = Filters(), codes: tuple[Code, ...] | None = None
) -> list[ThemeCount]:
    """One row per theme of the frame (or per code of ``codes``, e.g. a theme's sub-themes),
    in the frame's order; codes never used have zeros."""
    rows = {t.id: ThemeCount(t) for t in (current_frame().themes if codes is None else codes)}
    spans: dict[str, set] = defaultdict(set)
    staged: dict[str, set] = defaultdict(set)
    region_codes: dict[str, set[str]] = defaultdict(set)
    municipality_codes: dict[str, set[str]] = defaultdict(set)
    coded = PassageTheme.objects.filter(passage__in=filters.passages()).values_list(
        "theme",
        "passage__text_id",
        "passage__start",
        "passage__end",
        "passage__stage",
        "passage__text__region_id",
        "passage__text__municipality_id",
    )
    for theme, text, start, end, stage, region, municipality in coded:
        if theme not in rows:  # a theme of an older frame version
            continue
        spans[theme].add((text, start, end))
        if stage:
            staged[theme].add((text, start, end, stage))
        if region:
            region_codes[theme].add(region)
        if municipality:
            municipality_codes[theme].add(municipality)
    regions = {r.code: r for r in Region.objects.all()}
    municipalities = Municipality.objects.in_bulk(
        set().union(*municipality_codes.values()) if municipality_codes else []
    )
    for theme, row in rows.items():
        row.passages = len(spans[theme])
        row.stages = Counter(stage for *_span, stage in staged[theme])
        row.regions = [regions[c] for c in sorted(region_codes[theme])]
        row.municipalities = [municipalities[c] for c in sorted(municipality_codes[theme])]
    return list(rows.values())


def quotes(theme_id: str, filters: Filters = Filters()) -> QuerySet[Passage]:
    """The coded passages with a theme, with their text, organisation and coder."""
    return (
        filters.passages()
        .filter(themes__theme=theme_id)
        .select_related("text__region", "text__municipality__region", "text__round", "coder")
        .prefetch_related("themes")
        .order_by("text__region_id", "text__municipality_id", "text_id", "start", "pk")
    )

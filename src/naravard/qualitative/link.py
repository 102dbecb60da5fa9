"""The link between the qualitative and the quantitative follow-up: a region's coded
initiatives per theme, beside the indicators the catalogue says that theme should move.

Region pages and the annual report both use :func:`region_themes`, for one status-report
round: the public page its latest published one, the report its own. Public pages quote only
the initiative rows of a status report (already public on the region page); other coded
passages are counted, not quoted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from naravard.catalog.catalogue import Indicator, indicators_for_theme
from naravard.core.language import pick
from naravard.qualitative.frame import Code, current_frame, labels
from naravard.qualitative.models import FactBox, Passage, TextKind

INITIATIVE_ROWS = "insatser."  # item ids of the status report's initiative rows


@dataclass
class ThemeLink:
    theme: Code
    passages: list[Passage] = field(default_factory=list)
    stages: Counter = field(default_factory=Counter)
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def name(self) -> str:
        return pick(self.theme.name)

    @property
    def initiatives(self) -> list[Passage]:
        """The coded passages that are initiative rows (quotable on public pages)."""
        return [p for p in self.passages if p.text.item_id.startswith(INITIATIVE_ROWS)]

    @property
    def other_passages(self) -> int:
        return len(self.passages) - len(self.initiatives)

    def stage_summary(self) -> str:
        """'Pilot 2, Bred införing 1' in the frame's order of stages."""
        return ", ".join(f"{name} {n}" for name, n in current_frame().stage_counts(self.stages))


def latest_published_round(region_code: str) -> int | None:
    """The latest published status-report round with coded text from the region."""
    return (
        Passage.objects.filter(
            text__region_id=region_code,
            text__kind=TextKind.STATUS_REPORT,
            text__replaced_at__isnull=True,
            text__round__is_published=True,
        )
        .order_by("-text__round__opened_at", "-text__round_id")
        .values_list("text__round_id", flat=True)
        .first()
    )


def region_themes(region_code: str, round_id: int | None) -> list[ThemeLink]:
    """The themes a region's status report of one round raises, in the frame's order, each
    with its coded passages (a sentence coded by several analysts shows once), their stages
    and the catalogue's indicators for the theme."""
    if round_id is None:
        return []
    links = {t.id: ThemeLink(t) for t in current_frame().themes}
    stage_names = labels(current_frame().stages)
    passages = (
        Passage.objects.filter(
            text__region_id=region_code,
            text__round_id=round_id,
            text__kind=TextKind.STATUS_REPORT,
            text__replaced_at__isnull=True,
        )
        .select_related("text")
        .prefetch_related("themes")
        .order_by("text__item_id", "start", "coder_id", "pk")
    )
    for p in passages:
        p.stage_name = stage_names.get(p.stage, p.stage)
        for theme in p.theme_ids:
            link = links.get(theme)
            if link is None or any(
                q.text_id == p.text_id and q.start < p.end and p.start < q.end
                for q in link.passages
            ):
                continue  # an older frame's theme, or a span already shown
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
    for p in (
        Passage.objects.filter(text__round_id=round_id, text__replaced_at__isnull=True)
        .select_related("text")
        .prefetch_related("themes")
        .order_by(
            "text__region_id",
            "text__municipality_id",
            "text__item_id",
            "start",
            "end",
            "coder_id",
            "pk",
        )
    ):
        rows.append(
            [
                p.text.region_id or p.text.municipality_id,
                p.text.item_id,
                p.start,
                p.end,
                " ".join(sorted(p.theme_ids)),
                p.stage,
                p.frame_version,
                int(p.quotable),
            ]
        )
    return ["org", "item", "start", "end", "themes", "stage", "frame_version", "quotable"], rows


def factboxes_table(round_id: int) -> tuple[list[str], list[list]]:
    """Every fact box of a round as a table (for the report's input digests)."""
    rows = [
        [box.theme, box.passage_id, box.title, box.text, box.author.get_username()]
        for box in FactBox.objects.filter(round_id=round_id)
        .select_related("author")
        .order_by("theme", "created_at", "pk")
    ]
    return ["theme", "passage", "title", "text", "author"], rows

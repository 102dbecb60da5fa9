"""Agreement between two analysts who coded the same texts, as Cohen's kappa.

The unit is the sentence: over the texts both analysts coded, a sentence carries a theme for
an analyst when one of the analyst's passages with that theme overlaps it. Kappa is given per
theme (the frame's themes, not sub-themes), pooled over all themes, as the mean of the
themes' kappas, and for the stage of the sentences both coded (where an analyst's passages
over a sentence give different stages, the last one counts). Kappa and its 95 % interval
come from statsmodels; the interval takes units as independent, which the pooled kappa's
sentence × theme units are not, so its interval is too narrow. Kappa is undefined when both
analysts agree by chance alone (for instance when neither used a theme).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from django.contrib.auth import get_user_model
from statsmodels.stats.inter_rater import cohens_kappa

from naravard.qualitative.frame import Code, current_frame
from naravard.qualitative.models import Passage, Segment

NO_STAGE = ""


@dataclass(frozen=True)
class Kappa:
    kappa: float | None  # None when undefined
    low: float | None
    high: float | None
    observed: float  # share of units where the two agree
    n: int  # units

    @classmethod
    def of(cls, a: list, b: list) -> Kappa:
        categories = sorted(set(a) | set(b))
        index = {c: i for i, c in enumerate(categories)}
        table = np.zeros((len(categories), len(categories)))
        for x, y in zip(a, b, strict=True):
            table[index[x], index[y]] += 1
        n = len(a)
        observed = float(np.trace(table) / n) if n else 0.0
        if n == 0 or len(categories) < 2:
            return cls(None, None, None, observed, n)
        expected = float((table.sum(axis=0) * table.sum(axis=1)).sum() / n**2)
        if expected >= 1.0:
            return cls(None, None, None, observed, n)
        with np.errstate(divide="ignore", invalid="ignore"):  # its z test when agreement is full
            result = cohens_kappa(table)
        low, high = (
            (max(-1.0, float(result.kappa_low)), min(1.0, float(result.kappa_upp)))
            if np.isfinite(result.std_kappa)
            else (None, None)
        )  # a Wald interval, kept in [-1, 1]
        return cls(float(result.kappa), low, high, observed, n)


@dataclass(frozen=True)
class ThemeAgreement:
    theme: Code
    kappa: Kappa
    both: int  # sentences both gave the theme
    only_first: int
    only_second: int


@dataclass(frozen=True)
class Agreement:
    first: object  # user
    second: object
    texts: int
    overall: Kappa  # pooled over sentence × theme (grows with themes neither used)
    themes: list[ThemeAgreement]
    stage: Kappa

    @property
    def mean_theme_kappa(self) -> float | None:
        """The mean of the themes' kappas, over the themes where it is defined."""
        defined = [t.kappa.kappa for t in self.themes if t.kappa.kappa is not None]
        return sum(defined) / len(defined) if defined else None


def _labels(passages, segments) -> dict[int, tuple[set[str], str | None]]:
    """Per sentence id: the themes of the overlapping passages and their stage."""
    by_text = defaultdict(list)
    for p in passages:
        by_text[p.text_id].append(p)
    out = {}
    for s in segments:
        themes, stage, coded = set(), NO_STAGE, False
        for p in by_text.get(s.text_id, ()):
            if p.start < s.end and p.end > s.start:
                coded = True
                themes.update(p.theme_ids)
                stage = p.stage or stage
        out[s.pk] = (themes, stage if coded else None)
    return out


def agreement(first, second) -> Agreement | None:
    """Kappa between two analysts over the texts both coded (None when they share none)."""
    passages = Passage.objects.filter(coder__in=[first, second]).prefetch_related("themes")
    texts_of = defaultdict(set)
    for p in passages:
        texts_of[p.coder_id].add(p.text_id)
    shared = texts_of[first.pk] & texts_of[second.pk]
    if not shared:
        return None
    segments = list(Segment.objects.filter(text_id__in=shared).order_by("text_id", "position"))
    mine = [p for p in passages if p.text_id in shared]
    a = _labels([p for p in mine if p.coder_id == first.pk], segments)
    b = _labels([p for p in mine if p.coder_id == second.pk], segments)
    theme_rows, pooled_a, pooled_b = [], [], []
    for theme in current_frame().themes:
        xs = [theme.id in a[s.pk][0] for s in segments]
        ys = [theme.id in b[s.pk][0] for s in segments]
        pooled_a += xs
        pooled_b += ys
        theme_rows.append(
            ThemeAgreement(
                theme,
                Kappa.of(xs, ys),
                sum(x and y for x, y in zip(xs, ys, strict=True)),
                sum(x and not y for x, y in zip(xs, ys, strict=True)),
                sum(y and not x for x, y in zip(xs, ys, strict=True)),
            )
        )
    both_coded = [s.pk for s in segments if a[s.pk][1] is not None and b[s.pk][1] is not None]
    stage = Kappa.of([a[i][1] for i in both_coded], [b[i][1] for i in both_coded])
    return Agreement(first, second, len(shared), Kappa.of(pooled_a, pooled_b), theme_rows, stage)


def pairs() -> list[tuple[object, object, int]]:
    """Every pair of analysts who coded at least one text in common, with that number."""
    texts_of = defaultdict(set)
    for coder, text in Passage.objects.values_list("coder_id", "text_id").distinct():
        texts_of[coder].add(text)
    users = get_user_model().objects.in_bulk(list(texts_of))
    out = []
    for x, y in combinations(sorted(texts_of), 2):
        shared = len(texts_of[x] & texts_of[y])
        if shared:
            out.append((users[x], users[y], shared))
    return out

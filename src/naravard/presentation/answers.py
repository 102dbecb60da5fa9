"""An indicator's answer in words, said above its map and ranking: how many areas have
reached the target and which, how many differ significantly from the nation and which.

The sentences count the same categories the charts are coloured by (charts.shading), so the
words and the colours never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from naravard.analysis.profile import OrgResult, Profile
from naravard.presentation import charts

# a sentence names its areas inline up to this many; more are listed folded away
NAMED_INLINE = 12


@dataclass(frozen=True)
class Answer:
    """One sentence: ``text`` up to the names, the ``category`` its areas are coloured by
    (a key of :data:`charts.JUDGEMENT_COLOURS`) and the ``areas`` it names, by name (none
    when the sentence speaks of all of them)."""

    text: str
    category: str
    areas: list[OrgResult]

    @property
    def folded(self) -> bool:
        """Whether the names are too many to read inline."""
        return len(self.areas) > NAMED_INLINE


def _areas(level: str) -> tuple[str, str]:
    """The areas of a level as the sentences name them: indefinite and definite plural."""
    if level == "region":
        return _("regioner"), _("regionerna")
    return _("kommuner"), _("kommunerna")


def _by_category(p: Profile, shade: charts.Shading) -> dict[str, list[OrgResult]]:
    out: dict[str, list[OrgResult]] = {}
    for row in sorted(p.rows, key=lambda r: r.name):
        out.setdefault(shade.of[row.org], []).append(row)
    return out


def answers(p: Profile, level: str) -> list[Answer]:
    """Every sentence of the answer: against the target, against the nation, and which
    areas have no published value."""
    missing = sorted((r for r in p.rows if r.value is None), key=lambda r: r.name)
    out = target_answers(p, level) + nation_answers(p, level)
    if missing and out:
        text = ngettext(
            "För %(k)d publiceras inget värde", "För %(k)d publiceras inget värde", len(missing)
        ) % {"k": len(missing)}
        out.append(Answer(text, "no_value", missing))
    return out


def target_answers(p: Profile, level: str) -> list[Answer]:
    """How many of the areas reached the target, and which; then those that did not and
    those where it is uncertain ([] without a target)."""
    if p.target is None or not p.rows:
        return []
    found = _by_category(p, charts.shading(p, "target"))
    n = len(p.rows)
    areas, the_areas = _areas(level)
    words = {"n": n, "areas": areas, "the_areas": the_areas}
    words["target"] = charts.target_text(p.target, p.indicator.unit)
    reached = found.get("reached", [])
    if not reached:
        out = [
            Answer(
                _("Ingen av de %(n)d %(the_areas)s har nått målet %(target)s") % words,
                "reached",
                [],
            )
        ]
    elif len(reached) == n:
        out = [Answer(_("Alla %(n)d %(areas)s har nått målet %(target)s") % words, "reached", [])]
    else:
        out = [
            Answer(
                ngettext(
                    "%(r)d av %(n)d %(areas)s har nått målet %(target)s",
                    "%(r)d av %(n)d %(areas)s har nått målet %(target)s",
                    len(reached),
                )
                % {**words, "r": len(reached)},
                "reached",
                reached,
            )
        ]
    rest = {
        "not_reached": ngettext_lazy("%(k)d har inte nått det", "%(k)d har inte nått det", "k"),
        "uncertain": ngettext_lazy(
            "För %(k)d är det osäkert om målet är nått",
            "För %(k)d är det osäkert om målet är nått",
            "k",
        ),
    }
    out += _rest(found, rest, n)
    return out


def nation_answers(p: Profile, level: str) -> list[Answer]:
    """How many of the areas differ significantly from the nation, each way, and which
    ([] when none could be compared)."""
    shade = charts.shading(p, "nation") if "nation" in charts.shading_bases(p) else None
    if shade is None or p.national is None:
        return []
    found = _by_category(p, shade)
    n = len(p.rows)
    areas, the_areas = _areas(level)
    words = {"n": n, "areas": areas, "the_areas": the_areas}
    sentences = {
        "better": ngettext_lazy(
            "%(k)d av %(n)d %(areas)s är signifikant bättre än riket",
            "%(k)d av %(n)d %(areas)s är signifikant bättre än riket",
            "k",
        ),
        "worse": ngettext_lazy(
            "%(k)d av %(n)d %(areas)s är signifikant sämre än riket",
            "%(k)d av %(n)d %(areas)s är signifikant sämre än riket",
            "k",
        ),
        "higher": ngettext_lazy(
            "%(k)d av %(n)d %(areas)s har signifikant högre värden än riket",
            "%(k)d av %(n)d %(areas)s har signifikant högre värden än riket",
            "k",
        ),
        "lower": ngettext_lazy(
            "%(k)d av %(n)d %(areas)s har signifikant lägre värden än riket",
            "%(k)d av %(n)d %(areas)s har signifikant lägre värden än riket",
            "k",
        ),
    }
    out = [
        Answer(str(text % {**words, "k": len(found[c])}), c, found[c])
        for c, text in sentences.items()
        if found.get(c)
    ]
    if not out:
        out = [
            Answer(
                _("Ingen av de %(n)d %(the_areas)s skiljer sig signifikant från riket") % words,
                "similar",
                [],
            )
        ]
        found.pop("similar", None)
    rest = {
        "similar": ngettext_lazy(
            "%(k)d skiljer sig inte signifikant från riket",
            "%(k)d skiljer sig inte signifikant från riket",
            "k",
        ),
        "not_compared": ngettext_lazy(
            "%(k)d kan inte jämföras med riket",
            "%(k)d kan inte jämföras med riket",
            "k",
        ),
    }
    out += _rest(found, rest, n)
    return out


def _rest(found: dict[str, list[OrgResult]], sentences: dict[str, Any], n: int) -> list[Answer]:
    """The sentences of the categories after the first, each with its areas (named unless
    the category holds every area)."""
    return [
        Answer(
            str(text % {"k": len(found[c])}),
            c,
            found[c] if len(found[c]) < n else [],
        )
        for c, text in sentences.items()
        if found.get(c)
    ]

"""Question lineage: how the questions of a form series continue from one year's form to the
next, and where a series of answers breaks.

Each question of a form of a series relates to the form before it in the series (or to the
earlier form its ``lineage`` names) in one of four ways:

* it continues a question as the same question: the earlier question has the same id (or the
  id ``lineage.continues`` gives) and the same answer codes;
* it continues a question whose answers were recoded: ``lineage.codes`` maps every old answer
  code to a new one, and counts of the old codes are counts of the new ones;
* it follows a question but cannot be compared with it (``lineage.not_comparable`` says why):
  a series of answers has a break there;
* it is new: nothing earlier is named and no earlier question has its id.

A grid's rows follow the grid: row ``r`` of a grid that continues grid ``g`` continues row
``g.r``. :func:`chains` joins the items of every form of a series into chains (one per
question over the years); :func:`problems` names what ``naravard forms check`` and system
check naravard.E026 refuse: a lineage that points at a missing question or form, a mapping that
leaves old codes unmapped or maps to codes the question does not have, answers changed without
a mapping, two questions that continue one, and cycles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from naravard.collect.definition import FormDefinition, Item, Question, series_forms

SAME, RECODED, BREAK, NEW = "same", "recoded", "not_comparable", "new"


@dataclass(frozen=True)
class Step:
    """How one item of a form relates to the earlier form of its series."""

    form: str
    item: str
    kind: str  # SAME | RECODED | BREAK | NEW
    previous_form: str | None = None
    previous_item: str | None = None
    codes: dict[str, str] | None = None  # old code -> new code (RECODED, or a recoded BREAK)
    reason: dict[str, str] | None = None  # why not comparable (BREAK)

    @property
    def comparable(self) -> bool:
        return self.kind in (SAME, RECODED)

    def new_code(self, old: str) -> str | None:
        """The code of this item that an old answer ``old`` counts as (None: no such code)."""
        return old if self.codes is None else self.codes.get(old)


@dataclass
class Chain:
    """One question followed through the forms of its series: the item each form asks it as
    (oldest first), and how each continues the one before. ``root`` (the first item) names it."""

    series: str
    steps: list[Step] = field(default_factory=list)

    @property
    def root(self) -> Step:
        return self.steps[0]

    def step_in(self, form_id: str) -> Step | None:
        return next((s for s in self.steps if s.form == form_id), None)


def _previous_form(form: FormDefinition, forms: Sequence[FormDefinition]) -> FormDefinition | None:
    """The form a question of ``form`` continues from when its lineage names none: the one
    before it in the series."""
    ids = [f.id for f in forms]
    at = ids.index(form.id) if form.id in ids else len(forms)
    return forms[at - 1] if at > 0 else None


def _earlier_item_id(question: Question, item: Item, continues: str) -> str:
    """The earlier item an item continues: a grid's row continues the same row of the grid."""
    return continues + item.id[len(question.id) :]


def step(form: FormDefinition, item_id: str, forms: Sequence[FormDefinition]) -> Step:
    """How ``item_id`` of ``form`` continues from the earlier forms of its series ``forms``
    (oldest first, ``form`` among them). What does not resolve (a missing question, a missing
    form) counts as new here; :func:`problems` names it."""
    question = form.question_of(item_id)
    item = form.item(item_id)
    declared = question.lineage if question else None
    by_id = {f.id: f for f in forms}
    earlier = (
        by_id.get(declared.form) if declared and declared.form else _previous_form(form, forms)
    )
    if question is None or earlier is None:
        return Step(form.id, item_id, NEW)
    continues = declared.continues if declared and declared.continues else question.id
    old_id = _earlier_item_id(question, item, continues)
    if not earlier.has_item(old_id):
        return Step(form.id, item_id, NEW)
    old = earlier.item(old_id)
    codes = declared.code_map if declared else None
    reason = declared.not_comparable if declared else None
    if reason is None and codes is None and old.codes != item.codes:
        reason = {
            "sv": "Svarsalternativen ändrades utan att de gamla svaren fördes över.",
            "en": "The answers changed and the old ones were not carried over.",
        }
    kind = BREAK if reason else RECODED if codes else SAME
    return Step(form.id, item_id, kind, earlier.id, old_id, codes, reason)


def chains(series: str, forms: Sequence[FormDefinition] | None = None) -> list[Chain]:
    """Every question of the series followed through its forms, in the order the questions
    first appear. An item that continues one already taken by another item starts a chain
    of its own (:func:`problems` refuses that)."""
    forms = list(series_forms(series) if forms is None else forms)
    out: list[Chain] = []
    at: dict[tuple[str, str], Chain] = {}  # (form, item) -> its chain
    for form in forms:
        for item in form.items:
            s = step(form, item.id, forms)
            chain = at.get((s.previous_form or "", s.previous_item or ""))
            if chain is None or chain.steps[-1].form == form.id:
                chain = Chain(series)
                out.append(chain)
                if s.kind != NEW:
                    s = Step(form.id, item.id, NEW)  # its predecessor went to another item
            chain.steps.append(s)
            at[(form.id, item.id)] = chain
    return out


def chain_of(series: str, item_id: str, form_id: str | None = None) -> Chain | None:
    """The chain an item belongs to: the item ``item_id`` of ``form_id``, or without a form,
    the chain whose first item has that id."""
    for chain in chains(series):
        if form_id is None and chain.root.item == item_id:
            return chain
        if form_id is not None and any(
            s.form == form_id and s.item == item_id for s in chain.steps
        ):
            return chain
    return None


@dataclass(frozen=True)
class Counted:
    """What counting one answer of a chain's first item means in a later form: the item and
    the codes counted there, and whether the count compares with the one before."""

    form: str
    item: str
    codes: frozenset[str]
    comparable: bool
    reason: dict[str, str] | None = None


MERGED = {
    "sv": "Svarsalternativen slogs ihop så att andelen räknar fler svar än tidigare.",
    "en": "Answers were merged, so the share counts more answers than before.",
}


def counted(chain: Chain, answer: str, forms: Sequence[FormDefinition]) -> list[Counted]:
    """The codes counted for ``answer`` (a code of the chain's first item) in each form of the
    chain, oldest first, carried through each recoding. A count is comparable with the one
    before unless the step breaks the series or a recoding makes another old code count too."""
    by_id = {f.id: f for f in forms}
    out: list[Counted] = []
    codes = frozenset({answer})
    for s in chain.steps:
        if s.kind == NEW:
            out.append(Counted(s.form, s.item, codes, comparable=True))
            continue
        before = codes
        mapped = {s.new_code(c) for c in before}
        codes = frozenset(c for c in mapped if c is not None)
        comparable, reason = s.comparable, s.reason
        if comparable and s.codes is not None:
            old_item = (
                by_id[s.previous_form].item(s.previous_item)
                if s.previous_form and s.previous_item
                else None
            )
            also = {
                old
                for old, new in s.codes.items()
                if new in codes and old not in before and old_item and old in old_item.codes
            }
            lost = any(s.new_code(c) is None for c in before)
            if also or lost:
                comparable, reason = False, MERGED
        out.append(Counted(s.form, s.item, codes, comparable, reason))
    return out


def table(series: str, lang: str = "sv") -> dict[str, Any]:
    """The series' lineage as question × year (``naravard forms lineage``): for each chain,
    its first item's id, its newest text, and per year of the series the item asked, its
    status, recoding and reason."""
    forms = series_forms(series)
    by_id = {f.id: f for f in forms}
    questions = []
    for chain in chains(series, forms):
        newest = chain.steps[-1]
        years = {}
        for s in chain.steps:
            years[str(by_id[s.form].series_year)] = {
                "form": s.form,
                "item": s.item,
                "status": s.kind,
                "codes": s.codes,
                "reason": (s.reason or {}).get(lang),
            }
        questions.append(
            {
                "question": chain.root.item,
                "text": by_id[newest.form].label(newest.item, lang),
                "years": years,
            }
        )
    return {
        "series": series,
        "years": [f.series_year for f in forms],
        "forms": [f.id for f in forms],
        "questions": questions,
    }


@dataclass(frozen=True)
class Correspondence:
    """An item of a later form and the item of an earlier form of the series it continues:
    ``codes`` maps each earlier answer code to the later one it counts as (through every
    recoding between them; None: the same codes), ``comparable`` whether every step between
    them compares (``reason``: why not, from the first step that does not)."""

    item: str
    previous_item: str
    codes: dict[str, str] | None
    comparable: bool
    reason: dict[str, str] | None = None

    def later_code(self, old: str) -> str | None:
        return old if self.codes is None else self.codes.get(old)


def between(earlier: FormDefinition, later: FormDefinition) -> dict[str, Correspondence]:
    """For each item of ``later`` that continues an item of ``earlier`` (two forms of one
    series), how. Items new since ``earlier`` are left out."""
    if not earlier.series or earlier.series != later.series:
        raise ValueError(f"{earlier.id} and {later.id} are not forms of one series")
    forms = list(series_forms(earlier.series))
    for form in (earlier, later):
        if form.id not in {f.id for f in forms}:
            forms.append(form)
    forms.sort(key=lambda f: (f.series_year or 0, f.id))
    out = {}
    for chain in chains(earlier.series, forms):
        ids = [s.form for s in chain.steps]
        if earlier.id not in ids or later.id not in ids:
            continue
        start, end = ids.index(earlier.id), ids.index(later.id)
        if start >= end:
            continue
        codes: dict[str, str] | None = None
        comparable, reason = True, None
        for s in chain.steps[start + 1 : end + 1]:
            if s.codes is not None:
                codes = {
                    old: new
                    for old, mid in (codes or {c: c for c in s.codes}).items()
                    if (new := s.new_code(mid)) is not None
                }
            if not s.comparable and comparable:
                comparable, reason = False, s.reason
        out[chain.steps[end].item] = Correspondence(
            chain.steps[end].item, chain.steps[start].item, codes, comparable, reason
        )
    return out


# ------------------------------------------------------------------ checking ---


def problems(forms: Sequence[FormDefinition]) -> list[str]:
    """Everything wrong with the lineage of ``forms`` (any number of series), one line each,
    naming the form and question."""
    out: list[str] = []
    by_series: dict[str, list[FormDefinition]] = {}
    for form in forms:
        if form.series:
            by_series.setdefault(form.series, []).append(form)
        else:
            out += [
                f"{form.id} question {q.id}: lineage needs the form to belong to a series"
                for q in form.questions
                if q.lineage
            ]
    for series, members in sorted(by_series.items()):
        members.sort(key=lambda f: (f.series_year or 0, f.id))
        years = [f.series_year for f in members]
        for year in sorted({y for y in years if years.count(y) > 1}, key=lambda y: y or 0):
            same = ", ".join(f.id for f in members if f.series_year == year)
            out.append(f"series {series}: forms {same} have the same year {year}")
        out += _series_problems(members)
    return out


def _series_problems(forms: list[FormDefinition]) -> list[str]:
    out: list[str] = []
    by_id = {f.id: f for f in forms}
    edges: dict[tuple[str, str], tuple[str, str]] = {}
    for form in forms:
        claimed: dict[str, str] = {}  # earlier item -> the question of this form continuing it
        for q in form.questions:
            where = f"{form.id} question {q.id}"
            declared = q.lineage
            if declared and declared.form:
                earlier = by_id.get(declared.form)
                if earlier is None:
                    out.append(
                        f"{where}: continues from form {declared.form}, which is not a form of "
                        f"series {form.series}"
                    )
                    continue
            else:
                earlier = _previous_form(form, forms)
            if earlier is None:
                if declared and (declared.continues or declared.codes):
                    out.append(f"{where}: continues a question, but no earlier form exists")
                continue
            continues = declared.continues if declared and declared.continues else q.id
            if (earlier.series_year or 0) >= (form.series_year or 0):
                out.append(
                    f"{where}: continues from {earlier.id}, which is not an earlier form "
                    f"than {form.id}"
                )
            old_q = earlier.question(continues)
            if old_q is not None:
                edges[(form.id, q.id)] = (earlier.id, continues)
            if old_q is None:
                if declared and declared.continues:
                    out.append(
                        f"{where}: continues question {continues}, which {earlier.id} does not ask"
                    )
                continue
            if continues in claimed:
                out.append(
                    f"{form.id}: questions {claimed[continues]} and {q.id} both continue "
                    f"{earlier.id} question {continues}"
                )
            claimed[continues] = q.id
            out += _code_problems(where, q, old_q, earlier.id)
    out += _cycles(edges)
    return out


def _codes(question: Question) -> tuple[str, ...]:
    if question.choices:
        return tuple(c.code for c in question.choices)
    first = question.items[0] if question.items else None
    return first.codes if first else ()


def _code_problems(where: str, q: Question, old_q: Question, earlier: str) -> list[str]:
    declared = q.lineage
    new_codes, old_codes = _codes(q), _codes(old_q)
    mapping = declared.code_map if declared else None
    if mapping is None:
        if new_codes != old_codes and not (declared and declared.not_comparable):
            return [
                f"{where}: its answers differ from {earlier} question {old_q.id} "
                f"({', '.join(old_codes) or 'none'} → {', '.join(new_codes) or 'none'}); "
                "map the old codes (lineage.codes) or say it is not comparable"
            ]
        return []
    out = []
    if not old_codes:
        return [f"{where}: maps answer codes, but {earlier} question {old_q.id} has none"]
    unmapped = [c for c in old_codes if c not in mapping]
    if unmapped:
        out.append(
            f"{where}: the mapping leaves old codes of {earlier} question {old_q.id} "
            f"unmapped: {', '.join(unmapped)}"
        )
    unknown_old = sorted(c for c in mapping if c not in old_codes)
    if unknown_old:
        out.append(
            f"{where}: the mapping names {', '.join(unknown_old)}, which are not answers of "
            f"{earlier} question {old_q.id}"
        )
    unknown_new = sorted({n for n in mapping.values() if n not in new_codes})
    if unknown_new:
        out.append(
            f"{where}: the mapping maps to {', '.join(unknown_new)}, which are not answers of "
            "the question"
        )
    return out


def _cycles(edges: dict[tuple[str, str], tuple[str, str]]) -> list[str]:
    """Questions whose declared lineage leads back to themselves."""
    out, reported = [], set()
    for start in sorted(edges):
        path, node = [start], edges[start]
        while node in edges and node not in path:
            path.append(node)
            node = edges[node]
        if node in path and node not in reported:
            loop = path[path.index(node) :]
            reported.update(loop)
            shown = " → ".join(f"{f} {q}" for f, q in [*loop, node])
            out.append(f"lineage cycle: {shown}")
    return out

"""The web form of a definition: reading posted values and laying out what the template shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from naravard.collect.definition import ROW_REF, FormDefinition, Item, Question, Section
from naravard.collect.validation import Finding, Validation
from naravard.core.language import current as lang
from naravard.core.language import pick

REASON_PREFIX = "skal:"
EXTRA_GROUP_ROWS = 1


def shown(item: Item, value: Any) -> Any:
    """A stored value as it is shown in an input: kronor grouped by thousands ('1 500 000')."""
    if (
        item.type in ("money", "number")
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        text = f"{value:,}".replace(",", "\u00a0")
        return text.replace(".", ",") if item.type == "number" else text
    return "" if value is None else value


def read_post(form: FormDefinition, data) -> tuple[dict[str, Any], dict[str, str]]:
    """Raw answers and override reasons from a POST (a QueryDict)."""
    raw: dict[str, Any] = {}
    for item in form.items:
        if item.type == "group":
            rows: dict[int, dict[str, str]] = {}
            pattern = re.compile(rf"^{re.escape(item.id)}\.(\d+)\.([a-z0-9_]+)$")
            for key in data:
                m = pattern.match(key)
                if m and m[2] in {f.id for f in item.fields}:
                    rows.setdefault(int(m[1]), {})[m[2]] = data.get(key, "")
            raw[item.id] = [rows[n] for n in sorted(rows)]
        else:
            raw[item.id] = data.get(item.id, "")
    reasons = {
        key[len(REASON_PREFIX) :]: data.get(key, "")
        for key in data
        if key.startswith(REASON_PREFIX) and data.get(key, "").strip()
    }
    return raw, reasons


def _choices(choices) -> list[tuple[str, str]]:
    return [(c.code, pick(c.text)) for c in choices]


@dataclass
class ItemView:
    item: Item
    value: Any
    problems: list[Finding] = field(default_factory=list)
    reason: str = ""
    rows: list[dict] = field(default_factory=list)  # group: [{"n": 1, "cells": [...]}]

    @property
    def dom_id(self) -> str:
        return "q-" + self.item.id.replace(".", "-")

    @property
    def text(self) -> str:
        return pick(self.item.text)

    @property
    def help(self) -> str:
        return pick(self.item.help)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return _choices(self.item.choices)

    @property
    def errors(self) -> list[Finding]:
        return [p for p in self.problems if p.level == "hard"]

    @property
    def warnings(self) -> list[Finding]:
        return [p for p in self.problems if p.level == "soft"]

    @property
    def input_type(self) -> str:
        return {"number": "text", "money": "text", "year": "text"}.get(self.item.type, "text")

    @property
    def inputmode(self) -> str:
        return (
            "numeric"
            if self.item.type in ("money", "year")
            else ("decimal" if self.item.type == "number" else "")
        )


@dataclass
class QuestionView:
    question: Question
    items: list[ItemView]
    form: FormDefinition | None = None

    @property
    def text(self) -> str:
        return pick(self.question.text)

    @property
    def help(self) -> str:
        return pick(self.question.help)

    @property
    def dom_id(self) -> str:
        return "fraga-" + self.question.id.replace(".", "-")

    @property
    def choices(self) -> list[tuple[str, str]]:
        return _choices(self.question.choices)

    @property
    def show_if(self):
        return self.question.show_if

    @property
    def show_if_text(self) -> str:
        cond = self.question.show_if
        if not cond:
            return ""
        return self.form.condition_text(cond, lang()) if self.form else cond.describe(lang())

    @property
    def required(self) -> bool:
        return any(i.item.required for i in self.items)


@dataclass
class SectionView:
    section: Section
    questions: list[QuestionView]

    @property
    def title(self) -> str:
        return pick(self.section.title)

    @property
    def help(self) -> str:
        return pick(self.section.help)


def _row_choices(item: Item, rows: list[dict], own: Any) -> list[tuple[str, str]]:
    """What a field pointing at another row (``row_ref``) offers: the other rows that have an
    id, each named by its id and its first text."""
    id_field = item.row_id_field
    if id_field is None:
        return []
    text = next((f.id for f in item.fields if f.type == "text"), None)
    out = []
    for row in rows:
        row_id = row.get(id_field.id)
        if row_id and row_id != own:
            words = str(row.get(text) or "") if text else ""
            short = words if len(words) <= 60 else words[:59].rstrip() + "…"
            out.append((str(row_id), f"{row_id} {short}".strip()))
    return out


def _group_rows(item: Item, value: Any, problems: list[Finding], editable: bool) -> list[dict]:
    rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
    if editable:
        rows = rows + [{} for _ in range(EXTRA_GROUP_ROWS)]
    id_field = item.row_id_field
    out = []
    for n, row in enumerate(rows, start=1):
        cells = []
        own = row.get(id_field.id) if id_field else None
        for f in item.fields:
            cell_problems = [p for p in problems if p.row == n and p.field == f.id]
            cells.append(
                {
                    "field": f,
                    "name": f"{item.id}.{n}.{f.id}",
                    "value": shown(f, row.get(f.id)),
                    "label": pick(f.text),
                    "problems": cell_problems,
                    "choices": (
                        _row_choices(item, rows, own) if f.type == ROW_REF else _choices(f.choices)
                    ),
                    "refers": f.type == ROW_REF,
                }
            )
        out.append({"n": n, "cells": cells})
    return out


def with_stored_ids(form: FormDefinition, raw: dict[str, Any], stored: dict[str, Any]) -> dict:
    """The answers as typed, each group whose rows have ids as stored (with the ids a save gave
    its new rows), so that the form shown again keeps them."""
    out = dict(raw)
    for item in form.items:
        if item.row_id_field is not None and item.id in stored:
            out[item.id] = stored[item.id]
    return out


def layout(
    form: FormDefinition,
    values: dict[str, Any],
    validation: Validation | None = None,
    reasons: dict[str, str] | None = None,
    editable: bool = True,
) -> list[SectionView]:
    """Sections → questions → items with their values and problems, for the template."""
    reasons = reasons or {}
    problems = (validation.errors + validation.warnings) if validation else []
    sections = []
    for s in form.sections:
        questions = []
        for q in s.questions:
            items = []
            for it in q.items:
                mine = [p for p in problems if p.item_id == it.id]
                view = ItemView(it, shown(it, values.get(it.id, "")), mine, reasons.get(it.id, ""))
                if it.type == "group":
                    view.rows = _group_rows(it, values.get(it.id), mine, editable)
                items.append(view)
            questions.append(QuestionView(q, items, form))
        sections.append(SectionView(s, questions))
    return sections

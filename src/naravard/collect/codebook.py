"""The codebook of a form: every column of the exchange layout with its meaning and codes."""

from __future__ import annotations

from dataclasses import dataclass

from naravard.collect.definition import FormDefinition, Item

TYPE_NAMES = {
    "sv": {
        "yesno": "ja/nej",
        "choice": "ett alternativ",
        "number": "tal",
        "money": "kronor",
        "year": "årtal",
        "text": "fritext",
        "group": "upprepad grupp",
        "row_id": "radens id (ges av systemet)",
        "row_ref": "id för en annan rad",
    },
    "en": {
        "yesno": "yes/no",
        "choice": "one choice",
        "number": "number",
        "money": "SEK",
        "year": "year",
        "text": "free text",
        "group": "repeating group",
        "row_id": "the row's id (given by the system)",
        "row_ref": "id of another row",
    },
}


@dataclass(frozen=True)
class CodebookEntry:
    column: str
    number: str
    text: str
    type: str
    required: bool
    asked_if: str
    codes: str
    limits: str


def _limits(item: Item) -> str:
    parts = []
    if item.min is not None:
        parts.append(f">= {item.min:g}")
    if item.max is not None:
        parts.append(f"<= {item.max:g}")
    if item.max_length:
        parts.append(f"<= {item.max_length} tecken")
    return ", ".join(parts)


def _field_asked_if(f: Item, group_asked_if: str, lang: str) -> str:
    """When a field of a group's row is answered: the group's condition and the field's own
    (an earlier field of the same row)."""
    own = f.show_if.describe(lang) if f.show_if else ""
    return " ".join(p for p in (group_asked_if, own) if p)


def entries(form: FormDefinition, lang: str = "sv") -> list[CodebookEntry]:
    """One entry per column; a group's fields appear as ITEM.N.FIELD."""
    numbers = {it.id: q.number for s in form.sections for q in s.questions for it in q.items}
    questions = {q.id: q for s in form.sections for q in s.questions}
    out = []
    for item in form.items:
        q = questions[item.question_id]
        text = item.text[lang] if item.id == q.id else f"{q.text[lang]} – {item.text[lang]}"
        asked_if = item.show_if.describe(lang) if item.show_if else ""
        if item.type == "group":
            for f in item.fields:
                out.append(
                    CodebookEntry(
                        f"{item.id}.N.{f.id}",
                        numbers[item.id],
                        f"{item.text[lang]}: {f.text[lang]}",
                        TYPE_NAMES[lang][f.type],
                        f.required,
                        _field_asked_if(f, asked_if, lang),
                        "; ".join(f"{c.code} = {c.text[lang]}" for c in f.choices),
                        _limits(f),
                    )
                )
            continue
        out.append(
            CodebookEntry(
                item.id,
                numbers[item.id],
                text,
                TYPE_NAMES[lang][item.type],
                item.required,
                asked_if,
                "; ".join(f"{c.code} = {c.text[lang]}" for c in item.choices),
                _limits(item),
            )
        )
    return out

"""Form definitions: declarative YAML files in ``definitions/``, validated on load.

A definition (see ``definitions/schema.json``) has sections of questions. A
question yields one or more *items*, the units that are answered and stored:
a grid question yields one item per row (``3.sjukskoterska``), every other
question one item with the question's id. Next year's form is a new file.

Forms of one recurring collection form a *series* (``series: kommunenkat``), each named
``<series>-<year>``: what is derived from a form (the survey indicators) or read from it (the
status report's initiatives) follows the series, not one year's file. A form that no longer
asks a question of an earlier form of its series says so in ``dropped``. A form names the
year of the series it belongs to (``year: 2021``, or read from its id); a question may say what
it continues from the form before it in the series (``lineage``: another question id, a mapping
of the old answer codes to new ones, or that it is not comparable, with the reason), which
``lineage.py`` follows from year to year.

Texts that name a year name it relative to the round that uses the form:
``{year}`` is the round's own year (the year the answers describe),
``{year_before}`` the year before and ``{year_after}`` the year after. A round
reads its definition with them filled in (:func:`definition_from_source`); read
without a round, they show as "[omgångens år]" and the like.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from importlib import resources
from typing import Any, Literal

import jsonschema
import yaml

from naravard.core.errors import Invalid

YESNO = "yesno"
# Field types of a group's rows that the system fills or that point at another row: a row's
# stable id, given when the row is first stored and never typed (at most one per group), and
# the id of another row of the same group.
ROW_ID = "row_id"
ROW_REF = "row_ref"
YESNO_CHOICES = (
    {"code": "ja", "text": {"sv": "Ja", "en": "Yes"}},
    {"code": "nej", "text": {"sv": "Nej", "en": "No"}},
)


class DefinitionError(Invalid):
    """A form definition breaks the schema or refers to something that does not exist."""


# Years a text may name, as offsets from the round's own year.
YEAR_PLACEHOLDERS = {"year": 0, "year_before": -1, "year_after": 1}
UNFILLED = {
    "sv": {
        "year": "[omgångens år]",
        "year_before": "[året före omgångens]",
        "year_after": "[året efter omgångens]",
    },
    "en": {
        "year": "[the round's year]",
        "year_before": "[the year before the round's]",
        "year_after": "[the year after the round's]",
    },
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _is_text(node: Any) -> bool:
    return (
        isinstance(node, dict)
        and bool(node)
        and set(node) <= {"sv", "en"}
        and all(isinstance(v, str) for v in node.values())
    )


def _texts(node: Any, path: str = ""):
    """Every bilingual text of a raw definition, with where it is."""
    if _is_text(node):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{path}/{key}" if path else str(key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            label = value.get("id") if isinstance(value, dict) and "id" in value else n
            yield from _texts(value, f"{path}/{label}")


def check_placeholders(raw: dict) -> set[str]:
    """The year placeholders the texts use; unknown ones, stray braces and a Swedish and an
    English text naming different years are refused."""
    used: set[str] = set()
    where_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
    for path, text in _texts(raw):
        names = {}
        for lang in sorted(text, key=("sv", "en").index):  # Swedish first, as written
            value = text[lang]
            found = _PLACEHOLDER.findall(value)
            unknown = sorted(set(found) - set(YEAR_PLACEHOLDERS))
            if unknown:
                raise DefinitionError(
                    f"{where_id}: {path}/{lang}: unknown placeholder "
                    + ", ".join("{" + u + "}" for u in unknown)
                    + " (known: "
                    + ", ".join("{" + k + "}" for k in YEAR_PLACEHOLDERS)
                    + ")"
                )
            if "{" in _PLACEHOLDER.sub("", value) or "}" in _PLACEHOLDER.sub("", value):
                raise DefinitionError(
                    f"{where_id}: {path}/{lang}: a brace that is not part of "
                    "a placeholder such as {year}"
                )
            names[lang] = set(found)
        if len({frozenset(v) for v in names.values()}) > 1:
            raise DefinitionError(
                f"{where_id}: {path}: the Swedish and the English text name different years "
                f"(sv: {sorted(names.get('sv', ()))}, en: {sorted(names.get('en', ()))})"
            )
        used |= set().union(*names.values())
    return used


def _year_words(year: int | None, lang: str, placeholder: re.Match[str]) -> str:
    """What a year placeholder becomes: the year, or words that say which year is meant."""
    if year is None:
        return UNFILLED[lang][placeholder[1]]
    return str(year + YEAR_PLACEHOLDERS[placeholder[1]])


def fill_years(raw: dict, year: int | None) -> dict:
    """A copy of a raw definition with its year placeholders filled for a round of ``year``
    (None: words that say which year is meant)."""
    out = copy.deepcopy(raw)

    def fill(node: Any) -> None:
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        if _is_text(node):
            for lang, value in node.items():
                node[lang] = _PLACEHOLDER.sub(partial(_year_words, year, lang), value)
            return
        for child in list(children):
            fill(child)

    fill(out)
    return out


@dataclass(frozen=True)
class Choice:
    code: str
    text: dict[str, str]


@dataclass(frozen=True)
class Check:
    kind: str  # range | change_from_previous | not_more_than
    level: str  # hard | soft
    min: float | None = None
    max: float | None = None
    max_ratio: float | None = None
    other: str | None = None
    message: dict[str, str] | None = None


@dataclass(frozen=True)
class Condition:
    question: str
    values: tuple[str, ...]

    def describe(self, lang: str = "sv") -> str:
        joined = (" eller " if lang == "sv" else " or ").join(self.values)
        return (
            f"om {self.question} = {joined}" if lang == "sv" else f"if {self.question} = {joined}"
        )


@dataclass(frozen=True)
class Item:
    """One answerable unit (or, inside a group, one field of a row)."""

    id: str
    type: str
    text: dict[str, str]
    question_id: str
    required: bool = False
    help: dict[str, str] | None = None
    choices: tuple[Choice, ...] = ()
    show_if: Condition | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    checks: tuple[Check, ...] = ()
    fields: tuple[Item, ...] = ()
    min_rows: int = 0
    max_rows: int | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.choices)

    def choice_text(self, code: str, lang: str = "sv") -> str:
        for c in self.choices:
            if c.code == code:
                return c.text[lang]
        return code

    @property
    def row_id_field(self) -> Item | None:
        """A group's field that holds each row's stable id (type ``row_id``), if it has one."""
        return next((f for f in self.fields if f.type == ROW_ID), None)

    def field(self, field_id: str) -> Item:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)


@dataclass(frozen=True)
class Lineage:
    """What a question declares it continues from an earlier form of its series (``lineage``
    in the definition). Without a declaration, a question continues the earlier form's
    question with the same id, if there is one, as the same question."""

    continues: str | None = None  # the earlier question's id (default: this question's own)
    form: str | None = None  # the earlier form's id (default: the one before in the series)
    codes: tuple[tuple[str, str], ...] | None = None  # old answer code -> new code
    not_comparable: dict[str, str] | None = None  # why not (sv, en): a break in the series

    @property
    def code_map(self) -> dict[str, str] | None:
        return dict(self.codes) if self.codes is not None else None


@dataclass(frozen=True)
class Question:
    id: str
    number: str
    type: str
    text: dict[str, str]
    help: dict[str, str] | None
    show_if: Condition | None
    items: tuple[Item, ...]
    choices: tuple[Choice, ...] = ()
    lineage: Lineage | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: dict[str, str]
    help: dict[str, str] | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: int
    title: dict[str, str]
    intro: dict[str, str] | None
    audience: str  # municipalities | regions
    reference_period: dict[str, str] | None
    sections: tuple[Section, ...]
    sha256: str
    _items: dict[str, Item] = field(default_factory=dict, repr=False, compare=False)
    source: str = field(default="", repr=False, compare=False)
    year: int | None = None  # the round's year its texts are filled for (None: not filled)
    placeholders: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    series: str | None = None  # the recurring collection the form belongs to
    dropped: frozenset[str] = frozenset()  # questions of earlier forms of the series not asked
    series_year: int | None = None  # the form's place in its series (``year``, or from its id)

    @property
    def items(self) -> list[Item]:
        return list(self._items.values())

    def item(self, item_id: str) -> Item:
        try:
            return self._items[item_id]
        except KeyError:
            raise KeyError(f"form {self.id} has no question {item_id!r}") from None

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items

    @property
    def checks_previous_answers(self) -> bool:
        """Whether an answer is checked against the organisation's answer of the round before
        (a ``change_from_previous`` check): only then need a save look that answer up."""
        return any(c.kind == "change_from_previous" for i in self.items for c in i.checks)

    def says_dropped(self, item_id: str) -> bool:
        """Whether the form declares that it no longer asks ``item_id``: the id itself or, for
        a row of a grid, the grid's id is in ``dropped``."""
        return any(item_id == d or item_id.startswith(f"{d}.") for d in self.dropped)

    @property
    def audience_level(self) -> Literal["region", "municipality"]:
        return "municipality" if self.audience == "municipalities" else "region"

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question | None:
        for q in self.questions:
            if q.id == question_id:
                return q
        return None

    def question_of(self, item_id: str) -> Question | None:
        """The question an item belongs to (a grid's row belongs to the grid)."""
        item = self._items.get(item_id)
        if item is None:
            return None
        for s in self.sections:
            for q in s.questions:
                if q.id == item.question_id:
                    return q
        return None

    def label(
        self, item_id: str, lang: str = "sv", row: int | None = None, field: str | None = None
    ) -> str:
        """What a person calls an item, or a field in a row of a group: the question's number
        and its text (a grid row's own text), e.g. 'Fråga 4b, Därav använda medel under 2019
        (kronor)', 'Fråga 1, Politisk nivå', 'Fråga 5, Insatser, rad 2, Startår'.
        An id the form does not know is returned as it is."""
        item = self._items.get(item_id)
        if item is None:
            return (
                item_id
                if row is None
                else ".".join(str(p) for p in (item_id, row, field) if p is not None)
            )
        words = LABEL_WORDS.get(lang, LABEL_WORDS["sv"])
        question = self.question_of(item_id)
        parts = []
        if question is not None and question.number:
            parts.append(f"{words['question']} {question.number}")
        grid_row = question is not None and question.type == "grid"
        parts.append(_text(item.text, lang) if grid_row else short(_text(item.text, lang)))
        if row is not None:
            parts.append(f"{words['row']} {row}")
        if field:
            try:
                parts.append(_text(item.field(field).text, lang))
            except KeyError:
                parts.append(field)
        return ", ".join(parts)

    def condition_text(self, cond: Condition, lang: str = "sv") -> str:
        """Skip logic in words: 'om svaret på fråga 2 är ”Nej”'."""
        words = LABEL_WORDS.get(lang, LABEL_WORDS["sv"])
        target = self._items.get(cond.question)
        if target is None:
            return cond.describe(lang)
        question = self.question_of(cond.question)
        if question is not None and question.number and question.type != "grid":
            who = f"{words['question'].lower()} {question.number}"
        else:
            who = words["quote"] % self.label(cond.question, lang)
        values = f" {words['or']} ".join(
            words["quote"] % target.choice_text(v, lang) for v in cond.values
        )
        return words["if"] % {"question": who, "values": values}


LABEL_WORDS = {
    "sv": {
        "question": "Fråga",
        "row": "rad",
        "or": "eller",
        "quote": "”%s”",
        "if": "om svaret på %(question)s är %(values)s",
    },
    "en": {
        "question": "Question",
        "row": "row",
        "or": "or",
        "quote": "“%s”",
        "if": "if the answer to %(question)s is %(values)s",
    },
}
LABEL_LENGTH = 70


def _text(text: dict[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or text.get("sv") or next(iter(text.values()), "")


def short(text: str, length: int = LABEL_LENGTH) -> str:
    """A long question text cut at a word before ``length`` characters, with '…'."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def _schema() -> dict:
    with resources.files(__package__).joinpath("definitions", "schema.json").open() as fh:
        return json.load(fh)


def _choices(raw: Any, sets: dict[str, list], where: str) -> tuple[Choice, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        if raw == YESNO:
            raw = YESNO_CHOICES
        elif raw in sets:
            raw = sets[raw]
        else:
            raise DefinitionError(f"{where}: unknown choice set {raw!r}")
    choices = tuple(Choice(c["code"], c["text"]) for c in raw)
    codes = [c.code for c in choices]
    if len(set(codes)) != len(codes):
        raise DefinitionError(f"{where}: duplicate choice codes {codes}")
    return choices


def _checks(raw: list | None) -> tuple[Check, ...]:
    return tuple(Check(**c) for c in raw or ())


def _condition(raw: dict | None) -> Condition | None:
    if not raw:
        return None
    values = tuple(raw.get("in") or ([raw["equals"]] if "equals" in raw else []))
    return Condition(raw["question"], values)


def _field_condition(raw: dict | None) -> Condition | None:
    """A field's ``show_if``: the earlier field of the same row it depends on, and its answers."""
    if not raw:
        return None
    return _condition({"question": raw["field"], **{k: v for k, v in raw.items() if k != "field"}})


def _check_row_fields(fields: tuple[Item, ...], where: str) -> None:
    """A group's fields: a ``show_if`` names an earlier field and its answers; at most one
    ``row_id`` field, which a ``row_ref`` needs."""
    seen: dict[str, Item] = {}
    for f in fields:
        cond = f.show_if
        if cond is not None:
            target = seen.get(cond.question)
            if target is None:
                raise DefinitionError(
                    f"{where} field {f.id}: show_if refers to {cond.question!r}, which is not "
                    "an earlier field of the row"
                )
            unknown = set(cond.values) - set(target.codes)
            if unknown:
                raise DefinitionError(
                    f"{where} field {f.id}: show_if values {sorted(unknown)} are not answers "
                    f"of {target.id}"
                )
        seen[f.id] = f
    ids = [f.id for f in fields if f.type == ROW_ID]
    if len(ids) > 1:
        raise DefinitionError(f"{where}: a row has one id, not {len(ids)} ({', '.join(ids)})")
    refs = [f.id for f in fields if f.type == ROW_REF]
    if refs and not ids:
        raise DefinitionError(
            f"{where}: field {refs[0]} points at another row, but the rows have no row_id field"
        )


def _item(
    raw: dict,
    sets: dict,
    item_id: str,
    question_id: str,
    type_: str,
    text: dict,
    show_if: Condition | None,
    where: str,
) -> Item:
    choices = _choices(raw.get("choices") or (YESNO if type_ == "yesno" else None), sets, where)
    if type_ == "choice" and not choices:
        raise DefinitionError(f"{where}: a choice needs choices")
    return Item(
        id=item_id,
        type=type_,
        text=text,
        question_id=question_id,
        required=bool(raw.get("required", False)),
        help=raw.get("help"),
        choices=choices,
        show_if=show_if,
        min=raw.get("min"),
        max=raw.get("max"),
        max_length=raw.get("max_length"),
        checks=_checks(raw.get("checks")),
    )


def parse(raw: dict, sha256: str = "", year: int | None = None) -> FormDefinition:
    """Validate a loaded definition against the schema and the rules, and build it with its
    texts filled for a round of ``year``."""
    placeholders = check_placeholders(raw)
    errors = sorted(
        jsonschema.Draft202012Validator(_schema()).iter_errors(raw),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        first = errors[0]
        path = "/".join(str(p) for p in first.absolute_path) or "(top)"
        raise DefinitionError(f"{raw.get('id', '?')}: {path}: {first.message}")
    raw = fill_years(raw, year) if placeholders else raw
    sets = raw.get("choice_sets", {})
    items: dict[str, Item] = {}
    sections = []
    for s in raw["sections"]:
        questions = []
        for q in s["questions"]:
            where = f"{raw['id']} question {q['id']}"
            show_if = _condition(q.get("show_if"))
            if q["type"] == "grid":
                grid_choices = _choices(q["choices"], sets, where)
                q_items = tuple(
                    Item(
                        id=f"{q['id']}.{r['id']}",
                        type="choice",
                        text=r["text"],
                        question_id=q["id"],
                        required=bool(q.get("required", False)),
                        choices=grid_choices,
                        show_if=show_if,
                    )
                    for r in q["rows"]
                )
            elif q["type"] == "group":
                fields = tuple(
                    _item(
                        f,
                        sets,
                        f["id"],
                        q["id"],
                        f["type"],
                        f["text"],
                        _field_condition(f.get("show_if")),
                        f"{where} field {f['id']}",
                    )
                    for f in q["fields"]
                )
                if len({f.id for f in fields}) != len(fields):
                    raise DefinitionError(f"{where}: duplicate field ids")
                _check_row_fields(fields, where)
                base = _item(q, sets, q["id"], q["id"], "group", q["text"], show_if, where)
                q_items = (
                    Item(
                        **{
                            **base.__dict__,
                            "fields": fields,
                            "min_rows": q.get("min_rows", 0),
                            "max_rows": q.get("max_rows"),
                        }
                    ),
                )
            else:
                q_items = (_item(q, sets, q["id"], q["id"], q["type"], q["text"], show_if, where),)
            for it in q_items:
                if it.id in items:
                    raise DefinitionError(f"{where}: item id {it.id!r} is used twice")
                if it.show_if:
                    target = items.get(it.show_if.question)
                    if target is None:
                        raise DefinitionError(
                            f"{where}: show_if refers to {it.show_if.question!r}, "
                            "which is not an earlier question"
                        )
                    unknown = set(it.show_if.values) - set(target.codes)
                    if unknown:
                        raise DefinitionError(
                            f"{where}: show_if values {sorted(unknown)} are "
                            f"not answers of {target.id}"
                        )
                for chk in it.checks:
                    if chk.other and chk.other not in items:
                        raise DefinitionError(f"{where}: check refers to unknown {chk.other!r}")
                items[it.id] = it
            questions.append(
                Question(
                    id=q["id"],
                    number=q.get("number", ""),
                    type=q["type"],
                    text=q["text"],
                    help=q.get("help"),
                    show_if=show_if,
                    items=q_items,
                    choices=q_items[0].choices if q["type"] == "grid" else (),
                    lineage=_lineage(q.get("lineage"), where),
                )
            )
        sections.append(Section(s["id"], s["title"], s.get("help"), tuple(questions)))
    return FormDefinition(
        id=raw["id"],
        version=raw["version"],
        title=raw["title"],
        intro=raw.get("intro"),
        audience=raw["audience"],
        reference_period=raw.get("reference_period"),
        sections=tuple(sections),
        sha256=sha256,
        _items=items,
        year=year,
        placeholders=frozenset(placeholders),
        series=raw.get("series"),
        dropped=_dropped(raw, items),
        series_year=_series_year(raw),
    )


def _lineage(raw: dict | None, where: str) -> Lineage | None:
    """A question's ``lineage`` as declared (the schema has checked its shape; what it points
    at is checked against the series by ``lineage.problems``)."""
    if raw is None:
        return None
    codes = raw.get("codes")
    return Lineage(
        continues=raw.get("continues"),
        form=raw.get("form"),
        codes=tuple(sorted(codes.items())) if codes is not None else None,
        not_comparable=raw.get("not_comparable"),
    )


def _series_year(raw: dict) -> int | None:
    """The year of a form of a series: its ``year``, or the year its id ends with
    (``kommunenkat-2021``); the two must agree."""
    series = raw.get("series")
    if not series:
        if "year" in raw:
            raise DefinitionError(f"{raw['id']}: year is the form's place in a series; name it")
        return None
    match = re.fullmatch(rf"{re.escape(series)}-(\d{{4}})", raw["id"])
    from_id = int(match.group(1)) if match else None
    year = raw.get("year", from_id)
    if year is None:
        return None  # naravard.E024 says the form is not named <series>-<year>
    if from_id is not None and year != from_id:
        raise DefinitionError(f"{raw['id']}: year {year} does not agree with the form's id")
    return int(year)


def _dropped(raw: dict, items: dict[str, Item]) -> frozenset[str]:
    """The ids the form says it dropped; one it still asks is refused."""
    dropped = frozenset(raw.get("dropped", ()))
    asked = sorted(d for d in dropped if any(i == d or i.startswith(f"{d}.") for i in items))
    if asked:
        raise DefinitionError(
            f"{raw['id']}: dropped names {', '.join(asked)}, which the form still asks"
        )
    return dropped


def load_text(text: str, year: int | None = None) -> FormDefinition:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DefinitionError(f"not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise DefinitionError("a form definition is a mapping at the top level")
    form = parse(raw, hashlib.sha256(text.encode()).hexdigest(), year)
    object.__setattr__(form, "source", text)
    return form


@lru_cache(maxsize=64)
def definition_from_source(text: str, year: int | None = None) -> FormDefinition:
    """A definition parsed from stored text, its texts filled for a round of ``year``
    (cached: rounds are read often)."""
    return load_text(text, year)


@cache
def registry() -> dict[str, FormDefinition]:
    """Every definition shipped in the package, by id."""
    out = {}
    folder = resources.files(__package__).joinpath("definitions")
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith((".yaml", ".yml")):
            form = load_text(entry.read_text(encoding="utf-8"))
            if form.id in out:
                raise DefinitionError(f"two definitions have the id {form.id}")
            out[form.id] = form
    return out


def series_forms(series: str) -> list[FormDefinition]:
    """The shipped forms of a series, oldest first (by their year in the series)."""
    return sorted(
        (f for f in registry().values() if f.series == series),
        key=lambda f: (f.series_year or 0, f.id),
    )


def all_series() -> list[str]:
    """The series of the shipped forms, by name."""
    return sorted({f.series for f in registry().values() if f.series})


def series_of(form: FormDefinition) -> str | None:
    """The series a form belongs to: its own, or for a form stored in a round before forms
    named their series, that of the shipped form with its id."""
    if form.series:
        return form.series
    shipped = registry().get(form.id)
    return shipped.series if shipped else None


def get_form(form_id: str, year: int | None = None) -> FormDefinition:
    """A shipped definition, its texts filled for a round of ``year`` if given."""
    try:
        form = registry()[form_id]
    except KeyError:
        known = ", ".join(sorted(registry()))
        raise DefinitionError(f"no form definition {form_id!r} (known: {known})") from None
    return form if year is None else definition_from_source(form.source, year)

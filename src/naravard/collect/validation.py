"""Check answers against a form definition: types, skip logic, required items and checks.

Raw answers are what a person typed or a file held: a string per item, and for a
group a list of rows (dicts of strings). :func:`validate` turns them into clean
values (codes, integers, floats, text) and lists hard problems (they block a
submit) and soft ones (warnings that need a short reason to be overridden).

A group whose rows have a stable id (a ``row_id`` field) is checked with what the response's
rows may carry (:class:`RowIds`): an id is given by the system, so one that belongs to another
organisation, is unknown or appears twice is refused, and nothing of the response is stored
(:attr:`Validation.blocked`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from naravard.collect import rowids
from naravard.collect.definition import ROW_ID, ROW_REF, FormDefinition, Item
from naravard.core.language import current, pick
from naravard.core.tables import parse_number

DRAFT, SUBMIT = "draft", "submit"


@dataclass(frozen=True)
class Finding:
    """What validation found wrong with one answer: a hard error blocks a submit, a soft one
    (a warning) needs a short reason to be overridden."""

    item_id: str
    message: str
    level: str = "hard"  # hard | soft
    row: int | None = None  # 1-based row of a group
    field: str | None = None  # field of a group row
    label: str = ""  # where, as the person calls it: "Fråga 5, Insatser, rad 2, Startår"
    field_label: str = ""  # the field of a group row as the form names it: "Startår"

    @property
    def where(self) -> str:
        """Where, as a machine names it (the item id, a file's column): 'insatser.2.startar'."""
        if self.row is None:
            return self.item_id
        return (
            f"{self.item_id}.{self.row}.{self.field}"
            if self.field
            else f"{self.item_id}.{self.row}"
        )

    @property
    def shown(self) -> str:
        """Where, for people: the form's label, or the id when the form does not know it."""
        return self.label or self.where


def labelled(form: FormDefinition, problem: Finding, lang: str | None = None) -> Finding:
    """The problem with its place named by the form's labels (in ``lang``, default the
    active language)."""
    lang = lang or current()
    field_label = ""
    if problem.field and form.has_item(problem.item_id):
        try:
            text = form.item(problem.item_id).field(problem.field).text
            field_label = text.get(lang) or text["sv"]
        except KeyError:
            field_label = problem.field
    return replace(
        problem,
        label=form.label(problem.item_id, lang, problem.row, problem.field),
        field_label=field_label,
    )


@dataclass(frozen=True)
class RowIds:
    """The ids the rows of a group may carry in one organisation's response: those it already
    has (carried from the round before, or given at an earlier save) and no other."""

    org: str
    known: frozenset[str]
    names: Mapping[str, str] = field(default_factory=dict)  # organisation code -> its name


@dataclass
class Validation:
    clean: dict[str, Any] = field(default_factory=dict)
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)  # soft checks not overridden
    overridden: dict[str, str] = field(default_factory=dict)  # item -> reason
    not_applicable: set[str] = field(default_factory=set)
    # an answer the system gives (a row's id) is wrong: nothing of the response is stored
    blocked: bool = False
    # per group, the number each of its clean rows has as shown (blank rows count)
    row_numbers: dict[str, list[int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.warnings

    def problems_for(self, item_id: str) -> list[Finding]:
        return [p for p in self.errors + self.warnings if p.item_id == item_id]


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(is_blank_row(r) for r in value)
    return False


def is_blank_row(row: Any) -> bool:
    if isinstance(row, dict):
        return all(is_blank(v) for v in row.values())
    return row in (None, "")


def clean_value(item: Item, raw: Any) -> tuple[Any, str | None]:
    """The clean value of one non-blank answer, or an error message."""
    if isinstance(raw, (list, dict)):
        return None, _("ett enda värde väntas")
    if item.type in ("yesno", "choice"):
        text = str(raw).strip()
        for c in item.choices:
            if text.casefold() in (
                c.code.casefold(),
                c.text["sv"].casefold(),
                c.text["en"].casefold(),
            ):
                return c.code, None
        return None, _("”%(value)s” är inget av svarsalternativen (%(codes)s)") % {
            "value": text,
            "codes": ", ".join(pick(c.text) for c in item.choices),
        }
    if item.type in ("number", "money", "year"):
        try:
            number = parse_number(raw)
        except ValueError:
            return None, _("”%(value)s” är inte ett tal; skriv till exempel 1 234,5") % {
                "value": str(raw)[:30]
            }
        if item.type in ("money", "year"):
            if number != int(number):
                return None, (
                    _("ange hela kronor") if item.type == "money" else _("ett årtal är ett heltal")
                )
            number = int(number)
        lo = item.min if item.min is not None else (1900 if item.type == "year" else None)
        hi = item.max if item.max is not None else (2100 if item.type == "year" else None)
        if lo is not None and number < lo:
            return None, _("%(value)s är mindre än %(min)s") % {
                "value": _fmt(number, item.type),
                "min": _fmt(lo, item.type),
            }
        if hi is not None and number > hi:
            return None, _("%(value)s är större än %(max)s") % {
                "value": _fmt(number, item.type),
                "max": _fmt(hi, item.type),
            }
        return number, None
    if item.type == "text":
        text = str(raw).strip()
        if item.max_length and len(text) > item.max_length:
            return None, _("texten är %(n)s tecken; högst %(max)s får plats") % {
                "n": len(text),
                "max": item.max_length,
            }
        return text, None
    if item.type in (ROW_ID, ROW_REF):
        text = str(raw).strip()
        if len(text) > rowids.MAX_LENGTH or not rowids.is_row_id(text):
            return None, _(
                "”%(value)s” är inget id som systemet har gett; ett id skrivs inte in för hand"
            ) % {"value": text[: rowids.MAX_LENGTH]}
        return text, None
    raise ValueError(f"no cleaner for type {item.type}")


def _fmt(number: float, kind: str = "number") -> str:
    """A number as the reader writes it: '1 500 000', '12,5' in Swedish; a year as it is."""
    if float(number).is_integer():
        number = int(number)
    if kind == "year":
        return str(number)
    return number_format(number, force_grouping=True)


def applicable(item: Item, clean: dict[str, Any]) -> bool:
    """Is the item asked, given the (clean) answers to earlier items?"""
    return item.show_if is None or clean.get(item.show_if.question) in item.show_if.values


def _group(
    item: Item,
    rows: Any,
    mode: str,
    result: Validation,
    strict_skips: bool = True,
    ids: RowIds | None = None,
) -> list[dict] | None:
    if not isinstance(rows, list):
        result.errors.append(Finding(item.id, _("en grupp besvaras med en lista av rader")))
        return None
    numbered: list[tuple[int, dict]] = []
    for number, row in enumerate(rows, start=1):  # numbered as shown, blank rows included
        if not isinstance(row, dict):
            if row not in (None, "", {}):
                result.errors.append(Finding(item.id, _("en rad är en samling fält"), row=number))
            continue
        if is_blank_row(row):
            continue
        unknown = set(row) - {f.id for f in item.fields}
        for name in sorted(unknown):
            result.errors.append(
                Finding(
                    item.id, _("okänt fält %(field)s") % {"field": name}, row=number, field=name
                )
            )
        clean_row: dict[str, Any] = {}
        for f in item.fields:
            value = row.get(f.id)
            if f.show_if is not None and not applicable(f, clean_row):
                if not is_blank(value) and strict_skips:
                    result.errors.append(
                        Finding(
                            item.id,
                            _("besvaras bara %(condition)s")
                            % {"condition": _field_condition(item, f)},
                            row=number,
                            field=f.id,
                        )
                    )
                continue
            if is_blank(value):
                if f.required and mode == SUBMIT:
                    result.errors.append(
                        Finding(item.id, _("måste fyllas i"), row=number, field=f.id)
                    )
                continue
            cleaned, error = clean_value(f, value)
            if error:
                result.errors.append(Finding(item.id, error, row=number, field=f.id))
            else:
                clean_row[f.id] = cleaned
        numbered.append((number, clean_row))
    _row_identity(item, numbered, result, ids)
    clean_rows = [row for _number, row in numbered]
    result.row_numbers[item.id] = [number for number, _row in numbered]
    if item.max_rows and len(clean_rows) > item.max_rows:
        result.errors.append(Finding(item.id, _("högst %(n)s rader") % {"n": item.max_rows}))
    if mode == SUBMIT and len(clean_rows) < item.min_rows:
        result.errors.append(
            Finding(item.id, _("minst %(n)s rad(er) behövs") % {"n": item.min_rows})
        )
    return clean_rows


def _field_condition(group: Item, f: Item) -> str:
    """A field's condition in words: 'om ”Fortsätter insatsen?” är ”Sammanslagen …”'."""
    assert f.show_if is not None
    try:
        target = group.field(f.show_if.question)
    except KeyError:
        return f.show_if.describe(current())
    values = f" {_('eller')} ".join(
        f"”{target.choice_text(v, current())}”" for v in f.show_if.values
    )
    return _("om ”%(field)s” är %(values)s") % {
        "field": pick(target.text),
        "values": values,
    }


def _row_identity(
    item: Item, rows: list[tuple[int, dict]], result: Validation, ids: RowIds | None
) -> None:
    """The rows' ids (each once, and with ``ids``: the organisation's and known) and the rows
    they point at (another row of the group). A wrong id blocks storing the response."""
    id_field = item.row_id_field
    if id_field is None:
        return
    first_row: dict[str, int] = {}
    for number, row in rows:
        row_id = row.get(id_field.id)
        if row_id is None:
            continue
        problem = ""
        owner = rowids.owner(row_id)
        if row_id in first_row:
            problem = _("samma id som rad %(row)s") % {"row": first_row[row_id]}
        elif ids is not None and owner is not None and owner != ids.org:
            problem = _(
                "id %(id)s tillhör en annan organisation (%(org)s) och kan inte användas här"
            ) % {"id": row_id, "org": ids.names.get(owner, owner)}
        elif ids is not None and row_id not in ids.known:
            problem = _(
                "id %(id)s är okänt: det finns varken bland svarets rader eller förra "
                "omgångens; ett id ges av systemet och skrivs inte in"
            ) % {"id": row_id}
        first_row.setdefault(row_id, number)
        if problem:
            result.errors.append(Finding(item.id, problem, row=number, field=id_field.id))
            result.blocked = True
    for f in item.fields:
        if f.type != ROW_REF:
            continue
        for number, row in rows:
            target = row.get(f.id)
            if target is None:
                continue
            if target == row.get(id_field.id):
                problem = _("en rad kan inte hänvisa till sig själv")
            elif target not in first_row:
                problem = _("%(id)s är inte id för någon annan rad i svaret") % {"id": target}
            else:
                continue
            result.errors.append(Finding(item.id, problem, row=number, field=f.id))


def _checks(item: Item, value: Any, clean: dict, previous: dict, result: Validation) -> None:
    for chk in item.checks:
        failed = False
        if chk.kind == "range":
            failed = (chk.min is not None and value < chk.min) or (
                chk.max is not None and value > chk.max
            )
        elif chk.kind == "not_more_than":
            other = clean.get(chk.other)
            failed = other is not None and value > other
        elif chk.kind == "change_from_previous":
            before = previous.get(item.id)
            if isinstance(before, (int, float)) and before > 0 and value > 0:
                ratio = max(value / before, before / value)
                failed = ratio > chk.max_ratio
        if failed:
            message = pick(chk.message) or _("ovanligt värde")
            if chk.kind == "change_from_previous":
                message = f"{message} " + _("(förra året: %(before)s)") % {
                    "before": _fmt(previous[item.id], item.type)
                }
            problem = Finding(item.id, message, level=chk.level)
            (result.errors if chk.level == "hard" else result.warnings).append(problem)


def validate(
    form: FormDefinition,
    raw: dict[str, Any],
    mode: str = SUBMIT,
    *,
    strict_skips: bool = True,
    previous: dict[str, Any] | None = None,
    overrides: dict[str, str] | None = None,
    require: bool = True,
    rows: Mapping[str, RowIds] | None = None,
) -> Validation:
    """Validate raw answers for ``form``.

    ``require``: at submit, required items must be answered (off only for
    historical data imported as it was collected, item non-response included).
    ``strict_skips``: an answer to an item that skip logic leaves out is an
    error (files, API); otherwise it is dropped (the web form hides it).
    ``previous``: last round's clean answers, for change checks.
    ``overrides``: item -> reason given for accepting a soft warning.
    ``rows``: per group whose rows have ids, the ids they may carry (without it, ids are only
    checked to be ids, each once).
    """
    previous, overrides = previous or {}, overrides or {}
    result = Validation()
    for key in sorted(set(raw) - {i.id for i in form.items}):
        result.errors.append(Finding(key, _("formuläret har ingen fråga %(id)s") % {"id": key}))
    for item in form.items:
        value = raw.get(item.id)
        if item.show_if is not None and not applicable(item, result.clean):
            result.not_applicable.add(item.id)
            if not is_blank(value) and strict_skips:
                result.errors.append(
                    Finding(
                        item.id,
                        _("besvaras bara %(condition)s")
                        % {"condition": form.condition_text(item.show_if, current())},
                    )
                )
            continue
        if is_blank(value):
            if item.required and mode == SUBMIT and require:
                result.errors.append(Finding(item.id, _("måste besvaras")))
            continue
        if item.type == "group":
            cleaned = _group(
                item,
                value,
                mode if require else DRAFT,
                result,
                strict_skips,
                (rows or {}).get(item.id),
            )
            if cleaned is not None:
                result.clean[item.id] = cleaned
            continue
        if isinstance(value, (list, dict)):
            result.errors.append(Finding(item.id, _("ett enda värde väntas")))
            continue
        cleaned, error = clean_value(item, value)
        if error:
            result.errors.append(Finding(item.id, error))
            continue
        result.clean[item.id] = cleaned
    for item in form.items:
        if item.id in result.clean and item.checks:
            _checks(item, result.clean[item.id], result.clean, previous, result)
    accepted = []
    for warning in result.warnings:
        reason = (overrides.get(warning.item_id) or "").strip()
        if reason:
            result.overridden[warning.item_id] = reason
            accepted.append(warning)
    result.warnings = [w for w in result.warnings if w not in accepted]
    if mode == DRAFT:
        result.warnings = []
    lang = current()
    result.errors = [labelled(form, p, lang) for p in result.errors]
    result.warnings = [labelled(form, p, lang) for p in result.warnings]
    return result

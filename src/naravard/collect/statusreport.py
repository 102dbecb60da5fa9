"""The regions' status report read by role: the item and field ids that the report, the public
region pages and the published initiatives rely on, named once.

Every form of the status-report series asks these with these types; system check
naravard.E022 says so at start (:func:`role_problems`). A new year's form that renames one of
them is refused there, not found out when a page or the report is built.

From 2021 an initiative keeps its identity from one status report to the next: a form that
follows initiatives has all of :data:`FOLLOW_FIELDS` (its id, whether it continues, what it was
merged into); :mod:`naravard.collect.initiatives` carries them from round to round.
"""

from __future__ import annotations

from typing import Any

from naravard.collect.definition import FormDefinition, Item

SERIES = "nulagesrapport"

# Questions, each with the type it must have.
STRATEGY_DECIDED = "beslut.strategi"  # has the region decided on a strategy
STRATEGY_YEAR = "beslut.ar"  # the year it was decided
STRATEGY_DESCRIPTION = "beslut.beskrivning"  # the decisions in the region's words
INITIATIVES = "insatser"  # one row per initiative
QUESTIONS = {
    STRATEGY_DECIDED: "yesno",
    STRATEGY_YEAR: "year",
    STRATEGY_DESCRIPTION: "text",
    INITIATIVES: "group",
}

# The fields of an initiative (a row of INITIATIVES), each with the type it must have.
AREA = "omrade"  # the development area: the report has a chapter per area
DESCRIPTION = "beskrivning"
TARGET_GROUP = "malgrupp"
STAGE = "skede"  # how far the initiative has come
START_YEAR = "startar"
INITIATIVE_FIELDS = {
    AREA: "choice",
    DESCRIPTION: "text",
    TARGET_GROUP: "text",
    STAGE: "choice",
    START_YEAR: "year",
}

# The fields that follow an initiative from round to round (a form has all of them or none).
INITIATIVE_ID = "insats_id"  # given by the system when the initiative is first stored
CONTINUATION = "status"  # for an initiative of the round before: continues, ended, merged
MERGED_INTO = "sammanslagen_med"  # the id of the initiative it was merged into
FOLLOW_FIELDS = {INITIATIVE_ID: "row_id", CONTINUATION: "choice", MERGED_INTO: "row_ref"}
NEW, CONTINUES, ENDED, MERGED = "ny", "fortsatter", "avslutad", "sammanslagen"
CONTINUATION_CODES = (NEW, CONTINUES, ENDED, MERGED)
# What an initiative carried into the next round keeps as the region last gave it (the cost is
# one year's and is asked anew; the stage is the starting point the region changes).
CARRIED_FIELDS = (AREA, DESCRIPTION, TARGET_GROUP, STAGE, START_YEAR)


def initiatives_group(form: FormDefinition) -> Item | None:
    """The form's group of initiatives, if it is a status report that has one."""
    if form.audience != "regions" or not form.has_item(INITIATIVES):
        return None
    return form.item(INITIATIVES)


def area_field(form: FormDefinition) -> Item | None:
    """The initiatives' development-area field (its choices are the areas), if any."""
    group = initiatives_group(form)
    return group.field(AREA) if group else None


def stage_field(form: FormDefinition) -> Item | None:
    """The initiatives' stage field (its choices are the stages in order), if any."""
    group = initiatives_group(form)
    return group.field(STAGE) if group else None


def follows_initiatives(form: FormDefinition) -> bool:
    """Whether the form's initiatives keep their identity from round to round (it has the
    initiative id field)."""
    group = initiatives_group(form)
    return group is not None and any(f.id == INITIATIVE_ID for f in group.fields)


def initiative_rows(answers: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The initiative rows of one response's answers."""
    return (answers or {}).get(INITIATIVES) or []


def role_problems(form: FormDefinition) -> list[str]:
    """What a form of the series lacks: a question or initiative field missing or of
    another type."""
    problems = [
        _type_problem(form, f"question {item_id}", _asked(form, item_id), wanted)
        for item_id, wanted in QUESTIONS.items()
    ]
    group = _asked(form, INITIATIVES)
    if group is not None and group.type == "group":
        fields = {f.id: f for f in group.fields}
        problems += [
            _type_problem(form, f"field {INITIATIVES}.{field_id}", fields.get(field_id), wanted)
            for field_id, wanted in INITIATIVE_FIELDS.items()
        ]
        if FOLLOW_FIELDS.keys() & fields.keys():
            problems += [
                _type_problem(form, f"field {INITIATIVES}.{field_id}", fields.get(field_id), w)
                for field_id, w in FOLLOW_FIELDS.items()
            ]
            status = fields.get(CONTINUATION)
            missing = [c for c in CONTINUATION_CODES if status and c not in status.codes]
            if missing and status is not None and status.type == "choice":
                problems.append(
                    f"field {INITIATIVES}.{CONTINUATION} of form {form.id} lacks the answers "
                    + ", ".join(missing)
                )
    if form.audience != "regions":
        problems.append(f"form {form.id} of series {SERIES} is addressed to {form.audience}")
    return [p for p in problems if p]


def _asked(form: FormDefinition, item_id: str) -> Item | None:
    return form.item(item_id) if form.has_item(item_id) else None


def _type_problem(form: FormDefinition, what: str, item: Item | None, wanted: str) -> str:
    if item is None:
        return f"form {form.id} of series {SERIES} has no {what} (a {wanted})"
    if item.type != wanted:
        return f"{what} of form {form.id} is a {item.type}, not a {wanted}"
    return ""

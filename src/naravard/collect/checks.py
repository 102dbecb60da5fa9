"""System checks of the shipped form definitions (see :mod:`naravard.core.checks`).

naravard.E022: every form of the status-report series asks the questions and initiative
fields that the report and the public pages read by role (:mod:`naravard.collect.statusreport`),
with the expected types.

naravard.E024: every shipped form names its series, is named ``<series>-<year>`` (the forms of
a series are ordered by id) and is addressed to the same audience as the rest of its series.

naravard.E026: the question lineage of every series holds (:func:`naravard.collect.lineage.
problems`): what a question continues exists, every old answer code is mapped, no cycle.
"""

from __future__ import annotations

import re
from collections import defaultdict

from naravard.collect import definition, lineage, statusreport
from naravard.collect.definition import DefinitionError, series_forms
from naravard.core.checks import error

STATUS_REPORT_ROLES = 22
FORM_SERIES = 24
FORM_LINEAGE = 26
FORM_SERIES_HINT = (
    "Give every form in collect/definitions/ 'series: <name>' and the id <name>-<year>; next "
    "year's form of a survey names the same series and audience."
)


def status_report_forms_have_their_roles(app_configs=None, **kwargs) -> list:
    """naravard.E022: each form of the status-report series has every role's item."""
    try:
        forms = series_forms(statusreport.SERIES)
    except DefinitionError:
        return []  # naravard.E024 says the forms do not load
    problems = [p for form in forms for p in statusreport.role_problems(form)]
    if not forms:
        problems = [f"no shipped form belongs to the status-report series {statusreport.SERIES!r}"]
    return [
        error(
            STATUS_REPORT_ROLES,
            problem,
            "Keep the item ids and types of naravard.collect.statusreport in the new form, or "
            "change the roles there (the report and the region pages read them).",
        )
        for problem in problems
    ]


def forms_name_their_series(app_configs=None, **kwargs) -> list:
    """naravard.E024: each shipped form names its series, as its id says, and the forms of a
    series share their audience."""
    try:
        forms = definition.registry()
    except DefinitionError as exc:
        return [error(FORM_SERIES, f"the shipped forms do not load: {exc}", FORM_SERIES_HINT)]
    problems = []
    audiences = defaultdict(set)
    for form in forms.values():
        if not form.series:
            problems.append(f"form {form.id} names no series")
            continue
        audiences[form.series].add(form.audience)
        if not re.fullmatch(rf"{re.escape(form.series)}-\d{{4}}", form.id):
            problems.append(
                f"form {form.id} of series {form.series} is not named {form.series}-<year>"
            )
    problems += [
        f"the forms of series {series} are addressed to {' and '.join(sorted(found))}"
        for series, found in sorted(audiences.items())
        if len(found) > 1
    ]
    return [error(FORM_SERIES, problem, FORM_SERIES_HINT) for problem in problems]


def forms_lineage_holds(app_configs=None, **kwargs) -> list:
    """naravard.E026: the lineage of the shipped forms' questions has no problem."""
    try:
        forms = list(definition.registry().values())
    except DefinitionError:
        return []  # naravard.E024 says the forms do not load
    return [
        error(
            FORM_LINEAGE,
            problem,
            "Fix the question's lineage in its form file (collect/definitions/); "
            "'naravard forms lineage SERIES' shows it year by year.",
        )
        for problem in lineage.problems(forms)
    ]

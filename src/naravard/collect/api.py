"""Collection over the JSON API: read and save a response, submit it, read results.

The same services as the web form, so the same validation, deadlines,
conflict detection, permissions and audit apply. Skip logic is strict here:
an answer to a question that is not asked is an error.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from naravard.accounts.models import Role
from naravard.accounts.permissions import Action, filter_visible, has_permission
from naravard.collect import initiatives, results, services
from naravard.collect.audit import actor_name
from naravard.collect.models import Response, Round
from naravard.core.apischema import RowId, errors

router = Router(tags=["collect"])

OrgCode = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{2}([0-9]{2})?$",
        description="the organisation: a region's code (2 digits) or a municipality's (4)",
    ),
]


class RoundOut(Schema):
    id: int
    form_id: str
    form_version: int
    title: str
    deadline: str
    locked: bool


class ProblemOut(Schema):
    question: str  # the item id (a group's row and field as ITEM.N.FIELD), for programs
    label: str  # where, as the form names it for people: 'Fråga 5, Insatser, rad 2, Startår'
    message: str
    level: str


class ResponseOut(Schema):
    round: int
    org: str
    status: str
    version: int
    answers: dict[str, Any]
    reasons: dict[str, str]
    problems: list[ProblemOut] = []
    prefilled: list[str] = Field(
        default=[],
        description="items the answers show as carried from the organisation's response in "
        "the round before (a status report's initiatives, each with its id), not yet saved",
    )


class AnswersIn(Schema):
    """The whole response: answers not given are unanswered (PUT replaces).

    ``version`` is the version read with GET; a save from an older version is a
    conflict (409), so nothing is overwritten unseen.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"version": 0, "answers": {"1.politisk": "ja", "2": "nej"}}],
        }
    )

    version: int
    answers: dict[str, Any]
    reasons: dict[str, str] = {}


class OptionCount(Schema):
    count: int
    percent: float | None


class FieldResult(Schema):
    options: dict[str, OptionCount]


class QuestionResult(Schema):
    """A question's respondents (n) and, as the question has them, the count and percent of
    each option, statistics of a number, or the rows and per-field options of a group."""

    n: int
    options: dict[str, OptionCount] | None = None
    stats: dict[str, Any] | None = None
    rows: int | None = None
    fields: dict[str, FieldResult] | None = None


class ResultsOut(Schema):
    form: str
    round: int
    invited: int
    responded: int
    response_rate: float | None
    questions: dict[str, QuestionResult]


def _round_out(rnd: Round) -> RoundOut:
    return RoundOut(
        id=rnd.pk,
        form_id=rnd.form_id,
        form_version=rnd.form_version,
        title=rnd.title,
        deadline=rnd.deadline.isoformat(),
        locked=rnd.is_locked,
    )


def _response_out(response: Response, validation=None, answers=None) -> ResponseOut:
    """``answers``: the response's answers when the caller has them (a save that just wrote
    them); otherwise they are read, in one query for answers and reasons."""
    problems = []
    if validation is not None:
        problems = [
            ProblemOut(question=p.where, label=p.shown, message=p.message, level=p.level)
            for p in validation.errors + validation.warnings
        ]
    if answers is None:
        prefetch_related_objects([response], "answers")
        answers = response.answers.all()
    return ResponseOut(
        round=response.round_id,
        org=response.org_code,
        status=response.status,
        version=response.version,
        answers={a.item_id: a.value for a in answers},
        reasons={a.item_id: a.override_reason for a in answers if a.override_reason},
        problems=problems,
    )


def _load(request, round_id: int, org: str, action: Action, *, lock: bool = False) -> Response:
    """The organisation's response in the round: 404 if there is none, 403 if not allowed.
    ``lock``: its row locked until the request ends, for a save that then need not read it."""
    field = "region_id" if len(org) == 2 else "municipality_id"
    responses = Response.objects.select_related("round", "region", "municipality")
    if lock:
        responses = responses.select_for_update(of=("self",))
    response = get_object_or_404(responses, round_id=round_id, **{field: org})
    if not has_permission(request.user, action, response):
        raise HttpError(403, "not allowed for this organisation")
    return response


def _save(request, round_id: int, org: str, payload: AnswersIn, submit: bool):
    response = _load(request, round_id, org, Action.EDIT, lock=True)
    # a save from an old version (Conflict) or of a locked response (NotEditable) is a 409
    result = services.save(
        response,
        payload.answers,
        locked=True,
        user=request.user,
        actor=actor_name(request.user, via="api"),
        base_version=payload.version,
        submit=submit,
        strict_skips=True,
        overrides=payload.reasons,
        as_analyst=request.user.role == Role.ANALYST,
    )
    body = _response_out(result.response, result.validation, result.answers)
    if result.validation.errors or (submit and not result.submitted):
        return Status(422, body)
    return Status(200, body)


@router.get(
    "/rounds",
    response={200: list[RoundOut], **errors(401)},
    summary="Rounds the caller takes part in",
)
def list_rounds(request):
    services.lock_due_rounds()
    if request.user.role == Role.ANALYST:
        return [_round_out(r) for r in Round.objects.all()]
    mine = filter_visible(request.user, Response.objects.all()).values_list("round_id", flat=True)
    return [_round_out(r) for r in Round.objects.filter(pk__in=mine)]


@router.get(
    "/rounds/{round_id}/responses/{org}",
    response={200: ResponseOut, **errors(400, 401, 403, 404)},
    summary="One organisation's response",
)
def get_response(request, round_id: RowId, org: OrgCode):
    """A status report nobody has saved yet shows the region's initiatives of the round before,
    each with its id (``prefilled``); PUT them back, changed as they are now."""
    response = _load(request, round_id, org, Action.VIEW)
    out = _response_out(response)
    out.answers, out.prefilled = initiatives.starting_answers(response, out.answers)
    return out


@router.put(
    "/rounds/{round_id}/responses/{org}",
    response={200: ResponseOut, 422: ResponseOut, **errors(400, 401, 403, 404, 409)},
    summary="Save answers as a draft (give the version you read to detect conflicts)",
)
def put_response(request, round_id: RowId, org: OrgCode, payload: AnswersIn):
    """409 if the response changed since the version given, or cannot be changed (locked,
    submitted); 422 with the problems if an answer is refused (nothing is saved then)."""
    return _save(request, round_id, org, payload, submit=False)


@router.post(
    "/rounds/{round_id}/responses/{org}/submit",
    response={200: ResponseOut, 422: ResponseOut, **errors(400, 401, 403, 404, 409)},
    summary="Save and submit; 422 with the problems if it does not validate",
)
def submit_response(request, round_id: RowId, org: OrgCode, payload: AnswersIn):
    return _save(request, round_id, org, payload, submit=True)


@router.get(
    "/rounds/{round_id}/results",
    response={200: ResultsOut, **errors(400, 401, 403, 404)},
    exclude_unset=True,  # a question has the parts its type has, no nulls for the others
    summary="Results per question (analysts; everyone once published)",
)
def round_results(request, round_id: RowId):
    rnd = get_object_or_404(Round, pk=round_id)
    if not (has_permission(request.user, Action.ADMINISTER) or rnd.is_published):
        raise HttpError(403, "results of this round are not published")
    return results.results_json(rnd)

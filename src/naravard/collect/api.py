"""Collection over the JSON API: read and save a response, submit it, read results.

The same services as the web form, so the same validation, deadlines,
conflict detection, permissions and audit apply. Skip logic is strict here:
an answer to a question that is not asked is an error.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from naravard.accounts.models import Role
from naravard.accounts.permissions import Action, filter_visible, has_permission
from naravard.collect import results, services
from naravard.collect.audit import actor_name
from naravard.collect.models import Response, Round

router = Router(tags=["collect"])


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


class AnswersIn(Schema):
    """The whole response: answers not given are unanswered (PUT replaces).

    ``version`` is the version read with GET; a save from an older version is a
    conflict (409), so nothing is overwritten unseen.
    """

    version: int
    answers: dict[str, Any]
    reasons: dict[str, str] = {}


def _round_out(rnd: Round) -> RoundOut:
    return RoundOut(
        id=rnd.pk,
        form_id=rnd.form_id,
        form_version=rnd.form_version,
        title=rnd.title,
        deadline=rnd.deadline.isoformat(),
        locked=rnd.is_locked,
    )


def _response_out(response: Response, validation=None) -> ResponseOut:
    problems = []
    if validation is not None:
        problems = [
            ProblemOut(question=p.where, label=p.shown, message=p.message, level=p.level)
            for p in validation.errors + validation.warnings
        ]
    return ResponseOut(
        round=response.round_id,
        org=response.org_code,
        status=response.status,
        version=response.version,
        answers=services.stored_answers(response),
        reasons=services.stored_overrides(response),
        problems=problems,
    )


def _load(request, round_id: int, org: str, action: Action) -> Response:
    field = "region_id" if len(org) == 2 else "municipality_id"
    response = get_object_or_404(
        Response.objects.select_related("round"), round_id=round_id, **{field: org}
    )
    if not has_permission(request.user, action, response):
        raise HttpError(403, "not allowed for this organisation")
    return response


def _save(request, round_id: int, org: str, payload: AnswersIn, submit: bool):
    response = _load(request, round_id, org, Action.EDIT)
    # a save from an old version (Conflict) or of a locked response (NotEditable) is a 409
    result = services.save(
        response,
        payload.answers,
        user=request.user,
        actor=actor_name(request.user, via="api"),
        base_version=payload.version,
        submit=submit,
        strict_skips=True,
        overrides=payload.reasons,
        as_analyst=request.user.role == Role.ANALYST,
    )
    body = _response_out(result.response, result.validation)
    if result.validation.errors or (submit and not result.submitted):
        return Status(422, body)
    return Status(200, body)


@router.get("/rounds", response=list[RoundOut], summary="Rounds the caller takes part in")
def list_rounds(request):
    services.lock_due_rounds()
    if request.user.role == Role.ANALYST:
        return [_round_out(r) for r in Round.objects.all()]
    mine = filter_visible(request.user, Response.objects.all()).values_list("round_id", flat=True)
    return [_round_out(r) for r in Round.objects.filter(pk__in=mine)]


@router.get(
    "/rounds/{round_id}/responses/{org}",
    response=ResponseOut,
    summary="One organisation's response",
)
def get_response(request, round_id: int, org: str):
    return _response_out(_load(request, round_id, org, Action.VIEW))


@router.put(
    "/rounds/{round_id}/responses/{org}",
    response={200: ResponseOut, 422: ResponseOut},
    summary="Save answers as a draft (give the version you read to detect conflicts)",
)
def put_response(request, round_id: int, org: str, payload: AnswersIn):
    return _save(request, round_id, org, payload, submit=False)


@router.post(
    "/rounds/{round_id}/responses/{org}/submit",
    response={200: ResponseOut, 422: ResponseOut},
    summary="Save and submit; 422 with the problems if it does not validate",
)
def submit_response(request, round_id: int, org: str, payload: AnswersIn):
    return _save(request, round_id, org, payload, submit=True)


@router.get("/rounds/{round_id}/results", summary="Results per question (analysts)")
def round_results(request, round_id: int):
    rnd = get_object_or_404(Round, pk=round_id)
    if not (has_permission(request.user, Action.ADMINISTER) or rnd.is_published):
        raise HttpError(403, "results of this round are not published")
    return results.results_json(rnd)

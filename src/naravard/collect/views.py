"""Collection pages: respondents' forms, analysts' follow-up of rounds, queries, audit, files."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naravard.accounts.models import Role
from naravard.accounts.permissions import (
    Action,
    analyst_view,
    filter_visible,
    has_permission,
    organisation_view,
    require,
)
from naravard.collect import (
    audit,
    initiatives,
    reminders,
    results,
    services,
    statusreport,
    tabular,
    webform,
)
from naravard.collect.audit import actor_name
from naravard.collect.codebook import entries as codebook_entries
from naravard.collect.definition import DefinitionError, get_form, registry
from naravard.collect.models import (
    AuditAction,
    AuditEvent,
    Query,
    QueryStatus,
    Response,
    ResponseStatus,
    Round,
)
from naravard.core import language, tables
from naravard.core.language import pick


def _response(round_id: int, code: str) -> Response:
    field = "region_id" if len(code) == 2 else "municipality_id"
    return get_object_or_404(
        Response.objects.select_related("round", "region", "municipality"),
        round_id=round_id,
        **{field: code},
    )


def _is_analyst(user) -> bool:
    return user.is_authenticated and user.role == Role.ANALYST


@login_required
def index(request):
    """Analysts: every round and a form to open one. Others: their organisation's forms."""
    services.lock_due_rounds()
    if _is_analyst(request.user):
        rounds = [(r, results.summary(r)) for r in Round.objects.all()]
        return render(
            request,
            "collect/rounds.html",
            {
                "rounds": rounds,
                "forms": registry().values(),
                "default_deadline": timezone.localdate() + dt.timedelta(days=30),
                "default_year": timezone.localdate().year,
            },
        )
    responses = filter_visible(
        request.user, Response.objects.select_related("round", "region", "municipality")
    ).annotate(open_queries=Count("queries", filter=Q(queries__status=QueryStatus.OPEN)))
    return render(
        request,
        "collect/my_forms.html",
        {
            "responses": responses,
            "any_closed_unanswered": any(r.closed_unanswered for r in responses),
        },
    )


@analyst_view
@require_POST
def round_open(request):
    form_id = request.POST.get("form_id", "")
    year_text = request.POST.get("year", "").strip()
    if year_text and not year_text.isdigit():
        messages.error(request, _("Ange året som svaren avser med fyra siffror."))
        return redirect("collect:index")
    try:
        deadline = dt.date.fromisoformat(request.POST.get("deadline", ""))
        rnd = services.open_round(
            form_id,
            deadline,
            user=request.user,
            title=request.POST.get("title", "").strip() or None,
            year=int(year_text) if year_text else None,
            historical=request.POST.get("historical") == "1",
        )
    except ValueError:
        messages.error(request, _("Ange sista svarsdag som ÅÅÅÅ-MM-DD."))
        return redirect("collect:index")
    except (services.CollectError, DefinitionError) as exc:
        messages.error(request, str(exc))
        return redirect("collect:index")
    messages.success(
        request, _("Omgången är öppnad för %(n)s organisationer.") % {"n": rnd.responses.count()}
    )
    return redirect("collect:round", round_id=rnd.pk)


@analyst_view
def round_detail(request, round_id: int):
    """Follow-up: response rate overall and per county, non-respondents, results per question."""
    services.lock_due_rounds()
    rnd = get_object_or_404(Round, pk=round_id)
    summary = results.summary(rnd)
    addresses = reminders.contacts_by_org(summary.non_respondents)
    for r in summary.non_respondents:
        r.contacts = addresses.get(r.org_code, [])
    lang = language.current()
    questions = {q.id: q for sec in rnd.form.sections for q in sec.questions}
    since = results.change_since_previous(rnd)  # None without a previous round
    items = []
    for res in results.item_results(rnd):
        question = questions[res.item.question_id]
        text = pick(res.item.text)
        if question.type == "grid":
            text = f"{question.number}. {pick(question.text)} – {text}"
        elif question.number:
            text = f"{question.number}. {text}"
        change = since.items.get(res.item.id) if since else None
        items.append(
            {
                "res": res,
                "text": text,
                "change": change,
                "options": [
                    (
                        code,
                        res.item.choice_text(code, lang),
                        count,
                        res.option_percent(code),
                        change.options.get(code) if change else None,
                    )
                    for code, count in res.options.items()
                ],
                "fields": [
                    (
                        pick(res.item.field(fid).text),
                        [
                            (
                                res.item.field(fid).choice_text(code, lang),
                                n,
                                results.percent(n, res.rows),
                            )
                            for code, n in sorted(counter.items())
                        ],
                    )
                    for fid, counter in res.field_options.items()
                ],
            }
        )
    return render(
        request,
        "collect/round.html",
        {
            "round": rnd,
            "follows_initiatives": statusreport.follows_initiatives(rnd.form),
            "since": since,
            "summary": summary,
            "items": items,
            "open_queries": Query.objects.filter(response__round=rnd)
            .exclude(status=QueryStatus.CLOSED)
            .select_related("response__region", "response__municipality"),
            "submitted": rnd.responses.filter(status=ResponseStatus.SUBMITTED)
            .select_related("region", "municipality")
            .order_by("submitted_at"),
        },
    )


@analyst_view
def round_remind(request, round_id: int):
    """Reminders: a preview of who gets one and its text (GET), sent only when confirmed."""
    services.lock_due_rounds()
    rnd = get_object_or_404(Round, pk=round_id)
    if rnd.is_locked:
        messages.error(request, _("Omgången är låst; påminnelser skickas bara medan den är öppen."))
        return redirect("collect:round", round_id=rnd.pk)
    site_url = request.build_absolute_uri("/")
    if request.method != "POST" or request.POST.get("bekrafta") != "1":
        plan = reminders.plan_reminders(rnd, site_url)
        return render(
            request,
            "collect/remind.html",
            {
                "round": rnd,
                "plan": plan,
                "example": plan.messages[0] if plan.messages else None,
                "rows": [(r, m, reminders.form_url(rnd, r, site_url)) for r, m in plan.messages],
            },
        )
    report = reminders.send_reminders(rnd, user=request.user, site_url=site_url)
    messages.success(
        request,
        _("Påminnelse skickad till %(sent)s organisationer; %(none)s saknar e-postadress.")
        % {"sent": len(report.sent), "none": len(report.no_contact)},
    )
    return redirect("collect:round", round_id=rnd.pk)


@analyst_view
def round_audit(request, round_id: int):
    """The audit trail of a round, newest first, optionally for one organisation."""
    rnd = get_object_or_404(Round, pk=round_id)
    events = AuditEvent.objects.filter(round=rnd).select_related(
        "response__region", "response__municipality", "user"
    )
    org = request.GET.get("org", "").strip()
    if org:
        events = events.filter(response__region_id=org) | events.filter(
            response__municipality_id=org
        )
    page = Paginator(events, 100).get_page(request.GET.get("sida"))
    return render(request, "collect/audit.html", {"round": rnd, "page": page, "org": org})


@analyst_view
def round_export(request, round_id: int, fmt: str):
    rnd = get_object_or_404(Round, pk=round_id)
    qs = rnd.responses.select_related("region", "municipality").prefetch_related("answers")
    if request.GET.get("alla") != "1":
        qs = qs.filter(status=ResponseStatus.SUBMITTED)
    header, rows = tabular.export_rows(
        rnd.form,
        sorted(qs, key=lambda r: r.org_code),
        min_group_rows=tabular.TEMPLATE_GROUP_ROWS if request.GET.get("alla") == "1" else 0,
        submitted=True,
    )
    return _table_download(
        rnd,
        header,
        rows,
        fmt,
        f"{rnd.form_id}-omgang-{rnd.pk}",
        excel=request.GET.get("excel") == "1",
    )


def _table_download(rnd: Round, header, rows, fmt: str, stem: str, excel: bool = False):
    if fmt == "xlsx":
        response = HttpResponse(
            tabular.write_xlsx(rnd.form, header, rows, language.current()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        response = HttpResponse(
            tabular.write_csv(header, rows, excel=excel), content_type="text/csv; charset=utf-8"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _upload(request, rnd: Round, allowed: set[str] | None, back: str):
    upload = request.FILES.get("fil")
    if upload is None:
        messages.error(request, _("Välj en fil att ladda upp."))
        return redirect(back)
    if upload.size > tables.MAX_UPLOAD_BYTES:
        messages.error(
            request,
            _("Filen är större än %(mb)s MB.") % {"mb": tables.MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
        return redirect(back)
    try:
        header, table = tables.read_table(upload.name, upload.read())
        rows = tabular.parse_rows(rnd.form, header, table)
        report = services.import_rows(
            rnd,
            rows,
            user=request.user,
            actor=actor_name(request.user) + f", fil {upload.name}",
            allowed_orgs=allowed,
            as_analyst=_is_analyst(request.user),
            require=allowed is not None,
        )
    except tables.TableError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    except services.ImportRefused as exc:
        return render(
            request,
            "collect/upload_refused.html",
            {"round": rnd, "problems": exc.problems, "file_name": upload.name, "back": back},
            status=400,
        )
    except services.CollectError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _("Filen %(name)s är inläst: %(stored)s svar sparade och inskickade, %(same)s oförändrade.")
        % {"name": upload.name, "stored": report.stored, "same": report.unchanged},
    )
    return redirect(back)


@analyst_view
@require_POST
def round_upload(request, round_id: int):
    rnd = get_object_or_404(Round, pk=round_id)
    return _upload(request, rnd, None, reverse("collect:round", args=[rnd.pk]))


@analyst_view
def round_queries(request, round_id: int):
    rnd = get_object_or_404(Round, pk=round_id)
    status = request.GET.get("status", "")
    queries = Query.objects.filter(response__round=rnd).select_related(
        "response__region", "response__municipality", "raised_by", "replied_by"
    )
    if status in QueryStatus.values:
        queries = queries.filter(status=status)
    return render(
        request,
        "collect/queries.html",
        {"round": rnd, "queries": queries, "status": status, "statuses": QueryStatus.choices},
    )


# ---------------------------------------------------------- one response ---


@organisation_view(Action.VIEW, lambda round_id, code: _response(round_id, code))
def response_form(request, obj: Response):
    """Show and answer one organisation's form: save a draft, submit, add rows."""
    response = obj
    form = response.round.form
    can_edit = (
        has_permission(request.user, Action.EDIT, response)
        and response.status != ResponseStatus.SUBMITTED
        and (response.editable or (_is_analyst(request.user) and not response.round.is_locked))
    )
    # a status report nobody has saved yet starts from the region's initiatives of the round
    # before (collect/initiatives.py); they are stored by the first save
    values, carried = initiatives.starting_answers(response, services.stored_answers(response))
    reasons = services.stored_overrides(response)
    validation = None
    status = 200
    if request.method == "POST":
        require(request, Action.EDIT, response)
        raw, reasons = webform.read_post(form, request.POST)
        values = raw
        intent = request.POST.get("atgard", "spara")
        try:
            base = int(request.POST.get("version", "-1"))
        except ValueError:
            base = -1
        try:
            result = services.save(
                response,
                raw,
                user=request.user,
                base_version=base,
                submit=intent == "skicka",
                overrides=reasons,
                as_analyst=_is_analyst(request.user),
            )
        except services.Conflict as exc:
            messages.error(request, str(exc))
            response = exc.response
            stored = services.stored_answers(response)
            changed = sorted(
                k
                for k in set(stored) | set(raw)
                if stored.get(k) != raw.get(k) and (stored.get(k) or raw.get(k))
            )
            return render(
                request,
                "collect/response.html",
                _context(
                    request,
                    response,
                    values,
                    None,
                    reasons,
                    True,
                    conflict_items=changed,
                    stored=stored,
                ),
                status=409,
            )
        except services.NotEditable as exc:  # e.g. the deadline passed while typing
            messages.error(
                request,
                str(exc)
                + " "
                + _(
                    "Det du skrev står kvar nedan men är inte sparat; kopiera det du vill behålla."
                ),
            )
            response.refresh_from_db()
            return render(
                request,
                "collect/response.html",
                _context(request, response, values, None, reasons, False),
                status=409,
            )
        response = result.response
        validation = result.validation
        carried = []
        if result.submitted:
            messages.success(request, _("Tack! Svaret är inskickat."))
            return redirect(request.path + "?skickat=1")
        if validation.blocked:
            messages.error(
                request, _("Inget är sparat: rätta det som är markerat nedan och spara igen.")
            )
            status = 400
        elif intent == "skicka":
            messages.error(
                request,
                _(
                    "Svaret är sparat som utkast men inte inskickat: rätta "
                    "det som är markerat nedan."
                ),
            )
            status = 400
        else:
            messages.success(request, _("Utkastet är sparat."))
            if intent == "spara" and not validation.errors:
                return redirect(request.path)
        values = raw
        if result.answers is not None:  # shown again with the ids the save gave new rows
            values = webform.with_stored_ids(
                form, raw, {a.item_id: a.value for a in result.answers}
            )
    return render(
        request,
        "collect/response.html",
        _context(
            request,
            response,
            values,
            validation,
            reasons,
            can_edit or request.method == "POST",
            carried_from=initiatives.previous_round(response.round) if carried else None,
        ),
        status=status,
    )


def _context(request, response, values, validation, reasons, editable, **extra) -> dict:
    form = response.round.form
    queries = response.queries.select_related("raised_by", "replied_by")
    if response.closed_unanswered and not _is_analyst(request.user):
        contacts = reminders.analyst_contacts(response.round)
        extra.setdefault("reopen_contacts", contacts)
        extra.setdefault(
            "reopen_mailto",
            reminders.reopen_mailto(contacts, response.round, response.organisation),
        )
    return {
        "response": response,
        "round": response.round,
        "form": form,
        "sections": webform.layout(form, values, validation, reasons, editable),
        "validation": validation,
        "editable": editable,
        "is_analyst": _is_analyst(request.user),
        "queries": queries,
        "submitted_now": request.GET.get("skickat") == "1",
        "org": response.organisation,
        **extra,
    }


@analyst_view
@require_POST
def response_reopen(request, round_id: int, code: str):
    response = _response(round_id, code)
    services.reopen(response, user=request.user, note=request.POST.get("note", ""))
    messages.success(
        request, _("%(org)s kan ändra sitt svar igen.") % {"org": response.organisation}
    )
    return redirect("collect:response", round_id=round_id, code=code)


@organisation_view(Action.VIEW, lambda round_id, code: _response(round_id, code))
def response_template(request, obj: Response):
    """The response as an Excel file pre-filled with what is stored, to fill in offline (a
    status report nobody has saved yet: with the initiatives carried from the round before)."""
    form = obj.round.form
    answers, carried = initiatives.starting_answers(obj, services.stored_answers(obj))
    if carried:
        widths = {
            item.id: max(len(answers.get(item.id) or []) + 1, tabular.TEMPLATE_GROUP_ROWS)
            for item in form.items
            if item.type == "group"
        }
        header = tabular.header_for(form, widths)
        rows = [tabular.row_for(form, header, obj, answers, services.stored_overrides(obj))]
    else:
        header, rows = tabular.export_rows(form, [obj], min_group_rows=tabular.TEMPLATE_GROUP_ROWS)
    return _table_download(obj.round, header, rows, "xlsx", f"{obj.round.form_id}-{obj.org_code}")


@organisation_view(Action.EDIT, lambda round_id, code: _response(round_id, code))
def response_upload(request, obj: Response):
    if request.method != "POST":
        return redirect("collect:response", round_id=obj.round_id, code=obj.org_code)
    return _upload(
        request,
        obj.round,
        {obj.org_code},
        reverse("collect:response", args=[obj.round_id, obj.org_code]),
    )


# ----------------------------------------------------------------- queries ---


@analyst_view
@require_POST
def query_raise(request, round_id: int, code: str):
    response = _response(round_id, code)
    item_id = request.POST.get("item_id", "")
    text = request.POST.get("text", "").strip()
    if not response.round.form.has_item(item_id) or not text:
        messages.error(request, _("Välj en fråga och skriv vad du undrar."))
    else:
        query = Query.objects.create(
            response=response, item_id=item_id, text=text, raised_by=request.user
        )
        audit.record(
            AuditAction.QUERY,
            response.round,
            user=request.user,
            response=response,
            item_id=item_id,
            note=f"fråga ställd: {text}",
        )
        sent = reminders.notify_query(
            query, request.build_absolute_uri(reverse("collect:response", args=[round_id, code]))
        )
        messages.success(
            request,
            _("Frågan är skickad till %(org)s (%(n)s e-postmottagare).")
            % {"org": response.organisation, "n": sent},
        )
    return redirect("collect:response", round_id=round_id, code=code)


@login_required
@require_POST
def query_reply(request, query_id: int):
    query = get_object_or_404(Query.objects.select_related("response__round"), pk=query_id)
    require(request, Action.EDIT, query)
    text = request.POST.get("reply", "").strip()
    if query.status == QueryStatus.CLOSED:
        messages.error(request, _("Frågan är redan avslutad."))
    elif not text:
        messages.error(request, _("Skriv ett svar på frågan."))
    else:
        query.reply, query.replied_by, query.replied_at = text, request.user, timezone.now()
        query.status = QueryStatus.ANSWERED
        query.save()
        audit.record(
            AuditAction.QUERY,
            query.response.round,
            user=request.user,
            response=query.response,
            item_id=query.item_id,
            note=f"fråga besvarad: {text}",
        )
        messages.success(request, _("Svaret på frågan är sparat."))
    return redirect(
        "collect:response", round_id=query.response.round_id, code=query.response.org_code
    )


@analyst_view
@require_POST
def query_close(request, query_id: int):
    query = get_object_or_404(Query.objects.select_related("response__round"), pk=query_id)
    query.status, query.closed_by, query.closed_at = (
        QueryStatus.CLOSED,
        request.user,
        timezone.now(),
    )
    query.save()
    audit.record(
        AuditAction.QUERY,
        query.response.round,
        user=request.user,
        response=query.response,
        item_id=query.item_id,
        note="fråga avslutad",
    )
    if request.POST.get("next") == "queries":
        return redirect("collect:queries", round_id=query.response.round_id)
    return redirect(
        "collect:response", round_id=query.response.round_id, code=query.response.org_code
    )


# ---------------------------------------------------------------- codebook ---


def codebook(request, form_id: str):
    """The printable codebook of a form: every question, its type, codes and skip logic;
    ``?ar=YYYY`` fills the texts' years for a round of that year."""
    year = request.GET.get("ar", "")
    try:
        form = get_form(form_id, int(year) if year.isdigit() and len(year) == 4 else None)
    except DefinitionError:
        raise Http404 from None
    lang = language.current()
    return render(
        request,
        "collect/codebook.html",
        {
            "form": form,
            "entries": codebook_entries(form, lang),
            "sections": webform.layout(form, {}, editable=False),
        },
    )

"""E-mail reminders to the organisations that have not submitted."""

from __future__ import annotations

from dataclasses import dataclass, field
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from naravard.accounts.models import Role, User
from naravard.collect import audit
from naravard.collect.models import AuditAction, Response, ResponseStatus, Round
from naravard.core.dates import period_label


@dataclass
class ReminderReport:
    sent: list[str] = field(default_factory=list)  # organisation codes e-mailed
    no_contact: list[str] = field(default_factory=list)  # codes without any e-mail address
    failed: list[str] = field(default_factory=list)  # "code: reason" where sending failed


def contacts(response: Response) -> list[str]:
    return contacts_by_org([response]).get(response.org_code, [])


def contacts_by_org(responses) -> dict[str, list[str]]:
    """E-mail addresses of the active accounts of each response's organisation (one query)."""
    from django.db.models import Q

    codes = {r.org_code for r in responses}
    found: dict[str, set[str]] = {}
    users = (
        User.objects.filter(Q(region_id__in=codes) | Q(municipality_id__in=codes), is_active=True)
        .exclude(email="")
        .values_list("region_id", "municipality_id", "email")
    )
    for region, municipality, email in users:
        found.setdefault(region or municipality, set()).add(email)
    return {code: sorted(emails) for code, emails in found.items()}


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


def analyst_contacts(rnd: Round) -> list[Contact]:
    """Whom an organisation asks to reopen its form: the analyst who opened the round, or,
    for a round opened from the command line or imported, every active analyst."""

    def contact(user) -> Contact:
        return Contact(user.get_full_name() or user.get_username(), user.email)

    opener = rnd.opened_by
    if opener is not None and opener.is_active and opener.email and opener.role == Role.ANALYST:
        return [contact(opener)]
    analysts = User.objects.filter(role=Role.ANALYST, is_active=True).exclude(email="")
    return [contact(u) for u in analysts.order_by("last_name", "first_name", "username")]


def reopen_mailto(contacts: list[Contact], rnd: Round, organisation) -> str:
    """A mailto link asking the analysts to reopen one organisation's form."""
    from urllib.parse import quote

    name = getattr(organisation, "full_name", None) or organisation.name
    subject = f"Återöppna {rnd.title} för {name}"
    body = (
        f"Hej,\n\n{name} vill lämna sitt svar på {rnd.title} i efterhand. "
        "Kan ni återöppna formuläret för oss?\n"
    )
    return (
        f"mailto:{','.join(c.email for c in contacts)}?subject={quote(subject)}&body={quote(body)}"
    )


def form_url(rnd: Round, response: Response, site_url: str) -> str:
    """The absolute address of one organisation's own form in a round (the Swedish pages)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("sv"):
        path = reverse("collect:response", args=[rnd.pk, response.org_code])
    return site_url.rstrip("/") + path


def _message(
    rnd: Round, response: Response, to: list[str], site_url: str, helpers: list[Contact]
) -> EmailMessage:
    org = response.organisation
    name = getattr(org, "full_name", None) or org.name
    status = (
        "har påbörjat men inte skickat in"
        if response.status == ResponseStatus.DRAFT
        else "har ännu inte besvarat"
    )
    questions = "Frågor om formuläret besvaras av den nationella uppföljningen"
    if helpers:
        questions += ": " + ", ".join(f"{c.name} <{c.email}>" for c in helpers)
    body = (
        f"Hej,\n\n{name} {status} {rnd.title}.\n"
        f"Sista svarsdag är {period_label(rnd.deadline, 'sv')}.\n\n"
        f"Logga in och svara i ert formulär:\n{form_url(rnd, response, site_url)}\n\n"
        f"{questions}.\n"
    )
    return EmailMessage(
        subject=f"Påminnelse: {rnd.title}", body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )


@dataclass
class ReminderPlan:
    """Who a reminder would go to, and the message each would get, before anything is sent."""

    messages: list[tuple[Response, EmailMessage]] = field(default_factory=list)
    no_contact: list[Response] = field(default_factory=list)

    @property
    def recipients(self) -> int:
        return sum(len(m.to) for _, m in self.messages)


def plan_reminders(rnd: Round, site_url: str = "http://127.0.0.1:8000") -> ReminderPlan:
    """The reminder to every organisation that has not submitted: its message, or that it
    has no e-mail address. Nothing is sent."""
    plan = ReminderPlan()
    pending = list(
        rnd.responses.exclude(status=ResponseStatus.SUBMITTED).select_related(
            "region", "municipality"
        )
    )
    addresses = contacts_by_org(pending)
    helpers = analyst_contacts(rnd)
    for response in pending:
        to = addresses.get(response.org_code, [])
        if not to:
            plan.no_contact.append(response)
            continue
        plan.messages.append((response, _message(rnd, response, to, site_url, helpers)))
    return plan


def send_reminders(
    rnd: Round, *, user=None, actor: str = "", site_url: str = "http://127.0.0.1:8000"
) -> ReminderReport:
    """E-mail every non-submitted organisation's contacts once, and record it."""
    report = ReminderReport()
    plan = plan_reminders(rnd, site_url)
    messages = plan.messages
    report.no_contact = [r.org_code for r in plan.no_contact]
    connection = get_connection()
    for response, message in messages:
        try:
            connection.send_messages([message])
        except (OSError, SMTPException) as exc:  # mail server trouble: report, carry on
            report.failed.append(f"{response.org_code}: {exc}")
            continue
        report.sent.append(response.org_code)
    with transaction.atomic():
        Response.objects.filter(
            round=rnd, pk__in=[r.pk for r, _ in messages if r.org_code in report.sent]
        ).update(last_reminded_at=timezone.now())
        audit.record(
            AuditAction.REMIND,
            rnd,
            user=user,
            actor=actor,
            note=f"e-post till {len(report.sent)} organisationer; "
            f"{len(report.no_contact)} utan e-postadress; "
            f"{len(report.failed)} misslyckades",
        )
    return report


def notify_query(query, link: str) -> int:
    """E-mail the organisation's contacts that an analyst has a question; returns how many."""
    to = contacts(query.response)
    if not to:
        return 0
    body = (
        f"Hej,\n\nDen nationella uppföljningen har en fråga om ert svar på "
        f"{query.response.round.title} ({query.response.round.form.label(query.item_id)}):"
        f"\n\n{query.text}\n\n"
        f"Svara här: {link}\n"
    )
    try:
        EmailMessage(
            subject=f"Fråga om ert svar: {query.response.round.title}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to,
        ).send()
    except (OSError, SMTPException):
        return 0
    return len(to)

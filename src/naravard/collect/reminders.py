"""E-mail reminders to the organisations that have not submitted."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from naravard.collect import audit
from naravard.collect.models import AuditAction, Response, ResponseStatus, Round


@dataclass
class ReminderReport:
    sent: list[str] = field(default_factory=list)  # organisation codes e-mailed
    no_contact: list[str] = field(default_factory=list)  # codes without any e-mail address


def contacts(response: Response) -> list[str]:
    org = response.organisation
    return sorted({u.email for u in org.users.filter(is_active=True) if u.email})


def _message(rnd: Round, response: Response, to: list[str], site_url: str) -> EmailMessage:
    org = response.organisation
    name = getattr(org, "full_name", None) or org.name
    status = ("har påbörjat men inte skickat in" if response.status == ResponseStatus.DRAFT
              else "har ännu inte besvarat")
    body = (
        f"Hej,\n\n{name} {status} {rnd.title}.\n"
        f"Sista svarsdag är {rnd.deadline.isoformat()}.\n\n"
        f"Logga in och svara på {site_url.rstrip('/')}/insamling/\n\n"
        "Frågor om enkäten besvaras av den nationella uppföljningen.\n"
    )
    return EmailMessage(subject=f"Påminnelse: {rnd.title}", body=body,
                        from_email=settings.DEFAULT_FROM_EMAIL, to=to)


def send_reminders(rnd: Round, *, user=None, actor: str = "",
                   site_url: str = "http://127.0.0.1:8000") -> ReminderReport:
    """E-mail every non-submitted organisation's contacts once, and record it."""
    report = ReminderReport()
    messages = []
    pending = list(rnd.responses.exclude(status=ResponseStatus.SUBMITTED)
                   .select_related("region", "municipality"))
    for response in pending:
        to = contacts(response)
        if not to:
            report.no_contact.append(response.org_code)
            continue
        messages.append((response, _message(rnd, response, to, site_url)))
    with transaction.atomic():
        connection = get_connection()
        connection.send_messages([m for _, m in messages])
        now = timezone.now()
        Response.objects.filter(pk__in=[r.pk for r, _ in messages]).update(last_reminded_at=now)
        report.sent = [r.org_code for r, _ in messages]
        audit.record(AuditAction.REMIND, rnd, user=user, actor=actor,
                     note=f"{len(report.sent)} organisations e-mailed; "
                          f"{len(report.no_contact)} without an e-mail address")
    return report

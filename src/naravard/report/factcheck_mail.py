"""The fact-check's e-mail to the regions' coordinators: a letter when it opens, with the link
to the region's own profile and the deadline, and a reminder some days before the deadline to
the regions that have not answered. Each goes to a region once per fact-check (FactCheckMail).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from naravard.accounts.models import Role, User
from naravard.core.dates import period_label
from naravard.refdata.models import Region
from naravard.report import factcheck
from naravard.report.models import FactCheck, FactCheckMail, FollowUp, MailKind

REMIND_DAYS = 3  # reminders go out this many days before the deadline, by default


@dataclass
class Sent:
    """What a mailing did, by region code."""

    sent: list[str] = field(default_factory=list)
    no_contact: list[str] = field(default_factory=list)  # no coordinator with an address
    already: list[str] = field(default_factory=list)  # this letter went to them before
    failed: list[str] = field(default_factory=list)  # "code: reason"


def coordinators(regions: list[Region]) -> dict[str, list[str]]:
    """The addresses of each region's active coordinators."""
    found: dict[str, set[str]] = {}
    users = (
        User.objects.filter(
            role=Role.REGION_COORDINATOR,
            region_id__in=[r.code for r in regions],
            is_active=True,
        )
        .exclude(email="")
        .values_list("region_id", "email")
    )
    for code, email in users:
        found.setdefault(code, set()).add(email)
    return {code: sorted(emails) for code, emails in found.items()}


def region_url(followup: FollowUp, region: Region, site_url: str) -> str:
    """The absolute address of the region's fact-check page (the Swedish pages)."""
    with translation.override("sv"):
        path = reverse("report:factcheck-region", args=[followup.name, region.code])
    return site_url.rstrip("/") + path


def _opened(check: FactCheck, region: Region, to: list[str], site_url: str) -> EmailMessage:
    followup = check.followup
    body = (
        f"Hej,\n\nFaktagranskningen av {followup.title_sv} har öppnat. "
        f"Läs utkastet till profilen för {region.name} och lämna era synpunkter: kommentera, "
        "föreslå rättade värden eller en ändrad text, eller godkänn profilen.\n\n"
        f"Sista dag för synpunkter är {period_label(check.deadline, 'sv')}.\n\n"
        f"Logga in här:\n{region_url(followup, region, site_url)}\n"
    )
    return EmailMessage(
        subject=f"Faktagranskning: {followup.title_sv}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


def _reminder(check: FactCheck, region: Region, to: list[str], site_url: str) -> EmailMessage:
    followup = check.followup
    body = (
        f"Hej,\n\n{region.name} har ännu inte lämnat några synpunkter på sin profil i "
        f"{followup.title_sv}. Sista dag är {period_label(check.deadline, 'sv')}.\n\n"
        "Godkänn profilen eller lämna synpunkter här:\n"
        f"{region_url(followup, region, site_url)}\n"
    )
    return EmailMessage(
        subject=f"Påminnelse: faktagranskning av {followup.title_sv}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


def _send(check: FactCheck, regions: list[Region], kind: str, site_url: str) -> Sent:
    """Send the letter of ``kind`` to each region that has not had it, and record it."""
    out = Sent()
    letter = _opened if kind == MailKind.OPENED else _reminder
    done = set(check.mails.filter(kind=kind).values_list("region_id", flat=True))
    addresses = coordinators(regions)
    connection = get_connection()
    for region in regions:
        if region.code in done:
            out.already.append(region.code)
            continue
        to = addresses.get(region.code, [])
        if not to:
            out.no_contact.append(region.code)
            continue
        try:
            # recorded first, so that two runs at once cannot both send
            with transaction.atomic():
                FactCheckMail.objects.create(
                    factcheck=check, region=region, kind=kind, recipients="\n".join(to)
                )
                connection.send_messages([letter(check, region, to, site_url)])
        except IntegrityError:
            out.already.append(region.code)
        except (OSError, SMTPException) as exc:  # mail server trouble: say so, carry on
            out.failed.append(f"{region.code}: {exc}")
        else:
            out.sent.append(region.code)
    return out


def send_opened(followup: FollowUp, site_url: str) -> Sent:
    """The letter that the fact-check has opened, to every region's coordinators."""
    check = factcheck.open_check(followup)
    return _send(check, list(Region.objects.order_by("code")), MailKind.OPENED, site_url)


def reminders_from(check: FactCheck, days: int = REMIND_DAYS) -> dt.date:
    """The first day reminders go out: ``days`` before the deadline."""
    return check.deadline - dt.timedelta(days=days)


def send_reminders(
    followup: FollowUp, site_url: str, days: int = REMIND_DAYS, today: dt.date | None = None
) -> Sent | None:
    """Remind the regions that have not answered, once, from ``days`` before the deadline;
    None while it is earlier than that (nothing sent)."""
    check = factcheck.open_check(followup)
    today = today or timezone.localdate()
    if today < reminders_from(check, days):
        return None
    return _send(check, factcheck.answers(followup).silent, MailKind.REMINDER, site_url)

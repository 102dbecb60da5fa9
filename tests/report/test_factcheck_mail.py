"""The fact-check's e-mail: a letter to each region's coordinators when it opens, and a
reminder before the deadline to the regions that have not answered, once per region."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from naravard.core.dates import period_label
from naravard.refdata.models import Region
from naravard.report import factcheck, factcheck_mail
from naravard.report.models import FactCheckMail, MailKind

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + dt.timedelta(days=14)


@pytest.fixture
def coordinators(make_user):
    """Blekinge with two coordinators, Skåne with one; others of no use to the letters: one
    without an address, one inactive, an analyst and a municipality's respondent."""
    make_user("blek", "region_coordinator", "10", email="blek@example.org")
    make_user("blek2", "region_coordinator", "10", email="blek2@example.org")
    make_user("skane", "region_coordinator", "12", email="skane@example.org")
    make_user("utan", "region_coordinator", "13")
    gone = make_user("gone", "region_coordinator", "14", email="gone@example.org")
    gone.is_active = False
    gone.save()
    make_user("kommun", "municipality_respondent", "1080", email="kommun@example.org")
    return make_user("ana", "analyst", email="ana@example.org")


def test_opening_the_fact_check_mails_each_regions_coordinators(followup, coordinators, client):
    client.force_login(coordinators)
    page = client.post(
        "/rapporter/2020/faktagranskning/", {"deadline": SOON.isoformat()}, follow=True
    )
    assert "E-post gick till samordnarna i 2 regioner; 19 regioner saknar" in page.content.decode()
    assert sorted(m.to for m in mail.outbox) == [
        ["blek2@example.org", "blek@example.org"],
        ["skane@example.org"],
    ]
    blekinge = next(m for m in mail.outbox if "blek@example.org" in m.to)
    assert blekinge.subject == f"Faktagranskning: {followup.title_sv}"
    assert "http://testserver/rapporter/2020/faktagranskning/10/" in blekinge.body
    assert f"Sista dag för synpunkter är {period_label(SOON, 'sv')}." in blekinge.body
    assert "profilen för Region Blekinge" in blekinge.body
    assert set(FactCheckMail.objects.values_list("region_id", "kind")) == {
        ("10", MailKind.OPENED),
        ("12", MailKind.OPENED),
    }
    # sent once: a second call finds them done
    again = factcheck_mail.send_opened(followup, "http://testserver/")
    assert again.sent == [] and again.already == ["10", "12"] and len(mail.outbox) == 2


def test_reminders_go_to_the_silent_regions_once_from_days_before_the_deadline(
    opened, coordinators, cli
):
    quiet = cli("report", "remind", "--round", "2020", "--site-url", "https://naravard.example")
    assert quiet.returncode == 0
    start = (SOON - dt.timedelta(days=3)).isoformat()
    assert f"Nothing sent: reminders for 2020 go out from {start}." in quiet.stdout
    assert mail.outbox == []
    factcheck.approve(opened, Region.objects.get(code="12"), actor="skane")  # Skåne answered
    sent = cli(
        "report", "remind", "--round", "2020", "--days", "14", "--site-url", "https://nv.example"
    )
    assert sent.returncode == 0, sent.stderr
    assert "Reminded 1 regions: 10;" in sent.stdout
    [letter] = mail.outbox
    assert letter.to == ["blek2@example.org", "blek@example.org"]
    assert letter.subject == f"Påminnelse: faktagranskning av {opened.title_sv}"
    assert "Region Blekinge har ännu inte lämnat några synpunkter" in letter.body
    assert f"Sista dag är {period_label(SOON, 'sv')}." in letter.body
    assert "https://nv.example/rapporter/2020/faktagranskning/10/" in letter.body
    twice = cli("report", "remind", "--round", "2020", "--days", "14")
    assert "Reminded 0 regions: -; 1 reminded before;" in twice.stdout
    assert len(mail.outbox) == 1
    assert FactCheckMail.objects.filter(kind=MailKind.REMINDER).count() == 1
    factcheck.close_factcheck(opened, actor="ana")
    closed = cli("report", "remind", "--round", "2020", "--days", "14")
    assert closed.returncode == 1 and "is closed" in closed.stderr
    unknown = cli("report", "remind", "--round", "1999")
    assert unknown.returncode == 1 and "no follow-up '1999'" in unknown.stderr

"""The report is not published while its fact-check is open, regions have not answered or
feedback is undecided, unless the analyst gives a reason, which is logged and printed in the
method section."""

import datetime as dt

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from naravard.cli import app
from naravard.refdata.models import Region
from naravard.report import factcheck
from naravard.report.build import PublicationRefused, publish
from naravard.report.models import PublishedReport, ReportEvent, ReportEventKind

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + dt.timedelta(days=14)


def method_text(published) -> str:
    return published.html.split('id="metod"', 1)[1].split("</section>", 1)[0]


def test_no_publication_without_a_fact_check_or_while_it_is_open(followup):
    with pytest.raises(PublicationRefused, match="ingen faktagranskning har hållits"):
        publish("2020", "sv", actor="test")
    factcheck.open_factcheck(followup, SOON, actor="analytiker")
    with pytest.raises(PublicationRefused) as refused:
        publish("2020", "sv", actor="test", override="   ")
    assert refused.value.blockers[0].startswith("faktagranskningen är öppen till och med")
    assert "21 regioner har inte svarat (Region Stockholm, Region Uppsala" in str(refused.value)
    assert not PublishedReport.objects.exists()


def test_silent_regions_and_undecided_feedback_hold_it_after_the_deadline(opened):
    for region in Region.objects.exclude(code__in=["09", "10"]):
        factcheck.approve(opened, region, actor="x")
    factcheck.comment(opened, Region.objects.get(code="10"), "", "En fråga.", actor="region-10")
    factcheck.close_factcheck(opened, actor="analytiker")
    assert factcheck.publication_blockers(opened) == [
        "1 region har inte svarat (Region Gotland)",
        "1 synpunkt är inte beslutad",
    ]


def test_an_override_is_logged_and_printed_in_the_method_section(opened):
    factcheck.approve(opened, Region.objects.get(code="03"), actor="region-03")
    published = publish("2020", "sv", actor="ana (web)", override="Regeringen behöver siffrorna.")
    assert published.override_reason == "Regeringen behöver siffrorna."
    event = ReportEvent.objects.get(kind=ReportEventKind.OVERRIDE)
    assert event.actor == "ana (web)" and "Regeringen behöver siffrorna." in event.note
    event.note = "ändrad i efterhand"
    with pytest.raises(PermissionError):
        event.save()  # the log is append-only
    with pytest.raises(PermissionError):
        event.delete()
    method = method_text(published)
    assert "Godkänt sin profil: Region Uppsala." in method
    assert "Inte svarat: Region Stockholm, Region Sörmland" in method
    assert "Rapporten publicerades trots att faktagranskningen pågick till och med" in method
    assert "och 20 regioner inte hade svarat. Skäl:" in method
    assert "Skäl: Regeringen behöver siffrorna." in method


def test_a_finished_fact_check_publishes_without_a_reason(opened):
    regions = list(Region.objects.order_by("code"))
    for region in regions:
        factcheck.approve(opened, region, actor="x")
    factcheck.close_factcheck(opened, actor="analytiker")
    published = publish("2020", "sv", actor="test", override="ignored: nothing to override")
    assert published.override_reason == ""
    method = method_text(published)
    assert "Godkänt sin profil: " + ", ".join(r.name for r in regions) + "." in method
    assert "publicerades trots" not in method and "Inte svarat" not in method
    assert ReportEvent.objects.filter(kind=ReportEventKind.PUBLISHED).count() == 1


def test_the_command_line_refuses_and_names_the_override(opened):
    result = CliRunner().invoke(app, ["report", "publish", "--round", "2020", "--lang", "sv"])
    assert result.exit_code == 1
    assert "the fact-check is open until" in result.output and "--override" in result.output
    assert not PublishedReport.objects.exists()
    done = CliRunner().invoke(
        app, ["report", "publish", "--round", "2020", "--lang", "sv", "--override", "Brådskande."]
    )
    assert done.exit_code == 0, done.output
    note = ReportEvent.objects.get(kind=ReportEventKind.OVERRIDE).note
    assert note.startswith("sv: faktagranskningen är öppen till och med")  # the log is Swedish
    assert note.endswith("Skäl: Brådskande.")


def test_the_analyst_publishes_on_the_web_only_with_a_reason(opened, make_user, client):
    client.force_login(make_user("ana", "analyst"))
    page = client.get("/rapporter/2020/faktagranskning/").content.decode()
    assert "Rapporten bör inte publiceras ännu:" in page and "Publicera ändå" in page
    refused = client.post("/rapporter/2020/publicera/", {"override": ""}, follow=True)
    assert "Rapporten publicerades inte: faktagranskningen är öppen" in refused.content.decode()
    assert not PublishedReport.objects.exists()
    client.post("/rapporter/2020/publicera/", {"override": "Beslut av generaldirektören."})
    assert sorted(PublishedReport.objects.values_list("lang", flat=True)) == ["en", "sv"]
    log = client.get("/rapporter/2020/faktagranskning/").content.decode()
    assert "Beslut av generaldirektören." in log
    coordinator = make_user("blek", "region_coordinator", "10")
    client.force_login(coordinator)
    assert client.post("/rapporter/2020/publicera/", {"override": "x"}).status_code == 403

"""What people read is Swedish and has no command-line hints: notes and reasons recorded by the
system, the demo's release note, the public pages."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from naravard.collect import services
from naravard.collect.audit import actor_name
from naravard.core.dates import period_label

pytestmark = pytest.mark.django_db

CLI_HINT = re.compile(
    r"naravard (refdata|data|publish|report|rounds|responses|forms|manage|"
    r"migrate|createuser|compute|synth|coding|indicators|tokens)\b"
)


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def test_the_audit_trail_reads_in_swedish(client, make_user):
    rnd = services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=1), actor=actor_name(via="cli")
    )
    client.force_login(make_user("ana", "analyst"))
    upload = SimpleUploadedFile("svar.csv", b"org,2\n0180,ja\n", "text/csv")
    client.post(f"/insamling/omgang/{rnd.pk}/ladda-upp/", {"fil": upload})
    client.post(
        f"/insamling/omgang/{rnd.pk}/svar/0180/fraga/", {"item_id": "2", "text": "Stämmer det?"}
    )
    services.lock_due_rounds(now=rnd.closes_at + dt.timedelta(hours=1))
    text = page_text(client.get(f"/insamling/omgang/{rnd.pk}/logg/"))
    assert "(kommandoraden)" in text
    assert "ana (webb), fil svar.csv" in text
    assert "fråga ställd: Stämmer det?" in text  # no internal query number
    assert f"sista svarsdag {period_label(rnd.deadline, 'sv')} passerad" in text
    assert "avser " in text and "organisationer" in text  # the opening
    for english in (
        "command line",
        "(web)",
        " file ",
        "raised",
        "passed",
        "recorded",
        "organisations",
        "deadline",
    ):
        assert english not in text, english


def test_the_demos_release_note_is_swedish(client):
    from naravard.demo.indicators import build_all

    build_all()
    text = page_text(client.get("/statistik/named_doctor_share/"))
    assert "(demons årliga publicering)" in text
    assert "annual release" not in text and "demo data" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/regioner/",
        "/region/01/",
        "/kommun/0180/",
        "/en/kommun/0180/",
        "/rapporter/",
        "/jamfor/",
    ],
)
def test_public_pages_give_no_command_line_hints(client, path):
    page = client.get(path)
    assert page.status_code == 200
    assert not CLI_HINT.search(page_text(page)), CLI_HINT.search(page_text(page))


def test_a_single_population_year_is_stated_without_a_command(client):
    text = page_text(client.get("/kommun/0180/"))
    assert "Folkmängd finns hittills bara för 2019." in text
    assert "import-population" not in text

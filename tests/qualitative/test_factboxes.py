"""Quotable passages ("citat") and fact boxes ("Exempel: …") on the coding pages: what is
stored, what the pages show, and the checks at the field with their Swedish messages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from naravard.collect import services
from naravard.qualitative import coding, texts
from naravard.qualitative.models import FACTBOX_TEXT_MAX, FactBox, Passage, TextKind
from naravard.refdata.models import Municipality
from tests.qualitative.test_coding import status_answers, submit

CHANGES = "Regionen har startat hemsjukvårdsteam i två kommuner som ett försök."


@pytest.fixture
def analysts(make_user):
    return make_user("analys-a", "analyst"), make_user("analys-b", "analyst")


@pytest.fixture
def analyst_client(client, analysts):
    client.force_login(analysts[0])
    return client


@pytest.fixture
def text_25(status_round):
    submit(status_round, "25", status_answers())
    return status_round.texts.get(region="25", item_id="forandringar.beskrivning")


@pytest.fixture
def passage(text_25, analysts):
    start = text_25.body.index("Regionen har startat")
    end = text_25.body.index("försök.") + len("försök.")
    return coding.code_passage(text_25, start, end, ["mobila_team"], "pilot", coder=analysts[0])


@pytest.fixture
def other_round(db):
    """A round of the municipal survey with one municipality's comment."""
    rnd = services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=30), actor="test"
    )
    texts.add_text(
        kind=TextKind.SURVEY_COMMENT,
        title="Kiruna: kommentar",
        body="Vi har mobila team tillsammans med regionen.",
        municipality=Municipality.objects.get(code="2584"),
        rnd=rnd,
    )
    return rnd


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="id_{field}-fel" role="alert">(.*?)</p>', html, re.S)
    return found.group(1) if found else ""


# ---------------------------------------------------------------- quotable ---


def test_a_passage_coded_as_quotable_is_stored_so(text_25, analysts):
    p = coding.code_passage(text_25, 0, 10, ["mobila_team"], coder=analysts[0], quotable=True)
    assert Passage.objects.get(pk=p.pk).quotable
    assert not coding.code_passage(text_25, 0, 10, ["samverkan"], coder=analysts[1]).quotable


def test_marking_a_span_quotable_marks_every_analysts_coding_of_it(passage, analysts):
    other = coding.code_passage(
        passage.text, passage.start, passage.end, ["samverkan"], coder=analysts[1]
    )
    elsewhere = coding.code_passage(passage.text, 0, 5, ["samverkan"], coder=analysts[1])
    assert coding.mark_quotable(passage, True) == 2
    assert set(Passage.objects.filter(quotable=True).values_list("pk", flat=True)) == {
        passage.pk,
        other.pk,
    }
    assert not Passage.objects.get(pk=elsewhere.pk).quotable
    coding.mark_quotable(other, False)
    assert not Passage.objects.filter(quotable=True).exists()


def test_marking_a_passage_as_quote_on_the_text_page(analyst_client, passage):
    url = reverse("qualitative:text", args=[passage.text_id])
    page = analyst_client.get(url).content.decode()
    row = re.search(rf'<tr id="passage-{passage.pk}">.*?</tr>', page, re.S).group(0)
    assert "Markera som citat" in row and "Nej" in row
    # the button names the passage it acts on, for a screen reader
    assert f'aria-describedby="passage-{passage.pk}-q"' in row
    assert f'<td id="passage-{passage.pk}-q">' in row
    reply = analyst_client.post(
        reverse("qualitative:quotable", args=[passage.pk]), {"quotable": "1"}
    )
    assert reply.status_code == 302 and reply.url == f"{url}#passage-{passage.pk}"
    assert Passage.objects.get(pk=passage.pk).quotable
    page = analyst_client.get(url).content.decode()
    row = re.search(rf'<tr id="passage-{passage.pk}">.*?</tr>', page, re.S).group(0)
    assert "Ta bort som citat" in row and "<strong>Ja</strong>" in row
    theme = analyst_client.get(reverse("qualitative:theme", args=["mobila_team"])).content.decode()
    assert f'<li id="citat-{passage.pk}" class="quotable">' in theme
    assert "Citat i rapporten" in theme
    analyst_client.post(reverse("qualitative:quotable", args=[passage.pk]), {"quotable": "0"})
    assert not Passage.objects.get(pk=passage.pk).quotable


def test_the_coding_form_can_mark_the_new_passage_as_quote(analyst_client, text_25):
    url = reverse("qualitative:text", args=[text_25.pk])
    page = analyst_client.get(url).content.decode()
    assert '<label for="id_quotable">Citat: rapporten får citera passagen</label>' in page
    reply = analyst_client.post(url, {"first": "0", "themes": ["mobila_team"], "quotable": "on"})
    assert reply.status_code == 302
    assert Passage.objects.get().quotable


def test_a_quote_choice_that_cannot_be_read_changes_nothing(analyst_client, passage):
    reply = analyst_client.post(
        reverse("qualitative:quotable", args=[passage.pk]), {"quotable": "x"}
    )
    assert reply.status_code == 302
    assert not Passage.objects.get(pk=passage.pk).quotable
    assert analyst_client.get(reverse("qualitative:quotable", args=[passage.pk])).status_code == 405


# -------------------------------------------------------------- fact boxes ---


def _box(passage, author, **kw) -> FactBox:
    fields = {
        "theme": "mobila_team",
        "round": passage.text.round,
        "passage": passage,
        "title": "Team i två kommuner",
        "text": "Första stycket.\n\nAndra stycket.",
        "author": author,
    }
    return FactBox(**(fields | kw))


def test_a_fact_box_keeps_plain_paragraphs(passage, analysts):
    box = _box(passage, analysts[0], text="  Ett stycke\nsom fortsätter.\n\n\n\nEtt till.  ")
    box.full_clean()
    box.save()
    assert box.text == "Ett stycke som fortsätter.\n\nEtt till."
    assert box.paragraphs == ["Ett stycke som fortsätter.", "Ett till."]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"text": " \n\n "}, "text", "Skriv faktarutans text."),
        ({"text": "x" * (FACTBOX_TEXT_MAX + 1)}, "text", "högst 1500 tecken; den har 1501"),
        ({"title": "  "}, "title", "Skriv en rubrik."),
        ({"theme": "samverkan"}, "passage", "inte kodad med temat Samverkan"),
        ({"theme": "inget_tema"}, "theme", "Kodramen har inget tema inget_tema."),
    ],
)
def test_a_fact_box_that_does_not_hold_is_refused_at_its_field(
    passage, analysts, change, field, message
):
    with translation.override("sv"), pytest.raises(ValidationError) as err:
        _box(passage, analysts[0], **change).full_clean()
    assert field in err.value.message_dict
    assert message in " ".join(err.value.message_dict[field])


def test_a_fact_box_on_a_passage_of_another_round_is_refused(passage, analysts, other_round):
    with translation.override("sv"), pytest.raises(ValidationError) as err:
        _box(passage, analysts[0], round=other_round).full_clean()
    assert err.value.message_dict == {
        "passage": [
            f"Passagen kommer från en annan omgång ({passage.text.round.title}) "
            f"än faktarutan ({other_round.title})."
        ]
    }


def test_writing_changing_and_removing_a_fact_box_on_the_pages(
    analyst_client, client, passage, analysts
):
    theme_url = reverse("qualitative:theme", args=["mobila_team"])
    theme = analyst_client.get(theme_url).content.decode()
    new = reverse("qualitative:factbox-new", args=["mobila_team"])
    assert f'href="{new}?passage={passage.pk}"' in theme  # beside each quote
    form = analyst_client.get(f"{new}?passage={passage.pk}").content.decode()
    assert f'<option value="{passage.pk}" selected>' in form
    assert '<label for="id_text">Text</label>' in form
    assert 'aria-describedby="id_text_helptext"' in form  # the hint read with the field
    reply = analyst_client.post(
        new,
        {
            "round": passage.text.round_id,
            "passage": passage.pk,
            "title": "Team i två kommuner",
            "text": "Regionen prövar team.\n\nFörsöket följs upp.",
        },
    )
    box = FactBox.objects.get()
    assert reply.status_code == 302 and reply.url == f"{theme_url}#faktaruta-{box.pk}"
    assert (box.author, box.theme, box.edited_by) == (analysts[0], "mobila_team", None)
    assert box.created_at is not None
    theme = analyst_client.get(theme_url).content.decode()
    aside = re.search(rf'<aside class="factbox" id="faktaruta-{box.pk}".*?</aside>', theme, re.S)
    assert "Exempel: Team i två kommuner" in aside.group(0)
    assert "<p>Regionen prövar team.</p>" in aside.group(0)
    assert "<p>Försöket följs upp.</p>" in aside.group(0)

    client.force_login(analysts[1])  # a colleague changes it
    edit = reverse("qualitative:factbox", args=[box.pk])
    reply = client.post(
        edit,
        {
            "round": passage.text.round_id,
            "passage": passage.pk,
            "title": "Mobila team i två kommuner",
            "text": "Ny text.",
        },
    )
    assert reply.status_code == 302
    box.refresh_from_db()
    assert (box.title, box.text, box.author, box.edited_by) == (
        "Mobila team i två kommuner",
        "Ny text.",
        analysts[0],
        analysts[1],
    )
    with translation.override("sv"):
        refused = coding.CodingError
        with pytest.raises(refused, match="faktaruta"):
            coding.remove_passage(passage, user=analysts[0])  # the fact box builds on it
    assert client.get(reverse("qualitative:factbox-delete", args=[box.pk])).status_code == 405
    reply = client.post(reverse("qualitative:factbox-delete", args=[box.pk]))
    assert reply.status_code == 302 and not FactBox.objects.exists()


def test_the_fact_box_page_says_what_is_wrong_at_the_field(analyst_client, passage, other_round):
    new = reverse("qualitative:factbox-new", args=["mobila_team"])
    reply = analyst_client.post(
        new,
        {"round": other_round.pk, "passage": passage.pk, "title": "Team", "text": "   "},
    )
    assert reply.status_code == 400
    html = reply.content.decode()
    assert _field_error(html, "text") == "Skriv faktarutans text."
    assert 'aria-invalid="true"' in html
    reply = analyst_client.post(
        new,
        {"round": other_round.pk, "passage": passage.pk, "title": "Team", "text": "En text."},
    )
    assert reply.status_code == 400
    assert "annan omgång" in _field_error(reply.content.decode(), "passage")
    reply = analyst_client.post(
        new,
        {
            "round": passage.text.round_id,
            "passage": passage.pk,
            "title": "Team",
            "text": "y" * (FACTBOX_TEXT_MAX + 1),
        },
    )
    assert reply.status_code == 400
    assert _field_error(reply.content.decode(), "text") == (
        "Texten får vara högst 1500 tecken; den har 1501."
    )
    assert not FactBox.objects.exists()


def test_fact_box_pages_for_analysts_only(client, make_user, passage):
    url = reverse("qualitative:factbox-new", args=["mobila_team"])
    assert client.get(url).status_code == 302
    client.force_login(make_user("samordnare-25", "region_coordinator", "25"))
    assert client.get(url).status_code == 403
    assert (
        client.post(reverse("qualitative:quotable", args=[passage.pk]), {"quotable": "1"})
    ).status_code == 403
    assert not Passage.objects.get(pk=passage.pk).quotable
    client.force_login(make_user("analys-c", "analyst"))
    assert client.get(reverse("qualitative:factbox-new", args=["inget"])).status_code == 404

"""Regions fact-check their profile's analyst text: a proposed text, shown to the analyst as
the change against the current text, accepted as a new version or rejected with a reason."""

import datetime as dt

import pytest
from django.utils import timezone

from naravard.refdata.models import Region
from naravard.report import factcheck, texts
from naravard.report.factcheck import FactCheckError
from naravard.report.models import Feedback, FeedbackStatus, ReportEventKind

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + dt.timedelta(days=14)
WRITTEN = "Blekinge satsar på **mobila team** i hela länet."
PROPOSED = "Blekinge satsar på mobila team och digitala besök i hela länet.\n"


@pytest.fixture
def written(followup):
    """The 2020 follow-up with Blekinge's profile text written, then its fact-check open."""
    texts.save(followup, "profil-10", "sv", WRITTEN, "analytiker")
    factcheck.open_factcheck(followup, SOON, actor="analytiker")
    return followup


def test_a_proposed_text_accepted_becomes_the_profiles_next_version(written):
    blekinge = Region.objects.get(code="10")
    draft = factcheck.latest_draft(written)
    shown = {p.key: p.text for p in draft.part("10")}
    assert shown[factcheck.ANALYST_TEXT] == "Blekinge satsar på mobila team i hela länet."
    assert draft.part("10")[1].key == factcheck.ANALYST_TEXT  # after the generated opening
    factcheck.approve(written, blekinge, actor="blek")
    for text, lang, field in (
        ("  ", "sv", "proposed_text"),
        (WRITTEN, "sv", "proposed_text"),  # the same as now
        ("x", "de", "lang"),
    ):
        with pytest.raises(FactCheckError) as refused:
            factcheck.propose_text(written, blekinge, lang, text, actor="blek")
        assert refused.value.field == field
    proposal = factcheck.propose_text(
        written, blekinge, "sv", PROPOSED, actor="blek", reason="Digitala besök saknas."
    )
    assert (proposal.kind, proposal.base_version, proposal.draft) == ("text", 1, draft)
    current = texts.text_of(written, "profil-10", "sv")
    assert factcheck.text_diff(current, proposal.proposed_text) == [
        ("same", "Blekinge satsar på "),
        ("del", "**mobila team** "),
        ("ins", "mobila team och digitala besök "),
        ("same", "i hela länet.\n"),
    ]
    new = factcheck.decide(proposal, True, actor="anna", note="Bra.")
    latest = texts.history(written, "profil-10", "sv")[0]
    assert (latest.version, latest.author, latest.text) == (2, "anna", PROPOSED)
    event = written.events.filter(kind=ReportEventKind.PROFILE_TEXT).get()
    assert event.actor == "anna"
    assert f"profil-10.sv version 2 efter förslag {proposal.pk} från 10 (blek)" in event.note
    assert new is not None and new.version == 2
    assert {p.key: p.text for p in new.part("10")}[factcheck.ANALYST_TEXT] == PROPOSED.strip()
    # the region approved the text before the change: its approval is of an older version
    assert blekinge in factcheck.answers(written).approved_earlier
    with pytest.raises(FactCheckError, match="redan godtagen"):
        factcheck.decide(proposal, False, actor="anna", note="ångrar")


def test_a_rejection_needs_a_reason_and_leaves_the_text(written):
    blekinge = Region.objects.get(code="10")
    proposal = factcheck.propose_text(written, blekinge, "sv", PROPOSED, actor="blek")
    with pytest.raises(FactCheckError, match="varför") as refused:
        factcheck.decide(proposal, False, actor="anna", note=" ")
    assert refused.value.field == "note"
    assert factcheck.decide(proposal, False, actor="anna", note="Stämmer inte.") is None
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_note) == (FeedbackStatus.REJECTED, "Stämmer inte.")
    assert texts.text_of(written, "profil-10", "sv").strip() == WRITTEN
    assert factcheck.latest_draft(written).version == 1


@pytest.fixture
def people(make_user):
    return {
        "analyst": make_user("ana", "analyst"),
        "blekinge": make_user("blek", "region_coordinator", "10"),
        "skane": make_user("skane", "region_coordinator", "12"),
    }


def test_the_pages_of_a_text_proposal(written, people, client):
    page = "/rapporter/2020/faktagranskning/10/text/"
    client.force_login(people["skane"])
    assert client.get(page).status_code == 403  # only Blekinge proposes Blekinge's text
    assert client.post(page, {"lang": "sv", "proposed_text": "x"}).status_code == 403
    client.force_login(people["blekinge"])
    region_page = client.get("/rapporter/2020/faktagranskning/10/").content.decode()
    assert page in region_page
    shown = client.get(page)
    assert shown.status_code == 200
    assert "Blekinge satsar på **mobila team** i hela länet." in shown.content.decode()  # to edit
    empty = client.post(page, {"lang": "sv", "proposed_text": ""})
    assert empty.status_code == 400
    assert 'id="id_proposed_text-error">Skriv den text du föreslår.' in empty.content.decode()
    same = client.post(page, {"lang": "sv", "proposed_text": WRITTEN})
    assert "Texten är densamma som profilens nuvarande text." in same.content.decode()
    sent = client.post(page, {"lang": "sv", "proposed_text": PROPOSED, "reason": "Saknas."})
    assert sent.status_code == 302
    proposal = Feedback.objects.get(kind="text")
    assert proposal.created_by.startswith("blek") and proposal.text == "Saknas."
    client.force_login(people["analyst"])
    overview = client.get("/rapporter/2020/faktagranskning/").content.decode()
    assert "<del>**mobila team** </del>" in overview
    assert "<ins>mobila team och digitala besök </ins>" in overview
    assert "Godta texten" in overview
    decided = client.post(
        f"/rapporter/2020/faktagranskning/beslut/{proposal.pk}/",
        {"decision": "accept", "note": ""},
        follow=True,
    )
    assert "Regionens text är nu profilens text." in decided.content.decode()
    assert texts.text_of(written, "profil-10", "sv") == PROPOSED
    client.force_login(people["blekinge"])
    listed = client.get("/rapporter/2020/faktagranskning/10/").content.decode()
    assert "godtagen" in listed
    assert "<ins>mobila team och digitala besök </ins>" in listed  # against the text it changed

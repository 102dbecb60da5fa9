"""The fact-check round: drafts, comments, proposals, approvals, decisions, permissions."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from naravard.ingest.models import IndicatorValue
from naravard.refdata.models import Region
from naravard.report import factcheck
from naravard.report.content import build_report
from naravard.report.factcheck import FactCheckError

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + dt.timedelta(days=14)


def booking_passage(draft, code):
    return next(
        p.key
        for p in draft.part(code)
        if p.indicator == "online_booking_show" and p.key.startswith(f"profil-{code}-indikatorer/")
    )


def test_opening_makes_version_1_with_one_part_per_region(opened):
    draft = factcheck.latest_draft(opened)
    assert draft.version == 1
    assert {r.code for r in Region.objects.all()} <= set(draft.passages)
    with pytest.raises(FactCheckError, match="redan öppnad"):
        factcheck.open_factcheck(opened, SOON, actor="analytiker")


def test_a_region_comments_proposes_and_approves_its_own_passages(opened):
    draft = factcheck.latest_draft(opened)
    blekinge = Region.objects.get(code="10")
    passage = booking_passage(draft, "10")
    note = factcheck.comment(opened, blekinge, passage, "Siffran gäller mars.", actor="region-10")
    assert note.draft == draft
    with pytest.raises(FactCheckError, match="inget sådant avsnitt"):
        factcheck.comment(opened, blekinge, booking_passage(draft, "05"), "x", actor="region-10")
    with pytest.raises(FactCheckError, match="Ange varifrån"):
        factcheck.propose(
            opened,
            blekinge,
            passage,
            indicator_id="online_booking_show",
            period="2020-03",
            value=30,
            source=" ",
            actor="region-10",
        )
    with pytest.raises(FactCheckError, match="Välj en av indikatorns perioder"):
        factcheck.propose(
            opened,
            blekinge,
            passage,
            indicator_id="online_booking_show",
            period="2020",
            value=30,
            source="x",
            actor="region-10",
        )
    factcheck.approve(opened, blekinge, actor="region-10")
    assert [r.code for r in factcheck.approvals(opened)] == ["10"]


def test_an_accepted_proposal_flows_into_the_store_and_makes_a_new_draft(opened):
    draft = factcheck.latest_draft(opened)
    blekinge = Region.objects.get(code="10")
    factcheck.approve(opened, blekinge, actor="region-10")
    proposal = factcheck.propose(
        opened,
        blekinge,
        booking_passage(draft, "10"),
        indicator_id="online_booking_show",
        period="2020-03",
        value=31,
        source="Regionens vårdval, mars 2020",
        actor="region-10",
    )
    new = factcheck.decide(proposal, True, actor="analytiker", note="Stämmer med källan.")
    assert new.version == 2
    stored = IndicatorValue.objects.get(
        indicator_id="online_booking_show",
        org_code="10",
        period="2020-03",
        sex="T",
        age_band="total",
        is_current=True,
    )
    assert stored.value == 31
    assert stored.batch.file_name == f"faktagranskning-{proposal.pk}.csv"
    assert "Regionens vårdval" in stored.batch.actor
    assert factcheck.approvals(opened) == []  # Blekinge approved a profile that changed
    changes = factcheck.diff(draft, new, "10")
    assert any(line.startswith("-") and "webbtidbok" in line.lower() for line in changes)
    assert any(line.startswith("+") and "31" in line for line in changes)
    with pytest.raises(FactCheckError, match="redan godtagen"):
        factcheck.decide(proposal, False, actor="analytiker")


def test_a_rejected_proposal_changes_nothing(opened):
    draft = factcheck.latest_draft(opened)
    proposal = factcheck.propose(
        opened,
        Region.objects.get(code="10"),
        booking_passage(draft, "10"),
        indicator_id="online_booking_show",
        period="2020-03",
        value=99,
        source="x",
        actor="region-10",
    )
    before = IndicatorValue.objects.count()
    assert factcheck.decide(proposal, False, actor="analytiker", note="Källan saknar stöd.") is None
    assert IndicatorValue.objects.count() == before
    assert factcheck.latest_draft(opened).version == 1


def test_the_report_lists_the_regions_that_approved(opened):
    factcheck.approve(opened, Region.objects.get(code="03"), actor="region-03")
    factcheck.approve(opened, Region.objects.get(code="25"), actor="region-25")
    with translation.override("sv"):
        method = next(s for s in build_report(opened).sections if s.key == "metod")
    assert any(
        "Godkänt sin profil: Region Uppsala, Region Norrbotten." in p for p in method.paragraphs
    )
    assert any("Inte svarat: Region Stockholm, Region Sörmland" in p for p in method.paragraphs)


def test_nothing_after_the_deadline(opened):
    check = opened.factcheck
    check.deadline = timezone.localdate() - dt.timedelta(days=1)
    check.save()
    with pytest.raises(FactCheckError, match="stängd"):
        factcheck.approve(opened, Region.objects.get(code="03"), actor="region-03")


# ---- the web pages and who may see what --------------------------------------------------


@pytest.fixture
def people(make_user):
    return {
        "analyst": make_user("ana", "analyst"),
        "blekinge": make_user("blek", "region_coordinator", "10"),
        "skane": make_user("skane", "region_coordinator", "12"),
    }


def test_a_coordinator_sees_and_acts_for_their_own_region_only(opened, people, client):
    draft = factcheck.latest_draft(opened)
    client.force_login(people["blekinge"])
    own = client.get("/rapporter/2020/faktagranskning/10/")
    assert own.status_code == 200
    body = own.content.decode()
    assert "Region Blekinge" in body and "Region Skåne:" not in body
    passage = booking_passage(draft, "10")
    posted = client.post(
        "/rapporter/2020/faktagranskning/10/",
        {"what": "comment", "passage": passage, "text": "Hemligt för Skåne"},
    )
    assert posted.status_code == 302
    assert client.get("/rapporter/2020/faktagranskning/12/").status_code == 403
    assert (
        client.post("/rapporter/2020/faktagranskning/12/", {"what": "approve"}).status_code == 403
    )
    assert client.get("/rapporter/2020/faktagranskning/").status_code == 403  # analysts only
    assert client.get("/rapporter/2020/utkast/1/1/").status_code == 403
    client.force_login(people["skane"])
    other = client.get("/rapporter/2020/faktagranskning/12/").content.decode()
    assert "Hemligt för Skåne" not in other  # Blekinge's comment stays Blekinge's
    assert client.get("/rapporter/2020/faktagranskning/10/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(opened, client):
    response = client.get("/rapporter/2020/faktagranskning/10/")
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_the_analyst_opens_decides_and_sees_the_difference(followup, people, client):
    client.force_login(people["analyst"])
    assert 'href="/rapporter/2020/faktagranskning/"' in client.get("/rapporter/").content.decode()
    page = client.get("/rapporter/2020/faktagranskning/")
    assert "Öppna faktagranskningen" in page.content.decode()
    refused = client.post("/rapporter/2020/faktagranskning/", {"deadline": "2000-01-01"})
    assert refused.status_code == 400 and "har redan passerat" in refused.content.decode()
    client.post("/rapporter/2020/faktagranskning/", {"deadline": SOON.isoformat()})
    draft = factcheck.latest_draft(followup)
    proposal = factcheck.propose(
        followup,
        Region.objects.get(code="10"),
        booking_passage(draft, "10"),
        indicator_id="online_booking_show",
        period="2020-03",
        value=31,
        source="Regionens vårdval",
        actor="blek",
    )
    response = client.post(
        f"/rapporter/2020/faktagranskning/beslut/{proposal.pk}/",
        {"decision": "accept", "note": "ok"},
        follow=True,
    )
    assert "utkastet är nu version 2" in response.content.decode()
    diff = client.get("/rapporter/2020/utkast/1/2/?del=10").content.decode()
    assert "<del>" in diff and "<ins>" in diff and "31" in diff
    assert client.get("/rapporter/2020/utkast/1/9/").status_code == 404
    workspace_link = client.get("/konto/region/10/").content.decode()
    assert "/rapporter/2020/faktagranskning/10/" in workspace_link


def test_a_comment_an_approval_and_a_decision_with_nul_are_stored_without_it(
    opened, people, client
):
    """PostgreSQL refuses the NUL character in text: the pages clean it away (core/text.py)."""
    draft = factcheck.latest_draft(opened)
    passage = booking_passage(draft, "10")
    client.force_login(people["blekinge"])
    page = "/rapporter/2020/faktagranskning/10/"
    comment = client.post(page, {"what": "comment", "passage": passage, "text": "Mars\x00!"})
    assert comment.status_code == 302
    approval = client.post(page, {"what": "approve", "text": "Godkänd\x00 av\x07 oss"})
    assert approval.status_code == 302
    proposal = factcheck.propose(
        opened,
        Region.objects.get(code="10"),
        passage,
        indicator_id="online_booking_show",
        period="2020-03",
        value=31,
        source="Regionens vårdval",
        actor="blek",
    )
    client.force_login(people["analyst"])
    decided = client.post(
        f"/rapporter/2020/faktagranskning/beslut/{proposal.pk}/",
        {"decision": "reject", "note": "Nej\x00 tack"},
    )
    assert decided.status_code == 302
    texts = {f.kind: f for f in opened.factcheck.feedback.filter(region__code="10")}
    assert texts["comment"].text == "Mars!"
    assert texts["approval"].text == "Godkänd av oss"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_note) == ("rejected", "Nej tack")

"""A fact-check correction changes exactly the corrected cells and what depends on them: the
national value is recomputed from counts (never lost), other regions' figures and approvals
stay, and a share is corrected with its numerator and denominator."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from naravard.analysis.profile import profile
from naravard.catalog.catalogue import get_indicator
from naravard.ingest.models import IndicatorValue
from naravard.refdata.models import Region
from naravard.report import factcheck
from naravard.report.content import build_report
from naravard.report.factcheck import FactCheckError

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + dt.timedelta(days=14)
POINT = "2019-12-31"


@pytest.fixture
def opened(followup):
    """The 2020 follow-up with the named-doctor share of 2019 per region, with counts (as the
    register gives it), and its fact-check open."""
    from naravard.ingest.importer import import_file

    lines = ["org,period,numerator,denominator"]
    for n, region in enumerate(Region.objects.order_by("code")):
        listed = 2000 + 97 * n
        lines.append(f"{region.code},2019,{listed * (40 + n) // 100},{listed}")
    import_file(
        "named.csv",
        "named_doctor_share",
        data="\n".join(lines).encode(),
        name="named.csv",
        actor="test",
    )
    factcheck.open_factcheck(followup, SOON, actor="analytiker")
    return followup


def named_doctor_passage(draft, code):
    return next(
        p
        for p in draft.part(code)
        if p.indicator == "named_doctor_share" and p.key.startswith(f"profil-{code}-indikatorer/")
    )


def cells(indicator_id, period):
    return {
        (v.org_code, v.sex, v.age_band): (v.value, v.numerator, v.denominator)
        for v in IndicatorValue.objects.filter(
            indicator_id=indicator_id, period=period, is_current=True
        )
    }


def own_figures(draft, code):
    return [(p.key, p.approved_text) for p in draft.part(code)]


def test_a_share_is_corrected_with_counts_and_only_that_region_changes(opened):
    regions = list(Region.objects.order_by("code"))
    for region in regions:
        factcheck.approve(opened, region, actor=f"region-{region.code}")
    assert len(factcheck.approvals(opened)) == 21
    before_draft = factcheck.latest_draft(opened)
    before_cells = cells("named_doctor_share", POINT)
    jonkoping = Region.objects.get(code="06")
    passage = named_doctor_passage(before_draft, "06")
    assert passage.period == POINT  # the passage knows what it shows
    old = IndicatorValue.objects.get(
        indicator_id="named_doctor_share",
        org_code="06",
        period=POINT,
        sex="T",
        age_band="total",
        is_current=True,
    )
    proposal = factcheck.propose(
        opened,
        jonkoping,
        passage.key,
        indicator_id="named_doctor_share",
        period="2019",
        numerator=old.numerator + 90,
        denominator=old.denominator,
        source="Regionens listningsregister",
        actor="region-06",
    )
    assert proposal.value == pytest.approx(100 * (old.numerator + 90) / old.denominator)
    new_draft = factcheck.decide(proposal, True, actor="analytiker")

    after_cells = cells("named_doctor_share", POINT)
    changed = {k for k in before_cells if before_cells[k] != after_cells.get(k)}
    assert changed == {("06", "T", "total")}  # exactly the corrected cell
    assert after_cells[("06", "T", "total")][1:] == (old.numerator + 90, old.denominator)

    p = profile("named_doctor_share", POINT)
    rows = [r for r in p.rows]
    assert p.national is not None and p.national_note == ""
    assert p.national.value == pytest.approx(
        100 * sum(r.numerator for r in rows) / sum(r.denominator for r in rows)
    )
    jonkoping_row = next(r for r in rows if r.org == "06")
    assert jonkoping_row.ci_low is not None and jonkoping_row.vs_national is not None

    for region in regions:
        if region.code != "06":
            assert own_figures(before_draft, region.code) == own_figures(new_draft, region.code)
    assert own_figures(before_draft, "06") != own_figures(new_draft, "06")
    assert [r.code for r in regions if r not in factcheck.approvals(opened)] == ["06"]
    with translation.override("sv"):
        summary = build_report(opened).summary
    assert any(s.startswith("Andel invånare med fast läkarkontakt: riket") for s in summary)


def test_a_bare_value_is_refused_where_values_carry_counts(opened):
    draft = factcheck.latest_draft(opened)
    jonkoping = Region.objects.get(code="06")
    key = named_doctor_passage(draft, "06").key
    with pytest.raises(FactCheckError, match="Ange täljaren") as refused:
        factcheck.propose(
            opened,
            jonkoping,
            key,
            indicator_id="named_doctor_share",
            period=POINT,
            value=31.4,
            source="x",
            actor="region-06",
        )
    assert refused.value.field == "numerator"
    with pytest.raises(FactCheckError, match="större än nämnaren"):
        factcheck.propose(
            opened,
            jonkoping,
            key,
            indicator_id="named_doctor_share",
            period=POINT,
            numerator=10,
            denominator=5,
            source="x",
            actor="region-06",
        )
    with pytest.raises(FactCheckError, match="Nämnaren måste vara större än noll"):
        factcheck.propose(
            opened,
            jonkoping,
            key,
            indicator_id="named_doctor_share",
            period=POINT,
            numerator=0,
            denominator=0,
            source="x",
            actor="region-06",
        )
    counted = factcheck.propose(
        opened,
        jonkoping,
        "",
        indicator_id="online_booking_show",
        period="2020-03",
        value=31.0,
        numerator=5,
        denominator=9,
        source="Inera",
        actor="region-06",
    )
    assert (counted.value, counted.numerator, counted.denominator) == (31.0, None, None)


def test_an_area_without_counts_explains_the_missing_national_value(opened):
    value = IndicatorValue.objects.get(
        indicator_id="named_doctor_share",
        org_code="06",
        period=POINT,
        sex="T",
        age_band="total",
        is_current=True,
    )
    IndicatorValue.objects.filter(pk=value.pk).update(numerator=None, denominator=None)
    p = profile("named_doctor_share", POINT)
    assert p.national is None
    assert p.national_note == (
        "Riket kan inte beräknas: täljare och nämnare saknas för Region Jönköpings län."
    )
    with translation.override("sv"):
        report = build_report(opened)
    line = next(s for s in report.summary if s.startswith("Andel invånare med fast läkarkontakt"))
    assert "täljare och nämnare saknas för Region Jönköpings län" in line
    table = next(b for b in report.blocks() if b.key == "profil-01-indikatorer")
    assert "Riket kan inte beräknas" in table.note


def test_the_proposal_form_takes_swedish_numbers_and_keeps_what_was_typed(
    opened, make_user, client
):
    client.force_login(make_user("jkpg", "region_coordinator", "06"))
    draft = factcheck.latest_draft(opened)
    passage = named_doctor_passage(draft, "06")
    url = "/rapporter/2020/faktagranskning/06/forslag/"
    page = client.get(url, {"passage": passage.key}).content.decode()
    assert '<option value="named_doctor_share" selected>' in page
    assert f'<option value="{POINT}" selected>31 december 2019</option>' in page
    assert 'name="numerator"' in page and 'name="value"' not in page
    form = {
        "what": "propose",
        "passage": passage.key,
        "indicator_id": "named_doctor_share",
        "period": POINT,
        "numerator": "1 15x",
        "denominator": "3\u00a0679",
        "source": "Listningsregistret",
    }
    refused = client.post(url, form)
    body = refused.content.decode()
    assert refused.status_code == 400
    assert 'id="id_numerator-error">Skriv ett tal, till exempel 31,4 eller 1 234.' in body
    assert 'value="1 15x"' in body and 'value="3\u00a0679"' in body  # kept as typed
    form["numerator"] = "1 155"
    assert client.post(url, form).status_code == 302
    proposal = opened.factcheck.feedback.get(kind="proposal")
    assert (proposal.numerator, proposal.denominator) == (1155, 3679)
    assert proposal.value == pytest.approx(100 * 1155 / 3679)
    booking = client.get(url, {"indicator_id": "online_booking_show"}).content.decode()
    assert 'name="value"' in booking and 'name="numerator"' not in booking
    booking = {
        "what": "propose",
        "indicator_id": "online_booking_show",
        "period": "2020-03",
        "value": "31,5",
        "source": "Inera",
    }
    assert "Skriv ett heltal" in client.post(url, booking).content.decode()  # clinics
    booking["value"] = "1 031"
    assert client.post(url, booking).status_code == 302
    assert opened.factcheck.feedback.get(indicator_id="online_booking_show").value == 1031
    own = client.get("/rapporter/2020/faktagranskning/06/").content.decode()
    assert "Andel invånare med fast läkarkontakt, 31 december 2019: 31,4 %" in own
    assert "(täljare / nämnare: 1\u2009155 / 3\u2009679)" in own
    assert "Mottagningar med webbtidbok som visar tider, mars 2020: 1\u2009031 st." in own


def test_a_mean_is_corrected_with_its_number_of_persons(opened):
    from naravard.ingest.importer import import_file

    lines = ["org,period,numerator,denominator"]
    for n, region in enumerate(Region.objects.order_by("code")):
        lines.append(f"{region.code},2019,{(300 + n) * 4},{300 + n}")  # a mean of 4 days
    import_file(
        "days.csv",
        "discharge_to_contact_days_65plus",
        data="\n".join(lines).encode(),
        name="days.csv",
        actor="test",
    )
    ind = get_indicator("discharge_to_contact_days_65plus")
    assert factcheck.asked(ind, "2019") == factcheck.Asked.MEAN
    with pytest.raises(FactCheckError, match="Ange antalet personer"):
        factcheck.propose(
            opened,
            Region.objects.get(code="06"),
            "",
            indicator_id=ind.id,
            period="2019",
            value=4.5,
            source="x",
            actor="region-06",
        )
    proposal = factcheck.propose(
        opened,
        Region.objects.get(code="06"),
        "",
        indicator_id=ind.id,
        period="2019",
        value=4.5,
        denominator=305,
        source="Journalen",
        actor="region-06",
    )
    factcheck.decide(proposal, True, actor="analytiker")
    p = profile(ind.id, "2019")
    assert next(r for r in p.rows if r.org == "06").value == 4.5
    persons = sum(r.denominator for r in p.rows)
    assert p.national.value == pytest.approx(sum(r.value * r.denominator for r in p.rows) / persons)

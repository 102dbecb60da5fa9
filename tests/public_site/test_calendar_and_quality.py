"""Trust signals: the release calendar (planned, moved, late, published, revised) and each
indicator's quality declaration."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from naravard.catalog.catalogue import get_indicator
from naravard.publish.calendar import calendar, plan
from naravard.publish.releases import ReleaseError, release
from tests.helpers import page_text, page_words, store, table_rows

pytestmark = pytest.mark.django_db


def test_a_plan_is_moved_by_planning_again_and_a_released_period_cannot_be_planned():
    store("2021")
    release("named_doctor_share", "2021", actor="test")
    first = plan("named_doctor_share", "2022", dt.date(2027, 3, 1), actor="a")
    assert first.period == "2022-12-31"  # a point in time: the year's last day
    moved = plan("named_doctor_share", "2022-12-31", dt.date(2027, 3, 15), actor="a", note="sen")
    assert (moved.pk, moved.planned_on, moved.first_planned_on) == (
        first.pk,
        dt.date(2027, 3, 15),
        dt.date(2027, 3, 1),
    )
    with pytest.raises(ReleaseError, match="already published"):
        plan("named_doctor_share", "2021", dt.date(2027, 1, 1), actor="a")
    with pytest.raises(ReleaseError, match="not a period"):
        plan("named_doctor_share", "2022-13", dt.date(2027, 1, 1), actor="a")


def test_the_calendar_lists_upcoming_late_and_recent_releases():
    today = timezone.localdate()
    store("2021")
    plan("named_doctor_share", "2021", today - dt.timedelta(days=3), actor="a")
    plan("named_doctor_share", "2023", today + dt.timedelta(days=10), actor="a")
    plan("named_doctor_share", "2024", today - dt.timedelta(days=1), actor="a")  # late
    release("named_doctor_share", "2021", actor="test")
    store("2021", {"01": 520})
    release("named_doctor_share", "2021", actor="test", note="rättelse")
    found = calendar(today)
    assert [(p.period, p.on) for p in found.upcoming] == [
        ("2023-12-31", today + dt.timedelta(days=10))
    ]
    assert [p.period for p in found.late] == ["2024-12-31"]
    assert [(r.periods, r.revision, r.note) for r in found.recent] == [
        (("2021-12-31",), True, "rättelse"),
        (("2021-12-31",), False, ""),
    ]
    assert found.recent[1].planned_on == today - dt.timedelta(days=3)


def test_calendar_page(client):
    today = timezone.localdate()
    store("2021")
    release("named_doctor_share", "2021", actor="test")
    plan("named_doctor_share", "2022", today + dt.timedelta(days=30), actor="a")
    plan("named_doctor_share", "2022", today + dt.timedelta(days=44), actor="a", note="Sen källa")
    html = page_text(client.get("/publiceringskalender/"))
    upcoming = table_rows(html, "upcoming")
    assert upcoming[1][1] == "Andel invånare med fast läkarkontakt"
    assert upcoming[1][2] == "31 december 2022" and upcoming[1][3] == "Sen källa"
    assert "flyttad från" in upcoming[1][0]
    assert table_rows(html, "recent")[1][3] == "ny"
    assert 'href="/publiceringskalender/"' in html  # in the footer of every page


def test_the_calendar_names_many_periods_released_on_one_day_once(client):
    store("2020")
    store("2021")
    release("named_doctor_share", "2020", actor="test")
    release("named_doctor_share", "2021", actor="test")
    recent = table_rows(page_text(client.get("/publiceringskalender/")), "recent")
    assert len(recent) == 2
    assert recent[1][2] == "31 december 2020 till 31 december 2021 (2 perioder)"


def test_quality_declaration_says_source_coverage_comparability_and_releases(client):
    store("2020")
    store("2021")
    release("named_doctor_share", "2020", actor="test")
    release("named_doctor_share", "2021", actor="test")
    store("2021", {"01": 520})
    release("named_doctor_share", "2021", actor="test", note="Stockholm rättade")
    plan("named_doctor_share", "2022", timezone.localdate() + dt.timedelta(days=9), actor="a")
    response = client.get("/statistik/named_doctor_share/kvalitet/")
    words = page_words(response)
    ind = get_indicator("named_doctor_share")
    assert ind.source["sv"] in words
    assert ind.caveats[0].text["sv"] in words  # registration differs between regions
    assert "31 december 2020 till 31 december 2021 (2 perioder)" in words
    assert "21 av 21, 31 december 2021" in words
    assert "Nästa publicering: 31 december 2022, planerad till" in words
    history = table_rows(page_text(response), "release-history")
    assert [row[2] for row in history[1:]] == [
        "reviderad",
        "första publicering",
        "första publicering",
    ]
    assert history[1][3] == "Stockholm rättade"
    # and the indicator page says it beside the figures, with a link here
    page = page_text(client.get("/statistik/named_doctor_share/"))
    caveat = re.search(r'<p class="notice" id="caveat">(.*?)</p>', page, re.S)[1]
    assert (
        ind.caveats[0].text["sv"] in caveat and "/statistik/named_doctor_share/kvalitet/" in caveat
    )
    assert client.get("/statistik/no_such/kvalitet/").status_code == 404


def test_the_next_period_of_each_period_type():
    assert get_indicator("named_doctor_share").next_period("2024-02-29") == "2025-02-28"
    assert get_indicator("named_doctor_share").next_period("2022-12-31") == "2023-12-31"
    assert get_indicator("online_booking_show").next_period("2020-12") == "2021-01"
    assert get_indicator("online_booking_show").next_period("2020-03") == "2020-04"
    assert get_indicator("readmission_30d").next_period("2023") == "2024"

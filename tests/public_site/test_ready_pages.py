"""Public pages ready before they are asked for: charts kept per release (publish/kept.py),
the warm-up before the server listens and after each release (site/warm.py), and the bigger
store the page benchmark measures (demo/store.py)."""

import threading

import altair as alt
import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from django.utils import translation

from naravard.catalog.catalogue import get_indicator
from naravard.core.sizes import approximate_size, bounded_by_bytes
from naravard.demo.store import widen_store
from naravard.ingest.models import IndicatorValue
from naravard.presentation import altair_converter, charts
from naravard.publish import kept as kept_module
from naravard.publish.kept import kept, of_all_indicators, of_indicator
from naravard.publish.models import Release
from naravard.publish.open_data import public_profile, public_series
from naravard.publish.releases import latest_releases, release, released_periods
from naravard.site import in_flight, warm
from tests.helpers import store, store_turning_digital_shares

pytestmark = pytest.mark.django_db


class Maker:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"made": self.calls}


@pytest.fixture
def named_doctors():
    store("2021")
    release("named_doctor_share", "2021", actor="test")


def test_a_thing_is_made_once_per_release_and_language(named_doctors):
    make = Maker()
    made_from = of_indicator("named_doctor_share")
    assert kept(made_from, ("chart",), make) == kept(made_from, ("chart",), make) == {"made": 1}
    with translation.override("en"):
        assert kept(made_from, ("chart",), make) == {"made": 2}
    assert kept(made_from, ("another chart",), make) == {"made": 3}
    store("2022")
    release("named_doctor_share", "2022", actor="test")
    assert of_indicator("named_doctor_share") != made_from
    assert kept(of_indicator("named_doctor_share"), ("chart",), make) == {"made": 4}


def test_a_release_of_one_indicator_leaves_the_others_kept_but_not_views_of_all(named_doctors):
    others = of_indicator("digital_contact_share")
    everything = of_all_indicators()
    store("2022")
    release("named_doctor_share", "2022", actor="test")
    assert of_indicator("digital_contact_share") == others
    assert of_all_indicators() != everything


def test_the_store_keeps_the_most_recently_used(named_doctors, monkeypatch):
    two = 2 * approximate_size({"made": 1})  # room for two of what Maker makes
    monkeypatch.setattr(kept_module, "_kept", bounded_by_bytes(two))
    made_from = of_indicator("named_doctor_share")
    make = Maker()
    kept(made_from, 1, make)
    kept(made_from, 2, make)
    kept(made_from, 1, make)  # used again: 2 is now the oldest
    kept(made_from, 3, make)
    assert make.calls == 3
    kept(made_from, 1, make)
    assert make.calls == 3
    kept(made_from, 2, make)
    assert make.calls == 4


def test_the_store_is_bounded_by_bytes_not_by_entries(named_doctors, monkeypatch):
    """Two small answers fit where one large one does; an answer larger than the whole
    store is made each time and never pushes the others out."""
    small, large = "x" * 1000, "y" * 3000
    room = 2 * approximate_size(small) + 100
    monkeypatch.setattr(kept_module, "_kept", bounded_by_bytes(room))
    made_from = of_indicator("named_doctor_share")
    made = []

    def maker(text):
        return lambda: made.append(text) or text

    kept(made_from, "a", maker(small))
    kept(made_from, "b", maker(small))
    kept(made_from, "a", maker(small))
    kept(made_from, "b", maker(small))
    assert len(made) == 2  # both kept
    kept(made_from, "c", maker(large))
    kept(made_from, "c", maker(large))
    assert len(made) == 4  # too large for the store: made again, not kept
    kept(made_from, "a", maker(small))
    assert len(made) == 4  # and the small ones are still there


def test_the_warm_up_draws_the_overview_so_that_its_first_visitor_does_not(
    named_doctors, client, monkeypatch
):
    store("2022")
    release("named_doctor_share", "2022", actor="test")
    assert warm.warm_up() >= 1
    drawn = []
    original = charts.sparkline
    monkeypatch.setattr(charts, "sparkline", lambda *a: drawn.append(a) or original(*a))
    for path in ("/", "/en/"):
        assert client.get(path).status_code == 200
    assert drawn == []
    store("2023")
    release("named_doctor_share", "2023", actor="test")
    assert client.get("/").status_code == 200
    assert len(drawn) == 1  # the released indicator's trend only


def test_the_warm_up_draws_each_indicator_page_and_again_only_the_released(
    named_doctors, client, monkeypatch
):
    store("2022")
    release("named_doctor_share", "2022", actor="test")
    warm.warm_up()
    drawn = []
    for name in ("choropleth", "ranked_bars", "trend_lines"):
        original = getattr(charts, name)
        monkeypatch.setattr(
            charts, name, lambda *a, _f=original, _n=name, **k: drawn.append(_n) or _f(*a, **k)
        )
    for path in ("/statistik/named_doctor_share/", "/en/statistik/named_doctor_share/"):
        assert client.get(path).status_code == 200
    assert drawn == []  # the first visitors in either language find the charts drawn
    assert warm.indicator_pages() == 0  # nothing released since: nothing readied again
    store("2023")
    release("named_doctor_share", "2023", actor="test")
    assert warm.indicator_pages() == 1  # the released one
    assert set(drawn) == {"choropleth", "ranked_bars", "trend_lines"}


class Ticks(threading.Event):
    """A stop event for watch_releases: runs ``between`` before each look, then stops."""

    def __init__(self, between):
        super().__init__()
        self.between = list(between)

    def wait(self, timeout=None):
        if not self.between:
            return True
        self.between.pop(0)()
        return False


def test_the_watch_readies_the_pages_again_after_each_release(named_doctors, monkeypatch):
    readied = []
    pauses = []

    def warm_up(pages=True, **kwargs):
        readied.append(pages)
        pauses.append(kwargs.get("pause"))

    monkeypatch.setattr(warm, "warm_up", warm_up)
    seen = warm.ready()
    assert readied == [True]  # everything before listening

    def a_release():
        store("2022")
        release("named_doctor_share", "2022", actor="another process")

    warm.watch_releases(seen, Ticks([lambda: None, a_release, lambda: None]))
    assert readied == [True, False]  # once for the release (quickly), not for quiet looks
    assert pauses == [None, in_flight.give_way]  # after a release, giving way to visitors


def test_a_failing_warm_up_does_not_end_the_watch(named_doctors, monkeypatch, caplog):
    def fail(pages=True, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(warm, "warm_up", fail)
    monkeypatch.setattr(connection, "close", lambda: None)  # the test's transaction stays
    seen = (0, None, None)  # no release seen yet: the first look finds one
    warm.watch_releases(seen, Ticks([lambda: None, lambda: None]))
    # tried once for the change, not again at every look
    assert caplog.text.count("warming up after a release failed") == 1


def test_a_request_is_counted_from_its_start_to_its_last_byte(client):
    seen = []

    def look(**kwargs):
        seen.append(in_flight.answering())

    request_started.connect(look)  # after in_flight's own receiver, connected at start
    try:
        assert client.get("/publiceringskalender/").status_code == 200
    finally:
        request_started.disconnect(look)
    assert seen == [1] and in_flight.answering() == 0


def test_the_readying_waits_while_a_request_is_answered_and_not_longer():
    answered, asked = threading.Event(), threading.Event()
    waited = []

    def a_request():
        request_started.send(sender=None)
        asked.set()
        answered.wait(60)
        request_finished.send(sender=None)

    visitor = threading.Thread(target=a_request)
    visitor.start()
    assert asked.wait(60)
    assert in_flight.give_way(0.01) is False  # gave up waiting: the readying goes on
    watch = threading.Thread(target=lambda: waited.append(in_flight.give_way(60)))
    watch.start()
    watch.join(0.2)
    assert watch.is_alive() and waited == []  # waiting for the request
    answered.set()
    watch.join(60)
    visitor.join(60)
    assert waited == [True] and in_flight.answering() == 0
    assert in_flight.give_way(0) is True  # nobody asking: no wait


def test_the_warm_up_pauses_between_its_steps(named_doctors):
    steps = []
    warm.warm_up(pages=False, pause=lambda: steps.append(in_flight.answering()))
    assert len(steps) >= 3  # the indicator's level, its groups and revisions, the overview


# --------------------------------------------------------------- the bigger store ---


def test_the_store_is_carried_back_in_time_and_released(named_doctors):
    before = IndicatorValue.objects.count()
    first = {
        v.org_code: v
        for v in IndicatorValue.objects.filter(
            indicator_id="named_doctor_share", period="2021-12-31"
        )
    }
    added = widen_store(3)
    assert added == 3 * len(first)
    assert IndicatorValue.objects.count() == before + added
    assert released_periods("named_doctor_share") == [
        "2018-12-31",
        "2019-12-31",
        "2020-12-31",
        "2021-12-31",
    ]
    ind = get_indicator("named_doctor_share")
    for v in IndicatorValue.objects.filter(indicator_id="named_doctor_share", period="2018-12-31"):
        was = first[v.org_code]
        assert v.denominator == was.denominator
        assert v.numerator == int(v.numerator) and 0 <= v.numerator <= v.denominator
        assert v.value == pytest.approx(v.numerator / v.denominator * ind.scale)
        assert abs(v.value / was.value - 1) < 0.07  # three years of at most 2 % each
    series = public_series("named_doctor_share")
    assert [p.period for p in series] == ["2018-12-31", "2019-12-31", "2020-12-31", "2021-12-31"]


def test_the_store_is_widened_all_or_nothing(named_doctors, monkeypatch):
    values, releases = IndicatorValue.objects.count(), Release.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(Release.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        widen_store(2)
    assert IndicatorValue.objects.count() == values
    assert Release.objects.count() == releases
    assert list(latest_releases("named_doctor_share")) == [("named_doctor_share", "2021-12-31")]


# ------------------------------------------------ Altair's converter made once ---


def test_charts_are_the_same_with_the_converter_made_once(named_doctors):
    """presentation/altair_converter.py only saves time: every chart comes out the same."""
    store("2022")
    release("named_doctor_share", "2022", actor="test")
    p = public_profile("named_doctor_share")
    ind = p.indicator
    points = [{"period": q.period, "value": q.national.value} for q in public_series(ind.id)]

    def draw():
        return [
            charts.sparkline(ind, points, "trend"),
            charts.ranked_bars(p, "bars", charts.shading(p)),
            charts.choropleth(p, "/granser/region/", "map", charts.shading(p)),
        ]

    built_once = draw()
    altair_converter.uninstall()
    try:
        assert alt.utils.schemapi.SchemaBase.from_dict.__func__ is not altair_converter._from_dict
        assert draw() == built_once
    finally:
        altair_converter.install()
    assert alt.utils.schemapi.SchemaBase.from_dict.__func__ is altair_converter._from_dict


def test_small_multiples_of_new_values_reuse_their_drawing_and_show_the_new_values():
    """A release that changes values but no period, area or panel draws only the values."""

    def series(shift: float) -> list[dict]:
        return [
            {"indicator": name, "period": period, "who": who, "value": value + shift,
             "unit": "percent", "id": ind}
            for ind, name in (("named_doctor_share", "Fast läkare"), ("readmission_30d", "Åter"))
            for period, value in (("2021", 50.0), ("2022", 52.5), ("2023", 55.25))
            for who in ("Region Stockholm", "Riket")
        ]  # fmt: skip

    charts._small_multiples.cache_clear()
    before = charts.region_vs_nation(series(0.0), "Över tid")
    after = charts.region_vs_nation(series(1.0), "Över tid")
    assert charts._small_multiples.cache_info().hits == 1
    assert {k: v for k, v in before.items() if k != "datasets"} == {
        k: v for k, v in after.items() if k != "datasets"
    }
    values = [[r["value"] for r in spec["datasets"]["data-1"]] for spec in (before, after)]
    assert [b + 1.0 for b in values[0]] == values[1]
    with translation.override("en"):
        english = charts.region_vs_nation(series(0.0), "Över tid")
    assert charts._small_multiples.cache_info().misses == 2  # the words are the language's
    assert "Indicator" in str(english["spec"]) and "Indikator" in str(before["spec"])


def test_trend_lines_of_new_values_reuse_their_drawing_and_show_the_new_values():
    ind = get_indicator("named_doctor_share")

    def series(shift: float) -> list[dict]:
        return [
            {"name": name, "period": period, "value": value + shift}
            for period, value in (("2021-12-31", 50.0), ("2022-12-31", 52.5))
            for name in ("Region Stockholm", "Riket")
        ]

    charts._trend_lines.cache_clear()
    before = charts.trend_lines(ind, series(0.0), "Utveckling")
    after = charts.trend_lines(ind, series(2.0), "Utveckling")
    assert charts._trend_lines.cache_info().hits == 1
    assert before["layer"] == after["layer"]
    values = [[r["value"] for r in spec["datasets"]["data-1"]] for spec in (before, after)]
    assert [b + 2.0 for b in values[0]] == values[1]


def test_map_and_ranking_of_new_values_reuse_their_drawing_and_show_the_new_values(
    named_doctors,
):
    """A release whose areas stay in their colours' categories draws only the values."""
    from dataclasses import replace

    p = public_profile("named_doctor_share")
    moved = replace(
        p,
        rows=[replace(r, value=r.value + 0.5) if r.value is not None else r for r in p.rows],
        national=replace(p.national, value=p.national.value + 0.5),
    )
    charts._choropleth.cache_clear()
    charts._ranked_bars.cache_clear()
    drawn = {
        name: [draw(q, charts.shading(q)) for q in (p, moved)]
        for name, draw in (
            ("map", lambda q, shade: charts.choropleth(q, "/granser/region/", "Karta", shade)),
            ("bars", lambda q, shade: charts.ranked_bars(q, "Rangordning", shade)),
        )
    }
    assert charts._choropleth.cache_info().hits == charts._ranked_bars.cache_info().hits == 1
    for before, after in drawn.values():
        assert {k: v for k, v in before.items() if k != "datasets"} == {
            k: v for k, v in after.items() if k != "datasets"
        }
    labels = [[r["label"] for r in spec["datasets"]["data-1"]] for spec in drawn["map"]]
    assert len(labels[0]) == 21 and all(b != a for b, a in zip(*labels, strict=True))
    values = [[r["value"] for r in spec["datasets"]["data-1"]] for spec in drawn["bars"]]
    assert values[1] == [round(v + 0.5, charts.CHART_DECIMALS) for v in values[0]]
    nation = [spec["datasets"]["data-2"] for spec in drawn["bars"]]  # the lower reference line
    assert {r["what"] for rows in nation for r in rows} <= {"Riket", "Mål"}
    bars = drawn["bars"][0]
    sort = bars["layer"][0]["layer"][0]["encoding"]["y"]["sort"]
    assert sort == {"field": "value", "op": "min", "order": "descending"}  # the most first


@pytest.mark.django_db(transaction=True)
def test_an_analysis_two_threads_ask_for_at_once_is_worked_out_once(monkeypatch):
    """The first visitor after a release waits for the warm-up's analysis, not beside it."""
    from naravard.publish import open_data

    store("2021")
    release("named_doctor_share", "2021", actor="test")
    working, finish = threading.Event(), threading.Event()
    calls = []

    def analyse(*args, **kwargs):
        calls.append(args)
        working.set()
        finish.wait(60)
        return profile(*args, **kwargs)

    profile = open_data.profile
    monkeypatch.setattr(open_data, "profile", analyse)
    found = []

    def ask():
        try:
            found.append(public_profile("named_doctor_share", trends=False))
        finally:
            connection.close()

    first, second = threading.Thread(target=ask), threading.Thread(target=ask)
    first.start()
    assert working.wait(60)
    second.start()
    second.join(0.5)  # time to ask; it waits for the first instead of working it out too
    finish.set()
    first.join(60)
    second.join(60)
    assert len(calls) == 1
    assert len(found) == 2 and found[0] is found[1]


def test_the_releases_are_read_in_full_only_when_they_have_changed(named_doctors):
    """Every second each process looks at the releases: one small query unless they changed."""
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from naravard.publish.releases import release_facts

    seen = release_facts()
    with CaptureQueriesContext(db) as looked:
        assert release_facts() == seen
    assert len(looked) == 1 and "publish_release" in looked[0]["sql"]
    store("2022")
    release("named_doctor_share", "2022", actor="test")
    with CaptureQueriesContext(db) as looked:
        assert release_facts() != seen
    assert len(looked) == 2  # the facts, then every release
    assert released_periods("named_doctor_share") == ["2021-12-31", "2022-12-31"]


def test_an_indicator_page_is_made_again_only_when_its_own_releases_change(
    named_doctors, client, monkeypatch
):
    from naravard.site import statistics_views

    made = []
    original = statistics_views.indicator_content
    monkeypatch.setattr(
        statistics_views, "indicator_content", lambda *a: made.append(a[0].id) or original(*a)
    )
    store_turning_digital_shares()
    page = "/statistik/named_doctor_share/"
    first = client.get(page).content
    release("digital_contact_share", "2021", actor="test")  # another indicator's release
    assert client.get(page).content == first
    assert made == ["named_doctor_share"]
    with translation.override("en"):
        assert client.get("/en" + page).status_code == 200
    assert made == ["named_doctor_share"] * 2  # the words are the language's
    store("2022")
    release("named_doctor_share", "2022", actor="test")
    again = client.get(page).content.decode()
    assert len(made) == 3 and "2022" in again

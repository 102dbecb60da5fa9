"""The variation chapter draws each indicator once: its map beside its ranking in one figure
(``variation-<indicator id>``) with one table, the regions coloured by their judgement against
the target or the nation, a sentence when no region differs, the legend outside the drawing."""

from dataclasses import replace

import pytest
from django.utils import translation

from naravard.analysis.profile import OrgResult, Profile
from naravard.catalog.catalogue import Target, get_indicator
from naravard.ingest.importer import import_file
from naravard.presentation import charts
from naravard.refdata import files
from naravard.report.content import Builder, build_report
from tests.helpers import store

pytestmark = pytest.mark.django_db

NO_DIFFERENCE = "Ingen region skiljer sig signifikant från riket."
COMPARED = "care_guarantee_3d"  # a share with intervals, no target in 2020
OUTSIDE = {"bottom", "right", "top", "left"}  # a legend's orient beside the drawing, not on it


def legends(spec) -> list[dict]:
    """Every legend of a Vega-Lite spec's encodings (not the config's defaults)."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "config":
                continue
            if key == "legend" and isinstance(value, dict):
                found.append(value)
            found += legends(value)
    elif isinstance(spec, list):
        for item in spec:
            found += legends(item)
    return found


def colour_domain(spec: dict) -> list[str]:
    """The categories the figure's colours stand for, as its legend names them."""
    bars = spec["hconcat"][1]["layer"][0]
    return bars["encoding"]["color"]["scale"]["domain"]


def variation_figure(followup, indicator_id):
    with translation.override("sv"):
        builder = Builder(followup)
        return builder._variation_figure(builder.latest(indicator_id))


def store_shares(default: float, share_of: dict[str, float] | None = None) -> None:
    """Care-guarantee counts of every region in March 2020, 2 000 persons each: ``default``
    of them within three days, or ``share_of[region code]``."""
    lines = ["org,period,numerator,denominator"]
    for region in files.regions():
        share = (share_of or {}).get(region.code, default)
        lines.append(f"{region.code},2020-03,{round(2000 * share)},2000")
    import_file("c.csv", COMPARED, data="\n".join(lines).encode(), name="c.csv", actor="test")


def test_one_figure_per_indicator_with_one_row_per_region(followup):
    store_shares(0.8, {"01": 0.7})
    store("2019-12-31", {"01": 700})
    with translation.override("sv"):
        report = build_report(followup)
    keys = [f.key for f in report.figures]
    assert not any(k.startswith(("karta-", "rangordning-")) for k in keys)
    variation = [f for f in report.figures if f.key.startswith("variation-")]
    chapter = next(s for s in report.sections if s.blocks and s.blocks[0] is variation[0])
    assert [b.key for b in chapter.blocks] == [f.key for f in variation]  # nothing else
    builder = Builder(followup)
    with_values = [
        i for i in report.indicator_ids if any(r.value is not None for r in builder.latest(i).rows)
    ]
    assert [f.key.removeprefix("variation-") for f in variation] == with_values
    assert COMPARED in with_values and "named_doctor_share" in with_values
    names = [r.name for r in files.regions()]
    for fig in variation:
        assert [row[0] for row in fig.rows] == names, fig.key
        assert fig.header[:6] == [
            "Region",
            "Värde",
            "95 % KI, nedre",
            "95 % KI, övre",
            "Rang",
            "Jämfört med riket",
        ]
        assert [view.get("mark", {}).get("type") for view in fig.spec["hconcat"]][0] == "geoshape"
        assert "layer" in fig.spec["hconcat"][1]  # the ranking: bars, intervals, rules


def test_no_region_differs_one_colour_and_the_sentence(followup):
    store_shares(0.8)
    fig = variation_figure(followup, COMPARED)
    assert colour_domain(fig.spec) == ["I nivå med riket"]
    assert {row[5] for row in fig.rows} == {"likvärdig"}
    assert NO_DIFFERENCE in fig.note
    assert fig.spec["title"]["text"] == NO_DIFFERENCE  # said under the legend, too
    with translation.override("en"):
        builder = Builder(followup)
        english = builder._variation_figure(builder.latest(COMPARED))
    assert "No region differs significantly from the nation." in english.note


def test_regions_that_differ_get_their_own_colour(followup):
    store_shares(0.8, {"01": 0.7, "03": 0.9})
    fig = variation_figure(followup, COMPARED)
    assert colour_domain(fig.spec) == ["Bättre än riket", "I nivå med riket", "Sämre än riket"]
    judged = {row[0]: row[5] for row in fig.rows}
    assert judged["Region Stockholm"] == "sämre" and judged["Region Uppsala"] == "bättre"
    assert NO_DIFFERENCE not in fig.note and "title" not in fig.spec
    ranges = fig.spec["hconcat"][1]["layer"][0]["encoding"]["color"]["scale"]["range"]
    assert ranges == [charts.JUDGEMENT_COLOURS[c] for c in ("better", "similar", "worse")]


def test_an_indicator_with_a_target_is_coloured_by_the_target(followup):
    store("2019-12-31", {"01": 700, "03": 300, "04": 540})
    assert Builder(followup).latest("named_doctor_share").target is not None
    fig = variation_figure(followup, "named_doctor_share")
    assert fig.header[-1] == "Målet"
    said = {row[-1] for row in fig.rows}
    domain = colour_domain(fig.spec)
    assert set(domain) <= {"Målet nått", "Målet inte nått", "Osäkert om målet nåtts"}
    assert ("nått" in said) == ("Målet nått" in domain)
    assert ("inte nått" in said) == ("Målet inte nått" in domain)


def test_legends_stand_outside_the_drawing(followup):
    store_shares(0.8, {"01": 0.7})
    fig = variation_figure(followup, COMPARED)
    found = legends(fig.spec)
    assert found and all(leg["orient"] in OUTSIDE for leg in found)
    with translation.override("sv"):
        site_map = charts.choropleth(Builder(followup).latest(COMPARED), "/gränser", "Karta")
    assert [leg["orient"] for leg in legends(site_map)] == ["bottom"]


# ---- the shading itself, on profiles made by hand ------------------------------------------


def row(org: str, value: float | None, low=None, high=None, **kw) -> OrgResult:
    return OrgResult(org, f"Region {org}", "2020", "T", value, None, None, low, high, **kw)


def test_neither_direction_better_is_lower_similar_higher():
    ind = replace(get_indicator("digital_contact_share"), direction="none")
    p = Profile(
        ind,
        "2020",
        "T",
        None,
        row("00", 50.0, 49.0, 51.0),
        [row("01", 40.0, 38.0, 42.0), row("03", 50.5, 48.0, 53.0), row("05", 60.0, 58.0, 62.0)],
    )
    shade = charts.shading(p)
    assert shade.basis == "nation" and shade.differs is True
    assert shade.of == {"01": "lower", "03": "similar", "05": "higher"}


def test_a_target_colours_reached_not_reached_uncertain_and_missing():
    ind = get_indicator("named_doctor_share")
    p = Profile(
        ind,
        "2020",
        "T",
        Target(55.0, ">="),
        row("00", 50.0, 49.0, 51.0),
        [
            row("01", 60.0, 58.0, 62.0, target_reached=True),
            row("03", 40.0, 38.0, 42.0, target_reached=False),
            row("05", 55.0, 53.0, 57.0),
            row("06", None, suppressed=True),
        ],
    )
    shade = charts.shading(p)
    assert shade.basis == "target"
    assert shade.of == {"01": "reached", "03": "not_reached", "05": "uncertain", "06": "no_value"}
    assert shade.categories == ["reached", "uncertain", "not_reached", "no_value"]


def test_without_intervals_the_fifths_of_the_values_and_a_note_saying_so():
    ind = get_indicator("online_booking_show_per_100k")
    rows = [row(f"{i:02d}", float(i)) for i in range(1, 11)]
    p = Profile(ind, "2020", "T", None, row("00", 5.5), rows)
    shade = charts.shading(p)
    assert shade.basis == "value" and shade.differs is None
    assert len(shade.categories) == 5 and shade.of["01"] == "class-0"
    assert shade.of["10"] == "class-4"
    with translation.override("sv"):
        assert "kan inte jämföras med riket" in shade.note()

"""Vega-Lite chart specifications (built with Altair) for the public pages.

Every chart is served as JSON beside the page and drawn by the bundled vega-embed; the same
numbers are always in a table on the page. Values arrive already published and with
disclosure control applied (``None`` for a hidden cell); a hidden cell is never drawn.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
from collections import Counter
from dataclasses import dataclass
from typing import Literal

import altair as alt
from django.conf import settings
from django.utils.translation import gettext as _

from naravard.analysis import compare
from naravard.analysis.profile import OrgResult, Profile
from naravard.analysis.spread import Spread
from naravard.catalog import units
from naravard.catalog.breaks import WORDS as BREAK_WORDS
from naravard.catalog.breaks import first_after_breaks, segment
from naravard.catalog.catalogue import Indicator, get_indicator, period_end, period_label
from naravard.core.language import current
from naravard.presentation import altair_converter
from naravard.refdata.geometry import SvgMap

altair_converter.install()  # drawing a chart took 100–150 ms without it

# ColorBrewer "Blues", five classes; light to dark is low to high whatever the direction
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_VALUE = "#d9d9d9"
NATION_COLOUR = "#1a1a1a"
TARGET_COLOUR = "#b2182b"
REGION_COLOUR = "#2c6fbb"
GROUP_COLOUR = "#b35806"  # an area's group of similar areas (orange, apart from blue and black)
BREAK_COLOUR = "#595959"  # the rule where a series breaks (4.5:1 or more on white)
STAGE_COLOURS = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")  # planned … regular operation
# Areas judged against the nation or a target, in the colours of the Fingertips public-health
# profiles: green better (target reached), amber similar (uncertain), red worse (not
# reached); blue lower and higher where neither direction is better; white not compared
JUDGEMENT_COLOURS = {
    "better": "#92d050",
    "similar": "#ffc000",
    "worse": "#c00000",
    "lower": "#bed2ff",
    "higher": "#5555e6",
    "reached": "#92d050",
    "uncertain": "#ffc000",
    "not_reached": "#c00000",
    "not_compared": "#ffffff",
    "no_value": NO_VALUE,
}
# the judgements against the nation, in the legends' order (vs_nation, or not compared)
NATION_JUDGEMENTS = ("better", "similar", "worse", "lower", "higher", "not_compared")
OUTLINE_COLOUR = "#737373"  # around areas and bars, so that a white one is seen
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
DEFAULT_DECIMALS = 1


def unit_label(code: str) -> str:
    """A catalogue unit as readers write it, in the active language (catalog/units.py)."""
    return units.UNITS[code].label()


def decimals(unit: str | None) -> int:
    """How many decimals a value in ``unit`` is written with (catalog/units.py); one for a
    value without a unit."""
    return units.UNITS[unit].decimals if unit else DEFAULT_DECIMALS


def value_format(unit: str | None) -> str:
    """The d3 format of a value in ``unit`` on a chart's axis, legend or tooltip."""
    return f".{decimals(unit)}f"


def number(value: float | None, decimals: int = 1) -> str:
    """A value as Swedish or English readers write it ('54,3' or '54.3'); '–' for none."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if current() == "sv":  # Swedish: decimal comma, thin space between thousands
        text = text.replace(",", "\u2009").replace(".", ",")
    return text


def target_text(target, unit: str | None = None) -> str:
    """A target as readers write it, with its unit: 'minst 55 %', 'högst 1 500 per 100 000
    invånare' ('' for no target)."""
    if target is None:
        return ""
    shown = number(target.value, 0 if float(target.value).is_integer() else decimals(unit))
    if unit and units.UNITS[unit].after_value:
        shown += f" {unit_label(unit)}"
    return target.describe(current(), shown)


def with_interval(row: OrgResult, unit: str | None = None) -> str:
    """'54,3 (52,1–56,4)' with as many decimals as the unit needs."""
    if row.suppressed:
        return _("skyddad (för få personer)")
    return with_interval_values(row.value, row.ci_low, row.ci_high, decimals(unit))


class _Datasets:
    """The values a chart draws, kept out of Altair until the chart is a dict: Altair copies
    inline values at every layer, facet and concatenation and checks each row against the
    schema, which for a report's sixty charts (a map's boundaries in twenty) took seconds.
    ``data(values)`` gives the chart a reference by name; :func:`_spec` puts the values in the
    spec's top-level ``datasets``, where Vega-Lite looks the names up."""

    def __init__(self) -> None:
        self.values: dict[str, list] = {}

    def __call__(self, values: list) -> alt.NamedData:
        name = f"data-{len(self.values) + 1}"
        self.values[name] = values
        return alt.NamedData(name)


def _validate() -> bool:
    """Whether a chart is checked against the Vega-Lite schema as it is made: in the test
    suite (NARAVARD_VALIDATE_CHARTS in test_settings.py), where every kind of chart is drawn,
    not in the server, where the check took half the time of drawing the chart."""
    return bool(getattr(settings, "NARAVARD_VALIDATE_CHARTS", False))


def _spec(chart: alt.TopLevelMixin, description: str, data: _Datasets) -> dict:
    """The chart as a Vega-Lite dict with its ``data``, described for screen readers, marks
    kept out of the accessibility tree (the table beside it carries the numbers)."""
    spec, named = _shape(chart, description)
    spec.setdefault("datasets", {}).update(
        {name: _compact(rows, named) for name, rows in data.values.items()}
    )
    return spec


def _shape(chart: alt.TopLevelMixin, description: str) -> tuple[dict, str]:
    """The chart as a Vega-Lite dict without its values, and the text of what it names (its
    description left out) for :func:`_compact`. The configuration is added to the dict: each
    Altair ``configure_…`` call would copy the whole chart once more."""
    spec = chart.properties(description=description).to_dict(validate=_validate())
    spec.pop("datasets", None)
    config = spec.setdefault("config", {})
    config.update(font=FONT, aria=False)
    for part in ("mark", "axis", "legend"):
        config.setdefault(part, {})["aria"] = False
    config.setdefault("view", {})["stroke"] = None
    return spec, json.dumps({k: v for k, v in spec.items() if k != "description"})


CHART_DECIMALS = 4  # a chart's numbers: two more than any unit shows (catalog/units.py)


def _compact(rows: list, spec_text: str) -> list:
    """A dataset's flat rows with only the fields the chart's spec names (the rest is never
    drawn, but would be sent with every page) and their numbers rounded to
    :data:`CHART_DECIMALS`, far finer than a pixel or a label. Rows that hold more than
    numbers and words (a map's shapes) are left as they are."""
    if not rows or not all(
        isinstance(row, dict) and all(_plain(v) for v in row.values()) for row in rows
    ):
        return rows
    keys = dict.fromkeys(k for row in rows for k in row)
    named = {k for k in keys if re.search(rf"(?<![\w$]){re.escape(k)}(?![\w$])", spec_text)}
    return [
        {
            k: round(v, CHART_DECIMALS) if isinstance(v, float) else v
            for k, v in row.items()
            if k in named
        }
        for row in rows
    ]


def _plain(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _rows(p: Profile) -> list[dict]:
    return [
        {
            "org": r.org,
            "name": r.name,
            "value": r.value,
            "ci_low": r.ci_low,
            "ci_high": r.ci_high,
            "label": with_interval(r, p.indicator.unit),
        }
        for r in p.rows
    ]


def choropleth(p: Profile, geo: str | dict, title: str, shade: Shading | None = None) -> dict:
    """The areas of ``p`` on a map, coloured as ``shade`` says (:func:`shading`: against the
    target, the nation or in fifths of their values); hover shows the value and the
    category. ``geo`` is the boundaries' URL (pages) or the GeoJSON itself (the report's
    SVG)."""
    shade = shade or shading(p)
    legend_title = _legend_title(p, shade)
    rows = [{**row, "category": shade.labels[shade.of[row["org"]]]} for row in _rows(p)]
    url = geo if isinstance(geo, str) else None
    shape, named = _choropleth(url, _legend(shade), legend_title, title, current())
    datasets = {MAP_AREAS: _compact(rows, named)}
    if isinstance(geo, dict):
        datasets[MAP_SHAPES] = geo["features"]
    return {**shape, "datasets": datasets}


MAP_AREAS, MAP_SHAPES = "data-1", "data-2"


@functools.lru_cache(maxsize=256)
def _choropleth(
    url: str | None,
    legend: tuple[tuple[str, str], ...],
    legend_title: str,
    title: str,
    language: str,
) -> tuple[dict, str]:
    """The map's spec without its values (its boundaries read from ``url``, or from
    :data:`MAP_SHAPES` without one), and the text the fields it names are looked up in
    (:func:`_compact`): the same for every release whose areas fall in the same categories,
    so a release puts only the new values in. ``language`` keys the words in it."""
    data = _Datasets()
    lookup = alt.LookupData(data([]), key="org", fields=["name", "label", "category"])
    shapes = (
        data([])
        if url is None
        else alt.UrlData(url, format=alt.DataFormat(type="json", property="features"))
    )
    chart = (
        alt.Chart(shapes)
        .mark_geoshape(stroke=OUTLINE_COLOUR, strokeWidth=0.4)
        .transform_lookup(lookup="properties.code", from_=lookup)
        .transform_calculate(area="datum.name || datum.properties.name")
        .encode(
            color=alt.condition(
                "isValid(datum.category)",
                _category_colour(legend, legend_title, columns=2),
                alt.value(NO_VALUE),
            ),
            tooltip=[
                alt.Tooltip("area:N", title=_("Område")),
                alt.Tooltip("label:N", title=_("Värde (95 % KI)")),
                alt.Tooltip("category:N", title=legend_title),
            ],
        )
        .project(type="transverseMercator", rotate=[-15, 0, 0])
        .properties(width=300, height=560)
    )
    assert list(data.values) == [MAP_AREAS, MAP_SHAPES][: len(data.values)]
    return _shape(chart, title)


def quantile_class(values: list[float], value: float) -> int:
    """Which of the :data:`PALETTE`'s classes (0 lowest) ``value`` falls in among ``values``
    (sorted): its share of values below it, in fifths."""
    below = sum(v < value for v in values)
    return min(len(PALETTE) - 1, below * len(PALETTE) // len(values))


def svg_fallback(svg_map: SvgMap, p: Profile, shade: Shading | None = None) -> list[dict]:
    """The server-drawn map's shapes in the colours of ``shade`` (:func:`shading`), for
    pages without JavaScript."""
    shade = shade or shading(p)
    by_org = {r.org: r for r in p.rows}
    out = []
    for shape in svg_map.shapes:
        row = by_org.get(shape.code)
        category = shade.of.get(shape.code, "no_value")
        out.append(
            {
                "code": shape.code,
                "name": shape.name,
                "path": shape.path,
                "fill": shade.colours[category],
                "label": f"{shape.name}: {with_interval(row, p.indicator.unit) if row else '–'}",
            }
        )
    return out


def ranked_bars(p: Profile, title: str, shade: Shading | None = None) -> dict:
    """Areas ranked by value with their 95 % intervals, the national value and the target,
    each bar coloured as ``shade`` says (:func:`shading`)."""
    ind = p.indicator
    shade = shade or shading(p)
    rows = [
        {**r, "category": shade.labels[shade.of[r["org"]]]}
        for r in _rows(p)
        if r["value"] is not None
    ]
    refs = _reference_lines(p)
    shape, named = _ranked_bars(
        ind.id,
        _legend(shade),
        _legend_title(p, shade),
        any(r["ci_low"] is not None for r in rows),
        tuple(ink for _value, _what, ink in refs),
        title,
        current(),
    )
    datasets = {BAR_AREAS: _compact(rows, named)}
    for i, (value, what, _ink) in enumerate(refs, start=2):
        datasets[f"data-{i}"] = _compact([{"what": what, "value": value}], named)
    return {**shape, "datasets": datasets}


BAR_AREAS = "data-1"  # then one dataset per reference line (_reference_marks), in order


@functools.lru_cache(maxsize=256)
def _ranked_bars(
    indicator_id: str,
    legend: tuple[tuple[str, str], ...],
    legend_title: str,
    intervals: bool,
    refs: tuple[str, ...],
    title: str,
    language: str,
) -> tuple[dict, str]:
    """The ranking's spec without its values, and the text the fields it names are looked up
    in (:func:`_compact`): the same for every release whose areas fall in the same categories
    (the bars are ordered by their values as they are drawn), so a release puts only the new
    values in. ``refs``: the reference lines' colours, lowest value first;
    ``language`` keys the words in it."""
    ind = get_indicator(indicator_id)
    data = _Datasets()
    base = alt.Chart()
    best_first: Literal["ascending", "descending"] = (
        "ascending" if ind.direction == "lower" else "descending"
    )
    y = alt.Y("name:N", sort=alt.EncodingSortField("value", op="min", order=best_first), title=None)
    bars = base.mark_bar(stroke=OUTLINE_COLOUR, strokeWidth=0.4).encode(
        x=alt.X("value:Q", title=unit_label(ind.unit)),
        y=y,
        color=_category_colour(legend, legend_title, columns=2),
        tooltip=[
            alt.Tooltip("name:N", title=_("Område")),
            alt.Tooltip("label:N", title=_("Värde (95 % KI)")),
            alt.Tooltip("category:N", title=legend_title),
        ],
    )
    areas = [bars]
    if intervals:
        areas.append(base.mark_rule(color="#1a1a1a").encode(x="ci_low:Q", x2="ci_high:Q", y=y))
    layers = [alt.layer(*areas, data=data([]))]
    layers += _reference_marks(refs, ind.unit, data)
    chart = alt.layer(*layers).properties(width=460, height=alt.Step(16))
    assert list(data.values)[0] == BAR_AREAS
    return _shape(chart, title)


def _legend_title(p: Profile, shade: Shading) -> str:
    """What the colours of ``shade`` say, as the legend's title."""
    return {
        "target": _("Målet: %(target)s") % {"target": target_text(p.target, p.indicator.unit)},
        "nation": _("Jämfört med riket"),
        "value": _("%(unit)s (femtedelar)") % {"unit": unit_label(p.indicator.unit)},
    }[shade.basis]


def _legend(shade: Shading) -> tuple[tuple[str, str], ...]:
    """The label and colour of each of ``shade``'s categories present, in the legend's order."""
    return tuple((shade.labels[c], shade.colours[c]) for c in shade.categories)


def _category_colour(
    legend: tuple[tuple[str, str], ...], title: str, columns: int = 3
) -> alt.Color:
    """The colour channel of categories (:func:`_legend`), its legend under the chart."""
    return alt.Color(
        "category:N",
        title=title,
        scale=alt.Scale(
            domain=[label for label, _colour in legend],
            range=[colour for _label, colour in legend],
        ),
        legend=alt.Legend(
            orient="bottom",
            direction="horizontal",
            columns=columns,
            offset=12,
            symbolType="square",
            symbolStrokeColor=OUTLINE_COLOUR,
            symbolStrokeWidth=0.5,
            labelLimit=200,
            titleLimit=600,
        ),
    )


def judgement_label(category: str) -> str:
    """A category of :data:`JUDGEMENT_COLOURS` as the legend names it."""
    return {
        "better": _("Bättre än riket"),
        "similar": _("I nivå med riket"),
        "worse": _("Sämre än riket"),
        "lower": _("Lägre än riket"),
        "higher": _("Högre än riket"),
        "reached": _("Målet nått"),
        "uncertain": _("Osäkert om målet nåtts"),
        "not_reached": _("Målet inte nått"),
        "not_compared": _("Inte jämförd"),
        "no_value": _("Inget värde"),
    }[category]


def vs_nation(row: OrgResult, p: Profile) -> str | None:
    """``row`` against the nation: better, similar or worse (analysis/compare.py), or lower,
    similar or higher for an indicator where neither direction is better; None when not
    compared (no value, no interval or no national value)."""
    if row.vs_national:
        return row.vs_national
    if p.indicator.direction != "none" or p.national is None:
        return None
    found = compare.vs_national(row.value, row.ci_low, row.ci_high, p.national.value, "higher")
    return {"better": "higher", "worse": "lower"}.get(found or "", found)


def vs_target(row: OrgResult, p: Profile) -> str | None:
    """``row`` against the indicator's target: reached, not_reached or uncertain (None
    without a target or a value)."""
    if p.target is None or row.value is None:
        return None
    if row.target_reached is None:
        return "uncertain"
    return "reached" if row.target_reached else "not_reached"


@dataclass(frozen=True)
class Shading:
    """How the areas of a profile are coloured (``basis``): against the indicator's target
    when it has one ("target"), else against the nation ("nation"), and by the fifth of
    their value only when no area can be compared with either ("value"). ``of`` gives each
    area's category, ``labels`` and ``colours`` each category's legend label and colour in
    the legend's order; ``differs`` says whether any area differs significantly from the
    nation (None: no area could be compared)."""

    basis: str
    of: dict[str, str]
    differs: bool | None
    labels: dict[str, str]
    colours: dict[str, str]

    @property
    def categories(self) -> list[str]:
        """The categories present, in the legend's order."""
        present = set(self.of.values())
        return [c for c in self.labels if c in present]

    def note(self) -> str:
        """What is said beside the figure about its colours: that no area differs from the
        nation, or that the areas could not be compared ('' otherwise)."""
        if self.differs is False:
            return _("Ingen region skiljer sig signifikant från riket.")
        if self.basis == "value" and self.differs is None:
            return _(
                "Regionerna kan inte jämföras med riket; färgen visar vilken femtedel av "
                "regionerna värdet hör till."
            )
        return ""


SHADING_BASES = ("target", "nation", "value")


def shading_bases(p: Profile) -> list[str]:
    """The ways the areas of ``p`` can be coloured (:data:`SHADING_BASES`): against the
    target when there is one, against the nation when some area could be compared with it,
    and always in fifths of their values."""
    judged = any(vs_nation(r, p) is not None for r in p.rows)
    return [
        b
        for b, possible in zip(SHADING_BASES, (p.target is not None, judged, True), strict=True)
        if possible
    ]


def shading(p: Profile, basis: str | None = None) -> Shading:
    """The areas of ``p`` by category (see :class:`Shading`), against the target, the nation
    or in fifths of their values as ``basis`` says (one of :func:`shading_bases`); by
    default against the target, else the nation, else in fifths. Judged areas are never
    shaded by value, so areas that do not differ significantly share one colour."""
    nation = {r.org: vs_nation(r, p) for r in p.rows}
    judged = [v for v in nation.values() if v is not None]
    differs = any(v != "similar" for v in judged) if judged else None
    labels = {c: judgement_label(c) for c in JUDGEMENT_COLOURS}
    if basis is None:
        basis = shading_bases(p)[0]
    elif basis not in shading_bases(p):
        raise ValueError(f"{p.indicator.id} cannot be coloured by {basis!r}")
    if basis == "value":
        return _by_value(p, labels["no_value"], differs)
    of = {}
    for r in p.rows:
        found = vs_target(r, p) if basis == "target" else nation[r.org]
        of[r.org] = found or ("no_value" if r.value is None else "not_compared")
    return Shading(basis, of, differs, labels, JUDGEMENT_COLOURS)


def _by_value(p: Profile, no_value: str, differs: bool | None) -> Shading:
    """The areas of ``p`` in the fifths of their values (:func:`quantile_class`), each class
    labelled with the range of the values in it."""
    values = sorted(r.value for r in p.rows if r.value is not None)
    d = decimals(p.indicator.unit)
    of = {
        r.org: "no_value" if r.value is None else f"class-{quantile_class(values, r.value)}"
        for r in p.rows
    }
    labels, colours = {}, {}
    for i, ink in enumerate(PALETTE):
        inside = [v for v in values if quantile_class(values, v) == i]
        if inside:
            low, high = number(inside[0], d), number(inside[-1], d)
            labels[f"class-{i}"] = low if low == high else f"{low}–{high}"
            colours[f"class-{i}"] = ink
    labels["no_value"], colours["no_value"] = no_value, NO_VALUE
    return Shading("value", of, differs, labels, colours)


def variation(p: Profile, geo: str | dict, title: str) -> dict:
    """One figure of the areas of ``p``: a map beside the areas ranked by value (95 %
    intervals, the nation and the target as dashed rules), both coloured by their judgement
    against the target or the nation (:func:`shading`), one legend under them.
    ``geo``: as for :func:`choropleth`."""
    ind, shade = p.indicator, shading(p)
    rows = [{**row, "category": shade.labels[shade.of[row["org"]]]} for row in _rows(p)]
    legend_title = _legend_title(p, shade)
    colour = _category_colour(_legend(shade), legend_title)
    tooltip = [
        alt.Tooltip("name:N", title=_("Område")),
        alt.Tooltip("label:N", title=_("Värde (95 % KI)")),
        alt.Tooltip("category:N", title=legend_title),
    ]
    data = _Datasets()
    shapes = (
        data(geo["features"])
        if isinstance(geo, dict)
        else alt.UrlData(geo, format=alt.DataFormat(type="json", property="features"))
    )
    lookup = alt.LookupData(data(rows), key="org", fields=["name", "label", "category"])
    area_map = (
        alt.Chart(shapes)
        .mark_geoshape(stroke=OUTLINE_COLOUR, strokeWidth=0.4)
        .transform_lookup(lookup="properties.code", from_=lookup)
        .transform_calculate(name="datum.name || datum.properties.name")
        .encode(
            color=alt.condition("isValid(datum.category)", colour, alt.value(NO_VALUE)),
            tooltip=tooltip,
        )
        .project(type="transverseMercator", rotate=[-15, 0, 0])
        .properties(width=170, height=330)
    )
    shown = [r for r in rows if r["value"] is not None]
    ranking = [
        r["name"] for r in sorted(shown, key=lambda r: r["value"], reverse=ind.direction != "lower")
    ]
    y = alt.Y("name:N", sort=ranking, title=None, axis=alt.Axis(labelLimit=200))
    base = alt.Chart(data(shown))
    layers = [
        base.mark_bar(stroke=OUTLINE_COLOUR, strokeWidth=0.4).encode(
            x=alt.X("value:Q", title=unit_label(ind.unit)), y=y, color=colour, tooltip=tooltip
        )
    ]
    if any(r["ci_low"] is not None for r in shown):
        layers.append(base.mark_rule(color=NATION_COLOUR).encode(x="ci_low:Q", x2="ci_high:Q", y=y))
    layers += _references(p, data)
    bars = alt.layer(*layers).properties(width=250, height=alt.Step(15))
    chart = alt.hconcat(area_map, bars, spacing=24).resolve_scale(color="shared")
    if shade.note():  # said under the legend, where the colours are read
        chart = chart.properties(
            title=alt.TitleParams(
                shade.note(),
                orient="bottom",
                anchor="start",
                fontSize=11,
                fontWeight="normal",
                offset=10,
                limit=620,
            )
        )
    return _spec(chart, title, data)


def _references(p: Profile, data: _Datasets) -> list:
    """The nation and the target as dashed vertical rules (:func:`_reference_marks`), their
    values in ``data``."""
    refs = _reference_lines(p)
    marks = _reference_marks(tuple(ink for _v, _what, ink in refs), p.indicator.unit, data)
    names = list(data.values)[len(data.values) - len(refs) :]  # the datasets made for them
    for (value, what, _ink), name in zip(refs, names, strict=True):
        data.values[name].append({"what": what, "value": value})
    return marks


def _reference_lines(p: Profile) -> list[tuple[float, str, str]]:
    """The nation's value and the target's (those there are) with their names and colours,
    lowest first."""
    refs = [
        (value, what, ink)
        for what, value, ink in (
            (_("Riket"), p.national.value if p.national else None, NATION_COLOUR),
            (_("Mål"), p.target.value if p.target else None, TARGET_COLOUR),
        )
        if value is not None
    ]
    return sorted(refs, key=lambda ref: ref[0])


def _reference_marks(inks: tuple[str, ...], unit: str, data: _Datasets) -> list:
    """Dashed vertical rules for reference lines (``inks``: their colours, lowest value
    first), each named at the top and reading its name and value from a dataset of its own
    (one row of ``what`` and ``value``), made empty in ``data`` in the order of ``inks``. The
    lower one's name stands left of its rule and the higher one's right of it, so the two
    names never overlap however close the values are."""
    marks = []
    for i, ink in enumerate(inks):
        ref = alt.Chart(data([]))
        marks.append(
            ref.mark_rule(color=ink, strokeDash=[6, 3], strokeWidth=2).encode(
                x="value:Q",
                tooltip=[
                    alt.Tooltip("what:N", title=" "),
                    alt.Tooltip("value:Q", format=value_format(unit)),
                ],
            )
        )
        left = len(inks) > 1 and i == 0
        marks.append(
            ref.mark_text(
                align="right" if left else "left",
                dx=-3 if left else 3,
                dy=-4,
                baseline="bottom",
                color=ink,
            ).encode(x="value:Q", y=alt.value(0), text="what:N")
        )
    return marks


def _period_field(ind: Indicator) -> alt.X:
    return alt.X(
        "when:O",
        title=_("Period"),
        sort=None,
        axis=alt.Axis(labelAngle=0 if ind.period_type == "year" else -45, labelOverlap="greedy"),
    )


def _labelled(rows: list[dict]) -> tuple[list[dict], list[str]]:
    """Rows with ``when``, their period as people read it ("31 december 2022") for axes and
    tooltips (``period`` keeps the code), and those labels in time order."""
    out = [{**row, "when": period_label(row["period"])} for row in rows]
    order = sorted({row["period"] for row in rows}, key=period_end)
    return out, [period_label(per) for per in order]


def _segmented(ind: Indicator, rows: list[dict], line: tuple[str, ...]) -> list[dict]:
    """Rows with ``segment``, which splits a line where the indicator's series breaks (a line
    joins only rows of one segment, catalog/breaks.py), and ``single``: the row is the only
    one of its piece of line (fields ``line`` name the line), so it is drawn as a dot."""
    out = [{**row, "segment": segment(ind, row["period"])} for row in rows]
    pieces = Counter((*(row[k] for k in line), row["segment"]) for row in out)
    for row in out:
        row["single"] = pieces[(*(row[k] for k in line), row["segment"])] == 1
    return out


def _break_rows(ind: Indicator, periods: list[str]) -> list[dict]:
    """One row per break among the periods shown, at the first period after it (``when``),
    with the label and the reason in the active language."""
    lang = current()
    return [
        {
            "when": period_label(per),
            "break_label": BREAK_WORDS[lang],
            "break_reason": " ".join(b.reason[lang] for b in found),
        }
        for per, found in first_after_breaks(ind, periods).items()
    ]


def _break_marks(x: alt.X, labelled: bool = True) -> list:
    """A dashed rule at each break (rows from :func:`_break_rows`, or rows with
    ``break_label``), labelled "Tidsseriebrott" at the top; pointing at it gives the reason."""
    tooltip = [
        alt.Tooltip("break_label:N", title=" "),
        alt.Tooltip("break_reason:N", title=_("Varför")),
    ]
    marks = [
        alt.Chart()
        .mark_rule(color=BREAK_COLOUR, strokeDash=[4, 3], strokeWidth=1.5)
        .encode(x=x, tooltip=tooltip)
        .transform_filter("datum.break_label")
    ]
    if labelled:
        marks.append(
            alt.Chart()
            .mark_text(align="left", baseline="top", dx=3, dy=1, fontSize=10, color=BREAK_COLOUR)
            .encode(x=x, y=alt.value(0), text="break_label:N")
            .transform_filter("datum.break_label")
        )
    return marks


def trend_lines(
    ind: Indicator, series: list[dict], title: str, highlight: str | None = None
) -> dict:
    """One line per area over the periods (``series``: name, period, value), the nation drawn
    bold; pointing at a line brings it forward. ``highlight`` names an area drawn in colour.
    An area's line is split where the series breaks, with a dashed rule there."""
    codes = [row["period"] for row in series]
    series, periods = _labelled(_segmented(ind, series, ("name",)))
    breaks = _break_rows(ind, codes)
    shape, named = _trend_lines(ind.id, tuple(periods), highlight, title, bool(breaks), current())
    datasets = {TREND_DATA: _compact(series, named)}
    if breaks:
        datasets[TREND_BREAKS] = _compact(breaks, named)
    return {**shape, "datasets": datasets}


TREND_DATA, TREND_BREAKS = "data-1", "data-2"


@functools.lru_cache(maxsize=256)
def _trend_lines(
    indicator_id: str,
    periods: tuple[str, ...],
    highlight: str | None,
    title: str,
    breaks: bool,
    language: str,
) -> tuple[dict, str]:
    """The trend lines' spec without their values, and the text the fields it names are
    looked up in (:func:`_compact`): the same for every release that adds no period, so a
    release puts only the new values in (Altair takes a fifth of a second over the drawing).
    ``language`` keys the words in it."""
    ind = get_indicator(indicator_id)
    hover = alt.selection_point(
        fields=["name"], on="pointerover", clear="pointerout", nearest=True, empty=False
    )
    nation, chosen = _("Riket"), highlight or ""
    is_nation, is_chosen = f"datum.name === {nation!r}", f"datum.name === {chosen!r}"
    colour = (
        alt.when(is_nation)
        .then(alt.value(NATION_COLOUR))
        .when(hover)
        .then(alt.value(REGION_COLOUR))
        .when(is_chosen)
        .then(alt.value(TARGET_COLOUR))
        .otherwise(alt.value("#b8c4d0"))
    )
    width = (
        alt.when(f"{is_nation} || {is_chosen}")
        .then(alt.value(3))
        .when(hover)
        .then(alt.value(2.5))
        .otherwise(alt.value(1))
    )
    x = _period_field(ind).sort(list(periods))
    data = _Datasets()
    base = alt.Chart(data([])).encode(
        x=x,
        y=alt.Y("value:Q", title=unit_label(ind.unit), scale=alt.Scale(zero=False)),
        detail="name:N",
    )
    lines = base.mark_line().encode(color=colour, strokeWidth=width, detail=["name:N", "segment:N"])
    points = (
        base.mark_circle(size=40)
        .encode(
            color=colour,
            # invisible but for pointing, except a value alone between breaks (no line to it)
            opacity=alt.when("datum.single").then(alt.value(0.9)).otherwise(alt.value(0)),
            tooltip=[
                alt.Tooltip("name:N", title=_("Område")),
                alt.Tooltip("when:O", title=_("Period")),
                alt.Tooltip("value:Q", title=_("Värde"), format=value_format(ind.unit)),
            ],
        )
        .add_params(hover)
    )
    layers = [lines, points]
    if breaks:
        at_breaks = data([])  # TREND_BREAKS, one dataset for the rule and its label
        layers += [m.properties(data=at_breaks) for m in _break_marks(x)]
    chart = alt.layer(*layers).properties(width=460, height=260)
    return _shape(chart, title)


# the chosen areas of the comparison over time, in colours apart from the nation's black
# (ColorBrewer "Dark2", then "Set1"'s blue and brown: twelve colours that print apart)
AREA_COLOURS = (
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
    "#a6761d", "#377eb8", "#984ea3", "#e41a1c", "#4daf4a", "#a65628",
)  # fmt: skip


def over_time(ind: Indicator, series: list[dict], title: str) -> dict:
    """Chosen areas and the nation over every published period (``series``: name, period,
    value, ci_low, ci_high), each area a line in its own colour with its 95 % interval as a
    band, the nation in black; a line is split where the series breaks."""
    codes = [row["period"] for row in series]
    series, periods = _labelled(_segmented(ind, series, ("name",)))
    d = decimals(ind.unit)
    for row in series:
        row["shown"] = with_interval_values(row["value"], row["ci_low"], row["ci_high"], d)
    nation = _("Riket")
    names = list(dict.fromkeys(row["name"] for row in series if row["name"] != nation))
    domain = [*names, nation] if any(row["name"] == nation for row in series) else names
    colours = [AREA_COLOURS[i % len(AREA_COLOURS)] for i in range(len(names))]
    colour = alt.Color(
        "name:N",
        title=None,
        scale=alt.Scale(domain=domain, range=[*colours, NATION_COLOUR][: len(domain)]),
        legend=alt.Legend(
            orient="bottom", columns=2, labelLimit=260, symbolOpacity=1, symbolType="circle"
        ),
    )
    x = _period_field(ind).sort(periods)
    data = _Datasets()
    base = alt.Chart(data(series)).encode(x=x, color=colour)
    y = alt.Y("value:Q", title=unit_label(ind.unit), scale=alt.Scale(zero=False))
    layers = []
    if any(row["ci_low"] is not None for row in series):
        layers.append(
            base.mark_area(opacity=0.15)
            .encode(y=alt.Y("ci_low:Q", title=unit_label(ind.unit)), y2="ci_high:Q")
            .encode(detail=["name:N", "segment:N"])
            .transform_filter("isValid(datum.ci_low)")
        )
    layers += [
        base.mark_line(strokeWidth=2).encode(y=y, detail=["name:N", "segment:N"]),
        base.mark_circle(size=36, opacity=0.9).encode(
            y=y,
            tooltip=[
                alt.Tooltip("name:N", title=_("Område")),
                alt.Tooltip("when:O", title=_("Period")),
                alt.Tooltip("shown:N", title=_("Värde (95 % KI)")),
            ],
        ),
    ]
    breaks = _break_rows(ind, codes)
    if breaks:
        layers += [m.properties(data=data(breaks)) for m in _break_marks(x)]
    chart = alt.layer(*layers).properties(width=460, height=240)
    return _spec(chart, title, data)


def with_interval_values(
    value: float | None, low: float | None, high: float | None, places: int
) -> str:
    """'54,3 (52,1–56,4)' from the numbers; '54,3' without an interval, '–' without a value."""
    if value is None:
        return "–"
    if low is None or high is None:
        return number(value, places)
    return f"{number(value, places)} ({number(low, places)}–{number(high, places)})"


def sparkline(ind: Indicator, points: list[dict], title: str) -> dict:
    """A small national trend (``points``: period, value), the line split where the series
    breaks, with an unlabelled rule there."""
    breaks = _break_rows(ind, [p["period"] for p in points])
    points, order = _labelled([{**p, "segment": segment(ind, p["period"])} for p in points])
    x = alt.X("when:O", sort=order, axis=None)
    data = _Datasets()
    base = alt.Chart(data(points)).encode(
        x=x,
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
    )
    layers = [
        base.mark_line(color=REGION_COLOUR, strokeWidth=2).encode(detail="segment:N"),
        base.mark_circle(color=REGION_COLOUR, size=18).encode(
            tooltip=[
                alt.Tooltip("when:O", title=_("Period")),
                alt.Tooltip("value:Q", title=_("Värde"), format=value_format(ind.unit)),
            ]
        ),
    ]
    if breaks:
        layers += [m.properties(data=data(breaks)) for m in _break_marks(x, labelled=False)]
    return _spec(alt.layer(*layers).properties(width=150, height=40), title, data)


MANY_PERIODS = 12  # a panel with more periods (months) labels only each year's first
# (panels up to, columns, panel width, characters a title wraps at: about the panel's width)
SMALL_MULTIPLES = ((12, 3, 200, 32), (None, 4, 150, 24))


def region_vs_nation(series: list[dict], title: str, group: str | None = None) -> dict:
    """Small multiples, one per indicator (``series``: indicator, period, who, value, unit, and
    ``id``, the indicator's id): the region against the nation over the published periods
    (and against its group of areas, the ``who`` named ``group``, in a colour of its own),
    each line split where its indicator's series breaks, with a dashed rule there, each line
    in its own colour however the names sort. Panels stand in three columns, in four when
    there are more than twelve, so that the chart fits a page.

    Each panel's title is the indicator's whole name over as many lines as it needs. A panel
    of many periods (months) has a point only where a line has none, and its axis names only
    each year's first period; the table beside the chart has every value."""
    series, order = _labelled(_with_breaks(series))
    periods: dict[str, list[str]] = {}
    for row in series:
        periods.setdefault(row["indicator"], []).append(row["period"])
    many = {name for name, codes in periods.items() if len(set(codes)) > MANY_PERIODS}
    labelled = _axis_labels(series, many)
    columns, width, wrap = next(
        layout[1:] for layout in SMALL_MULTIPLES if layout[0] is None or len(periods) <= layout[0]
    )
    nation = _("Riket")
    areas = [*sorted({row["who"] for row in series} - {nation, group}), nation]
    colours = [REGION_COLOUR] * (len(areas) - 1) + [NATION_COLOUR]
    if group is not None and any(row["who"] == group for row in series):
        areas.insert(-1, group)
        colours.insert(-1, GROUP_COLOUR)
    panel_of = {name: "\n".join(textwrap.wrap(name, wrap)) for name in periods}
    series = [
        {
            **row,
            "shown": number(row["value"], decimals(row.get("unit"))),
            "panel": panel_of[row["indicator"]],
            "dot": row["indicator"] not in many,
        }
        for row in series
    ]
    panels = [row["panel"] for row in sorted(series, key=lambda row: row["indicator"])]
    shape, named = _small_multiples(
        tuple(order),
        tuple(labelled),
        tuple(areas),
        tuple(colours),
        tuple(dict.fromkeys(panels)),
        columns,
        width,
        title,
        current(),
    )
    return {**shape, "datasets": {SMALL_MULTIPLES_DATA: _compact(series, named)}}


SMALL_MULTIPLES_DATA = "data-1"


@functools.lru_cache(maxsize=256)
def _small_multiples(
    order: tuple[str, ...],
    labelled: tuple[str, ...],
    areas: tuple[str, ...],
    colours: tuple[str, ...],
    panels: tuple[str, ...],
    columns: int,
    width: int,
    title: str,
    language: str,
) -> tuple[dict, str]:
    """The small multiples' spec without their values, and the text the fields it names are
    looked up in (:func:`_compact`): the same for every release that changes no period, area
    or panel, so a release draws only the values again, not the chart (Altair takes a fifth
    of a second over it). ``language`` keys the words in it."""
    data = _Datasets()
    x = alt.X(
        "when:O", title=None, sort=list(order), axis=alt.Axis(labelAngle=-45, values=list(labelled))
    )
    base = alt.Chart().encode(
        x=x,
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        color=alt.Color(
            "who:N",
            title=None,
            scale=alt.Scale(domain=list(areas), range=list(colours)),
            legend=alt.Legend(orient="top"),
        ),
        tooltip=[
            # the panel's title, its lines shown as one
            alt.Tooltip("panel:N", title=_("Indikator")),
            alt.Tooltip("who:N", title=_("Område")),
            alt.Tooltip("when:O", title=_("Period")),
            alt.Tooltip("shown:N", title=_("Värde")),
        ],
    )
    chart = (
        alt.layer(
            base.mark_line().encode(detail="segment:N"),
            base.mark_point(filled=True, size=30).transform_filter("datum.dot"),
            *_break_marks(x),
            data=data([]),
        )
        .properties(width=width, height=110)
        .facet(
            facet=alt.Facet(
                "panel:N",
                title=None,
                sort=list(panels),
                # whole names, one line per row of the title: nothing cut, nothing measured
                # again and again to find where to cut it
                header=alt.Header(labelLimit=0, labelExpr="split(datum.label, '\\n')"),
            ),
            columns=columns,
        )
        .resolve_scale(y="independent", x="independent")
    )
    spec, named = _shape(chart, title)
    assert spec.get("data", {}).get("name") == SMALL_MULTIPLES_DATA
    return spec, named


def _axis_labels(series: list[dict], many: set[str]) -> list[str]:
    """The period labels (``when``) the small multiples' axes name: every period of a panel
    with few, and the first of each year of a panel in ``many``."""
    out: dict[str, None] = {}
    first: set[tuple[str, str]] = set()
    for row in sorted(series, key=lambda row: period_end(row["period"])):
        year = row["period"][:4]
        if row["indicator"] not in many:
            out[row["when"]] = None
        elif (row["indicator"], year) not in first:
            first.add((row["indicator"], year))
            out[row["when"]] = None
    return list(out)


def _with_breaks(series: list[dict]) -> list[dict]:
    """Rows of several indicators (``id``; rows without one have no breaks) with their
    ``segment``, and the break's ``break_label`` and ``break_reason`` on one row of each first
    period after a break."""
    out: list[dict] = []
    lang = current()
    for indicator_id in dict.fromkeys(row.get("id") for row in series):
        rows = [row for row in series if row.get("id") == indicator_id]
        if indicator_id is None:
            out += [{**row, "segment": 0} for row in rows]
            continue
        ind = get_indicator(indicator_id)
        found = first_after_breaks(ind, [row["period"] for row in rows])
        for row in rows:
            row = {**row, "segment": segment(ind, row["period"])}
            if row["period"] in found:
                row["break_label"] = BREAK_WORDS[lang]
                row["break_reason"] = " ".join(b.reason[lang] for b in found.pop(row["period"]))
            out.append(row)
    return out


SPREAD_COLOUR = "#d9d9d9"  # a spine's whole range of areas
# a spine's indicator names no wider than the box the chart is drawn in (not than the chart's
# own width, which a fitted chart works out from its marks: the two would chase each other)
NAME_LIMIT = alt.ExprRef(expr="containerSize()[0] > 40 ? containerSize()[0] - 24 : 540")
QUARTILES_COLOUR = "#969696"  # a spine's middle half of areas


def spine(items: list[tuple[str, Profile, OrgResult, Spread]], title: str) -> dict:
    """One area against every indicator's spread in the Fingertips manner (``items``: the
    indicator's name, its profile for the area's level, the area's row, with a value, and
    the spread of the areas, analysis/spread.py; the profile has a national value): per
    indicator a light bar from the lowest to the highest area, a darker one over the middle
    half, the nation as a black line in the middle, the target as a red diamond, and the
    area as a circle coloured by its comparison with the nation. Each bar is scaled so that
    the nation stands in the middle and the farther end of the spread at the edge; better is
    always to the right (higher where neither direction is better)."""
    rows = []
    for name, p, row, found in items:
        assert p.national is not None and p.national.value is not None and row.value is not None
        ind, centre = p.indicator, p.national.value

        def at(value: float, found=found, centre=centre, ind=ind) -> float:
            return round(found.position(value, centre, ind.direction), 4)

        ends = sorted((at(found.lowest), at(found.highest)))
        middle = sorted((at(found.q1), at(found.q3)))
        d = decimals(ind.unit)
        rows.append(
            {
                "indicator": name,
                "range_from": ends[0],
                "range_to": ends[1],
                "middle_from": middle[0],
                "middle_to": middle[1],
                "own": max(-1.0, min(1.0, at(row.value))),
                "target": max(-1.0, min(1.0, at(p.target.value))) if p.target else None,
                "category": judgement_label(vs_nation(row, p) or "not_compared"),
                "value": with_interval(row, ind.unit),
                "nation": number(centre, d),
                "spread": f"{number(found.lowest, d)}–{number(found.highest, d)}",
                "goal": target_text(p.target, ind.unit) if p.target else "–",
            }
        )
    order = tuple(name for name, _p, _row, _found in items)
    categories = tuple(
        c for c in NATION_JUDGEMENTS if any(r["category"] == judgement_label(c) for r in rows)
    )
    shape, named = _spine(order, categories, title, current())
    return {**shape, "datasets": {SPINE_DATA: _compact(rows, named)}}


SPINE_DATA = "data-1"


@functools.lru_cache(maxsize=256)
def _spine(
    order: tuple[str, ...], categories: tuple[str, ...], title: str, language: str
) -> tuple[dict, str]:
    """The spine chart's spec without its values, and the text the fields it names are looked
    up in (:func:`_compact`): the same for every release that changes no indicator's name or
    the comparisons present, so a release puts only the new values in. ``language`` keys the
    words in it."""
    tooltip = [
        alt.Tooltip("indicator:N", title=_("Indikator")),
        alt.Tooltip("value:N", title=_("Värde (95 % KI)")),
        alt.Tooltip("nation:N", title=_("Riket")),
        alt.Tooltip("spread:N", title=_("Lägst–högst")),
        alt.Tooltip("goal:N", title=_("Mål")),
        alt.Tooltip("category:N", title=_("Jämfört med riket")),
    ]
    data = _Datasets()
    x = alt.Scale(domain=[-1.05, 1.05], nice=False)
    # each indicator's name above its bar, as wide as the chart: a phone's narrow chart
    # (charts.js refits it) keeps its whole width for the bars
    y = alt.Y("indicator:N", sort=list(order), title=None, axis=None)
    base = alt.Chart(data([])).encode(y=y)
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False)
    layers = [
        base.mark_text(
            align="left", baseline="bottom", dy=-8, fontSize=11, limit=NAME_LIMIT
        ).encode(x=alt.datum(-1.05), text="indicator:N"),
        base.mark_bar(color=SPREAD_COLOUR, height=12).encode(
            x=alt.X(
                "range_from:Q",
                scale=x,
                axis=axis,
                title=_("← sämre (lägre) · riket · bättre (högre) →"),
            ),
            x2="range_to:Q",
            tooltip=tooltip,
        ),
        base.mark_bar(color=QUARTILES_COLOUR, height=12).encode(
            x="middle_from:Q", x2="middle_to:Q", tooltip=tooltip
        ),
        base.mark_tick(color=NATION_COLOUR, thickness=2, size=18).encode(
            x=alt.datum(0), tooltip=tooltip
        ),
        base.mark_point(shape="diamond", filled=True, size=90, color=TARGET_COLOUR)
        .encode(x="target:Q", tooltip=tooltip)
        .transform_filter("isValid(datum.target)"),
        base.mark_circle(size=110, stroke=NATION_COLOUR, strokeWidth=0.8, opacity=1).encode(
            x="own:Q",
            color=alt.Color(
                "category:N",
                title=_("Jämfört med riket"),
                scale=alt.Scale(
                    domain=[judgement_label(c) for c in categories],
                    range=[JUDGEMENT_COLOURS[c] for c in categories],
                ),
                legend=alt.Legend(
                    orient="bottom", direction="horizontal", columns=2, symbolType="circle"
                ),
            ),
            tooltip=tooltip,
        ),
    ]
    chart = alt.layer(*layers).properties(width=560, height=alt.Step(36))
    assert list(data.values) == [SPINE_DATA]
    return _shape(chart, title)


def comparison(rows: list[dict], title: str) -> dict:
    """Chosen areas per indicator as points with 95 % intervals (``rows``: indicator, name,
    value, ci_low, ci_high, label), one panel per indicator, the nation in black."""
    data = _Datasets()
    base = alt.Chart().encode(y=alt.Y("name:N", title=None, sort=None))
    colour = alt.condition(
        f"datum.name === {_('Riket')!r}", alt.value(NATION_COLOUR), alt.value(REGION_COLOUR)
    )
    layers = alt.layer(
        base.mark_rule()
        .encode(
            x=alt.X("ci_low:Q", title=None, scale=alt.Scale(zero=False)),
            x2="ci_high:Q",
            color=colour,
        )
        .transform_filter("isValid(datum.ci_low)"),
        base.mark_point(filled=True, size=70).encode(
            x="value:Q",
            color=colour,
            tooltip=[
                alt.Tooltip("indicator:N", title=_("Indikator")),
                alt.Tooltip("name:N", title=_("Område")),
                alt.Tooltip("label:N", title=_("Värde (95 % KI)")),
            ],
        ),
        data=data(rows),
    ).properties(width=420, height=alt.Step(22))
    order = list(dict.fromkeys(r["indicator"] for r in rows))  # as chosen, like the table
    chart = layers.facet(
        row=alt.Row(
            "indicator:N",
            title=None,
            sort=order,
            header=alt.Header(
                labelAngle=0,
                labelAlign="left",
                labelAnchor="start",
                labelOrient="top",
                labelFontWeight="bold",
                labelLimit=420,
            ),
        )
    ).resolve_scale(x="independent")
    return _spec(chart, title, data)


def stacked_shares(rows: list[dict], title: str, colours: list[str]) -> dict:
    """Horizontal 100 % bars (``rows``: label, option, percent, order), e.g. yes/no per
    question."""
    return _stacked(rows, title, colours, share=True)


def stacked_counts(rows: list[dict], title: str, colours: list[str]) -> dict:
    """Horizontal stacked counts (``rows``: label, option, percent = the count, order), e.g.
    initiatives per area and stage."""
    return _stacked(rows, title, colours, share=False)


def _stacked(rows: list[dict], title: str, colours: list[str], share: bool) -> dict:
    data = _Datasets()
    options = []
    for r in sorted(rows, key=lambda r: r["order"]):
        if r["option"] not in options:
            options.append(r["option"])
    chart = (
        alt.Chart(data(rows))
        .mark_bar()
        .encode(
            x=alt.X(
                "percent:Q",
                stack="zero",
                title="%" if share else _("Antal"),
                scale=alt.Scale(domain=[0, 100]) if share else alt.Undefined,
                axis=alt.Axis(tickMinStep=1),
            ),
            y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "option:N",
                title=None,
                sort=options,
                scale=alt.Scale(domain=options, range=colours[: len(options)]),
                # rows of four: a survey whose questions have many answers, some long, still
                # fits the page instead of widening the chart beyond it
                legend=alt.Legend(orient="top", columns=4),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("option:N", title=" "),
                alt.Tooltip("percent:Q", title="%" if share else _("Antal"), format=".0f"),
            ],
        )
        .properties(width=360, height=alt.Step(22))
    )
    return _spec(chart, title, data)


def transition_matrix(cells: list[dict], title: str) -> dict:
    """Initiatives by their stage in the round before (rows) and their stage now, or ended or
    merged (columns), as a grid of counts (``cells``: before, after, n, before_order,
    after_order; see analysis/transitions.py)."""
    befores = [c["before"] for c in sorted(cells, key=lambda c: c["before_order"])]
    afters = [c["after"] for c in sorted(cells, key=lambda c: c["after_order"])]
    befores, afters = list(dict.fromkeys(befores)), list(dict.fromkeys(afters))
    high = max((c["n"] for c in cells), default=0)
    data = _Datasets()
    base = alt.Chart(data(cells)).encode(
        x=alt.X(
            "after:N",
            sort=afters,
            title=_("Nu"),
            axis=alt.Axis(orient="top", labelAngle=-30, labelAlign="left", labelLimit=140),
        ),
        y=alt.Y("before:N", sort=befores, title=_("I förra rapporten")),
    )
    rects = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color(
            "n:Q", scale=alt.Scale(range=[PALETTE[0], PALETTE[-1]], domainMin=0), legend=None
        ),
        tooltip=[
            alt.Tooltip("before:N", title=_("I förra rapporten")),
            alt.Tooltip("after:N", title=_("Nu")),
            alt.Tooltip("n:Q", title=_("Antal insatser")),
        ],
    )
    text = base.mark_text(fontWeight="bold").encode(
        text="n:Q",
        color=alt.condition(f"datum.n > {high / 2}", alt.value("#ffffff"), alt.value("#1a1a1a")),
    )
    chart = (rects + text).properties(width=alt.Step(64), height=alt.Step(30))
    return _spec(chart, title, data)

"""The shipped reference data: counts, codes, structure."""

import re

from naravard.refdata import files, geometry


def test_21_regions_with_unique_two_digit_codes():
    regions = files.regions()
    codes = [r.code for r in regions]
    assert len(regions) == 21
    assert len(set(codes)) == 21
    assert all(re.fullmatch(r"\d{2}", c) for c in codes)
    assert set(codes) == {
        "01",
        "03",
        "04",
        "05",
        "06",
        "07",
        "08",
        "09",
        "10",
        "12",
        "13",
        "14",
        "17",
        "18",
        "19",
        "20",
        "21",
        "22",
        "23",
        "24",
        "25",
    }
    assert {r.name for r in regions} >= {
        "Region Sörmland",
        "Västra Götalandsregionen",
        "Region Jämtland Härjedalen",
    }


def test_290_municipalities_each_in_a_county():
    municipalities = files.municipalities()
    region_codes = {r.code for r in files.regions()}
    codes = [m.code for m in municipalities]
    assert len(municipalities) == 290
    assert len(set(codes)) == 290
    assert all(re.fullmatch(r"\d{4}", c) for c in codes)
    for m in municipalities:
        assert m.region_code in region_codes, m
        assert m.code[:2] == m.region_code, m
    per_county = {}
    for m in municipalities:
        per_county[m.region_code] = per_county.get(m.region_code, 0) + 1
    assert per_county["14"] == 49 and per_county["09"] == 1 and per_county["12"] == 33


# SCB's population of Sweden on 31 December
NATIONAL = {
    2019: 10_327_589,
    2020: 10_379_295,
    2021: 10_452_326,
    2022: 10_521_556,
    2023: 10_551_707,
    2024: 10_587_710,
}


def test_population_adds_up():
    rows = list(files.population())
    assert {r.year for r in rows} == set(NATIONAL)
    totals = {
        (r.year, r.level, r.code): r.population
        for r in rows
        if r.sex == "total" and r.age_band == "total"
    }
    for year, national in NATIONAL.items():
        of_year = {(level, code): v for (y, level, code), v in totals.items() if y == year}
        assert len(of_year) == 21 + 290
        assert sum(v for (level, _), v in of_year.items() if level == "region") == national
        assert sum(v for (level, _), v in of_year.items() if level == "municipality") == national
    assert totals[(2019, "municipality", "0180")] == 974_073
    # 2019 by sex and age; the later years are totals (SOURCES.md, section 5)
    cells = {(r.level, r.code, r.sex, r.age_band): r.population for r in rows if r.year == 2019}
    for (year, level, code), total in totals.items():
        if year != 2019:
            continue
        assert (
            cells[(level, code, "men", "total")] + cells[(level, code, "women", "total")] == total
        )
        assert sum(cells[(level, code, "total", b)] for b in files.AGE_BANDS) == total


def test_boundaries_cover_every_code():
    assert {f["properties"]["code"] for f in files.geojson("region")["features"]} == {
        r.code for r in files.regions()
    }
    assert {f["properties"]["code"] for f in files.geojson("municipality")["features"]} == {
        m.code for m in files.municipalities()
    }


def test_svg_map_fits_its_view_box():
    svg = geometry.svg_map("region", width=300)
    assert len(svg.shapes) == 21
    numbers = [float(n) for s in svg.shapes for n in re.findall(r"-?\d+\.\d", s.path)]
    assert min(numbers) >= 0
    assert max(numbers) <= max(svg.width, svg.height) + 0.1
    assert svg.height > svg.width  # Sweden is tall

"""The PxWeb API's aggregation code lists: groups of regions (NUTS 2) and of municipalities
(SKR's municipality groups), ``outputValues`` aggregated or single, and disclosure control
that holds for the groups' sums as it does for the areas."""

import json

import pytest
from pyjstat import pyjstat

from naravard.analysis.intervals import wilson
from naravard.engine.disclosure import Relation
from naravard.ingest.models import IndicatorValue
from naravard.publish.open_data import public_profile
from naravard.refdata import files
from naravard.refdata.groupings import by_pxweb_id
from tests.engine.audit import determined
from tests.opendata.test_pxweb import cell, cells

pytestmark = pytest.mark.django_db
BASE = "/api/v2"
NUTS = "agg_RegionNUTS2_2008"
SKR = "agg_RegionKommungrupp2023"
KON = {"1": "M", "2": "K", "1+2": "T"}


def get(client, table: str, **params):
    response = client.get(f"{BASE}/tables/{table}/data", params)
    assert response.status_code == 200, response.content
    return response.json()


def stored(indicator: str, period: str) -> dict[tuple[str, str], IndicatorValue]:
    return {
        (v.org_code, v.sex): v
        for v in IndicatorValue.objects.filter(
            indicator_id=indicator, period=period, is_current=True
        )
    }


def hidden_areas(indicator: str, period: str, level: str) -> set[tuple[str, str]]:
    out = set()
    for sex in ("T", "K", "M"):
        p = public_profile(indicator, period, sex, level, trends=False)
        out |= {(r.org, sex) for r in p.rows + [p.national] if r and r.suppressed}
    return out


# --- the code lists ------------------------------------------------------------------------


def test_the_aggregation_code_lists_list_each_groups_members(client, released_named_doctor):
    body = client.get(f"{BASE}/codelists/{NUTS}").json()
    assert body["type"] == "Aggregation" and body["label"] == "Riksområden (NUTS 2)"
    assert len(body["values"]) == 8
    sydsverige = next(v for v in body["values"] if v["code"] == "SE22")
    assert sydsverige == {"code": "SE22", "label": "Sydsverige", "valueMap": ["10", "12"]}
    skr = client.get(f"{BASE}/codelists/{SKR}?lang=en").json()
    assert skr["type"] == "Aggregation" and len(skr["values"]) == 9
    assert sum(len(v["valueMap"]) for v in skr["values"]) == 290
    assert skr["values"][0] == {
        "code": "A1",
        "label": "Large cities",
        "valueMap": ["0180", "1280", "1480"],
    }
    # the table's Region names its code lists, the value sets first; a region-only table
    # has no municipality groups
    region = client.get(f"{BASE}/tables/named_doctor_share/metadata").json()["dimension"]["Region"]
    listed = {c["id"]: c["type"] for c in region["extension"]["codelists"]}
    assert listed == {
        "vs_Riket": "Valueset",
        "vs_Regioner": "Valueset",
        "vs_Kommuner": "Valueset",
        NUTS: "Aggregation",
        SKR: "Aggregation",
    }
    missing = client.get(f"{BASE}/codelists/agg_Nothing").json()
    assert missing["status"] == 404 and NUTS in missing["detail"] and SKR in missing["detail"]


# --- aggregated values ---------------------------------------------------------------------


def test_a_group_is_its_members_summed_with_its_interval(client, released_named_doctor):
    data = get(
        client,
        "named_doctor_share",
        **{"codelist[Region]": NUTS, "valueCodes[Region]": "SE22,SE23", "valueCodes[Kon]": "*"},
        **{"valueCodes[ContentsCode]": "*"},
    )
    region = data["dimension"]["Region"]["category"]
    assert region["label"] == {"SE22": "Sydsverige", "SE23": "Västsverige"}
    assert any("beräknade av naravard" in note for note in data["note"])
    values = stored("named_doctor_share", "2021-12-31")
    by_codes = cells(data)
    for group, members in (("SE22", ("10", "12")), ("SE23", ("13", "14"))):
        for code, sex in KON.items():
            num = sum(values[(m, sex)].numerator for m in members)
            den = sum(values[(m, sex)].denominator for m in members)
            value = cell(by_codes, Region=group, Kon=code, ContentsCode="value", Tid="2021")
            assert value == (pytest.approx(100 * num / den), None)
            low, high = wilson(num, den)
            got = cell(by_codes, Region=group, Kon=code, ContentsCode="ci_low", Tid="2021")
            assert got[0] == pytest.approx(100 * low)
            got = cell(by_codes, Region=group, Kon=code, ContentsCode="ci_high", Tid="2021")
            assert got[0] == pytest.approx(100 * high)
    # no value codes: every group
    every = get(client, "named_doctor_share", **{"codelist[Region]": NUTS})
    assert list(every["dimension"]["Region"]["category"]["index"]) == [
        "SE11", "SE12", "SE21", "SE22", "SE23", "SE31", "SE32", "SE33",
    ]  # fmt: skip


def test_a_group_that_would_give_away_a_hidden_cell_is_hidden(client, released_named_doctor):
    hidden = hidden_areas("named_doctor_share", "2021-12-31", "region")
    assert ("06", "K") in hidden  # Jönköping's three women (conftest)
    data = get(
        client,
        "named_doctor_share",
        **{"codelist[Region]": NUTS, "valueCodes[Kon]": "*"},
    )
    by_codes = cells(data)
    shown = {
        (group, KON[code])
        for group in data["dimension"]["Region"]["category"]["index"]
        for code in KON
        if cell(by_codes, Region=group, Kon=code, ContentsCode="value", Tid="2021")[1] is None
    }
    # Småland med öarna holds Jönköping: its women's sum less the three other regions
    # would be Jönköping's women
    assert ("SE21", "K") not in shown
    assert cell(by_codes, Region="SE21", Kon="2", ContentsCode="value", Tid="2021") == (None, "..")
    assert ("SE22", "T") in shown and ("SE33", "K") in shown
    # the reader's attack: from every sum shown (groups, regions' nation, each sex's parts),
    # no hidden cell can be worked out
    nuts = by_pxweb_id(NUTS)
    rels = []
    for sex in ("T", "K", "M"):
        rels.append(
            Relation(("00", sex, "total"), tuple((r.code, sex, "total") for r in files.regions()))
        )
        for g in nuts.groups:
            if (g.code, sex) in shown:
                rels.append(
                    Relation(
                        (f"g{g.code}", sex, "total"), tuple((m, sex, "total") for m in g.members)
                    )
                )
    for r in files.regions():
        rels.append(
            Relation((r.code, "T", "total"), ((r.code, "K", "total"), (r.code, "M", "total")))
        )
    unknown = {(org, sex, "total") for org, sex in hidden}
    assert determined(rels, unknown) == set()


def test_output_values_single_gives_the_groups_members(client, released_named_doctor):
    single = get(
        client,
        "named_doctor_share",
        **{
            "codelist[Region]": NUTS,
            "valueCodes[Region]": "SE22,SE11",
            "outputValues[Region]": "single",
        },
    )
    assert list(single["dimension"]["Region"]["category"]["label"]) == ["01", "10", "12"]
    plain = get(client, "named_doctor_share", **{"valueCodes[Region]": "01,10,12"})
    assert single["value"] == plain["value"] and single.get("status") == plain.get("status")
    # POST says the same, and the selection answered names the code list
    body = {
        "selection": [
            {
                "variableCode": "Region",
                "codelist": NUTS,
                "valueCodes": ["SE22"],
                "outputValues": "single",
            }
        ]
    }
    posted = client.post(
        f"{BASE}/tables/named_doctor_share/data", json.dumps(body), content_type="application/json"
    ).json()
    assert list(posted["dimension"]["Region"]["category"]["index"]) == ["10", "12"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"codelist[Region]": NUTS, "outputValues[Region]": "some"}, ("aggregated or single",)),
        ({"outputValues[Region]": "single"}, ("codelist[Region]=",)),
        ({"codelist[Region]": NUTS, "valueCodes[Region]": "SE99"}, ("SE99",)),
        ({"codelist[Region]": NUTS, "valueCodes[Region]": "01"}, ("'01'",)),
    ],
)
def test_a_bad_aggregation_is_a_400_naming_it(client, released_named_doctor, params, words):
    response = client.get(f"{BASE}/tables/named_doctor_share/data", params)
    assert response.status_code == 400
    body = response.json()
    assert all(word in body["detail"] for word in words), body


def test_saved_queries_keep_the_code_list_and_output_values(client, released_named_doctor):
    body = {
        "tableId": "named_doctor_share",
        "language": "sv",
        "selection": {
            "selection": [
                {"variableCode": "Region", "codelist": NUTS, "valueCodes": ["SE3*"]},
                {"variableCode": "Kon", "valueCodes": ["1+2"]},
            ]
        },
    }
    saved = client.post(f"{BASE}/savedqueries", json.dumps(body), content_type="application/json")
    assert saved.status_code in (200, 201), saved.content
    query_id = saved.json()["id"]
    selection = client.get(f"{BASE}/savedqueries/{query_id}/selection").json()["selection"]
    region = next(item for item in selection if item["variableCode"] == "Region")
    assert region == {
        "variableCode": "Region",
        "codelist": NUTS,
        "valueCodes": ["SE31", "SE32", "SE33"],
    }
    data = client.get(f"{BASE}/savedqueries/{query_id}/data").json()
    assert list(data["dimension"]["Region"]["category"]["index"]) == ["SE31", "SE32", "SE33"]


# --- municipality groups -------------------------------------------------------------------


def test_municipality_groups_sum_their_members_and_protect_hidden_ones(
    client, municipal_readmissions
):
    hidden = hidden_areas("readmission_30d", "2021", "municipality")
    assert ("1440", "K") in hidden
    data = get(
        client,
        "readmission_30d",
        **{"codelist[Region]": SKR, "valueCodes[Kon]": "*", "lang": "en"},
    )
    assert data["dimension"]["Region"]["category"]["label"]["C9"] == (
        "Rural municipalities with a visitor industry"
    )
    by_codes = cells(data)
    values = stored("readmission_30d", "2021")
    skr = by_pxweb_id(SKR)
    for group in skr.groups:
        for code, sex in KON.items():
            got = cell(by_codes, Region=group.code, Kon=code, ContentsCode="value", Tid="2021")
            if any((m, sex) in hidden for m in group.members):  # less the shown members
                assert got == (None, ".."), (group.code, sex)  # it would give them away
            else:
                num = sum(values[(m, sex)].numerator for m in group.members)
                den = sum(values[(m, sex)].denominator for m in group.members)
                assert got == (pytest.approx(100 * num / den), None)
    ale = skr.group_of("1440").code
    assert cell(by_codes, Region=ale, Kon="2", ContentsCode="value", Tid="2021") == (None, "..")
    assert all(
        cell(by_codes, Region="A1", Kon=code, ContentsCode="value", Tid="2021")[1] is None
        for code in KON
    )
    # the reader's attack: from every sum shown (the groups, the regions of their
    # municipalities, the nation of the regions, each sex's parts) no hidden cell follows
    hidden |= hidden_areas("readmission_30d", "2021", "region")
    areas = [m.code for m in files.municipalities()] + [r.code for r in files.regions()]
    rels = [Relation((a, "T", "total"), ((a, "K", "total"), (a, "M", "total"))) for a in areas]
    for sex in ("T", "K", "M"):
        rels.append(
            Relation(("00", sex, "total"), tuple((r.code, sex, "total") for r in files.regions()))
        )
        for r in files.regions():
            munis = tuple(
                (m.code, sex, "total") for m in files.municipalities() if m.region_code == r.code
            )
            rels.append(Relation((r.code, sex, "total"), munis))
        for g in skr.groups:
            code = next(c for c, s in KON.items() if s == sex)
            if cell(by_codes, Region=g.code, Kon=code, ContentsCode="value", Tid="2021")[1] is None:
                rels.append(
                    Relation((g.code, sex, "total"), tuple((m, sex, "total") for m in g.members))
                )
    unknown = {(org, sex, "total") for org, sex in hidden}
    assert determined(rels, unknown) == set()


def test_an_unmodified_client_reads_the_groups(client, municipal_readmissions):
    response = client.get(
        f"{BASE}/tables/readmission_30d/data",
        {"codelist[Region]": SKR, "valueCodes[Region]": "A*"},
    )
    frame = pyjstat.Dataset.read(response.content.decode()).write("dataframe")
    assert set(frame["region"]) == {"Storstäder", "Pendlingskommun nära storstad"}
    csv = client.get(
        f"{BASE}/tables/readmission_30d/data",
        {"codelist[Region]": SKR, "valueCodes[Region]": "A1", "outputFormat": "csv"},
    )
    assert csv.status_code == 200 and "Storstäder" in csv.content.decode("utf-8-sig")

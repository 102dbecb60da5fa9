"""The Kolada v3-compatible endpoint's path-style data URLs, its groups, its (empty)
organisational units and its unknown paths, read with koladapy and with plain requests."""

import pytest
import requests
from koladapy import KoladaAPI

from naravard.ingest.importer import import_file
from naravard.ingest.models import IndicatorValue
from naravard.publish.releases import release
from naravard.qualitative.frame import current_frame
from naravard.refdata import files
from naravard.refdata.models import Municipality

# the client talks to a live server in another thread: the data must be committed
pytestmark = pytest.mark.django_db(transaction=True)

DOCTOR = "named_doctor_share"  # a point in time: 2021 is 2021-12-31
READMISSION = "readmission_30d"  # a year
MUNICIPALITIES = ("0114", "0180", "0680", "1280")  # two in Stockholms län, Jönköping, Malmö


@pytest.fixture
def published(db):
    """Both indicators for every region and four municipalities: the named doctor in 2021
    (released) and 2022 (not released), readmissions in 2020 and 2021 (both released)."""
    orgs = [r.code for r in files.regions()] + list(MUNICIPALITIES)
    for indicator_id, periods in ((DOCTOR, ("2021", "2022")), (READMISSION, ("2020", "2021"))):
        lines = ["org,period,sex,numerator,denominator"]
        for i, org in enumerate(orgs):
            for j, period in enumerate(periods):
                women, men = 400 + i + 10 * j, 300 + 2 * i + j
                for sex, n in (("K", women), ("M", men), ("T", women + men)):
                    lines.append(f"{org},{period},{sex},{n},{1000 if sex != 'T' else 2000}")
        data = "\n".join(lines).encode()
        import_file("v.csv", indicator_id, data=data, name="v.csv", actor="test")
    release(DOCTOR, "2021", actor="test")
    release(READMISSION, "2020", actor="test")
    release(READMISSION, "2021", actor="test")


def get(live_server, path: str, **params) -> requests.Response:
    return requests.get(f"{live_server.url}/kolada/v3/{path}", params=params or None)


def stored(kpi: str, org: str, year: int, sex: str) -> float:
    """The stored value; for the nation (0000), the share the stored regions' counts make."""
    period = f"{year}-12-31" if kpi == DOCTOR else str(year)
    current = IndicatorValue.objects.filter(
        indicator_id=kpi, period=period, sex=sex, is_current=True
    )
    if org == "0000":
        regions = current.filter(org_code__in=[r.code for r in files.regions()])
        assert regions.count() == 21
        return 100 * sum(v.numerator for v in regions) / sum(v.denominator for v in regions)
    return current.get(org_code=org[2:] if org.startswith("00") else org).value


def assert_stored(items: list[dict]) -> None:
    assert items
    for item in items:
        for v in item["values"]:
            assert v["value"] == pytest.approx(
                stored(item["kpi"], item["municipality"], item["period"], v["gender"])
            )


# (path form, the same question in the query form)
FORMS = [
    (f"data/kpi/{DOCTOR},{READMISSION}/year/2021,2022", {"kpi_id": f"{DOCTOR},{READMISSION}", "year": "2021,2022"}),
    (f"data/kpi/{READMISSION}/municipality/0180,0001,0000", {"kpi_id": READMISSION, "municipality_id": "0180,0001,0000"}),
    (f"data/kpi/{DOCTOR},{READMISSION}/municipality/0114,0006/year/2020,2021", {"kpi_id": [DOCTOR, READMISSION], "municipality_id": "0114,0006", "year": [2020, 2021]}),
    (f"data/municipality/1280/kpi/{READMISSION},{DOCTOR}", {"municipality_id": "1280", "kpi_id": f"{READMISSION},{DOCTOR}"}),
    ("data/municipality/0680,0006/year/2021", {"municipality_id": "0680,0006", "year": "2021"}),
    (f"data/municipality/0180/kpi/{READMISSION}/year/2020", {"municipality_id": "0180", "kpi_id": READMISSION, "year": "2020"}),
]  # fmt: skip


@pytest.mark.parametrize(("path", "query"), FORMS)
def test_path_forms_answer_as_the_query_form(live_server, published, path, query):
    by_path = get(live_server, path).json()
    assert by_path == get(live_server, f"{path}/").json()  # with the final slash too
    by_query = requests.get(f"{live_server.url}/kolada/v3/data", params=query).json()
    assert by_path == by_query
    assert by_path["count"] == len(by_path["values"]) and by_path["next_url"] is None
    assert_stored(by_path["values"])


def test_what_the_path_forms_select(live_server, published):
    items = get(live_server, f"data/kpi/{DOCTOR}/year/2021,2022").json()["values"]
    assert {i["period"] for i in items} == {2021}  # 2022 is not released
    assert {i["municipality"] for i in items} == (
        {"0000"} | {f"00{r.code}" for r in files.regions()} | set(MUNICIPALITIES)
    )
    items = get(live_server, "data/municipality/0180/year/2020,2021").json()["values"]
    assert {(i["kpi"], i["period"]) for i in items} == {
        (DOCTOR, 2021),
        (READMISSION, 2020),
        (READMISSION, 2021),
    }
    assert {i["municipality"] for i in items} == {"0180"}
    by_gender = {v["gender"]: v for v in items[0]["values"]}
    assert set(by_gender) == {"T", "K", "M"} and by_gender["T"]["status"] == ""
    assert_stored(items)


def test_path_forms_page_with_full_next_urls(live_server, published):
    path = f"data/kpi/{DOCTOR},{READMISSION}/year/2021"
    first = get(live_server, path, per_page=10).json()
    total = first["count"]
    assert total == 2 * (1 + 21 + len(MUNICIPALITIES)) and len(first["values"]) == 10
    assert first["next_url"].startswith(f"{live_server.url}/kolada/v3/{path}?")
    assert first["previous_url"] is None
    items, answer = list(first["values"]), first
    while answer["next_url"]:
        answer = requests.get(answer["next_url"]).json()
        assert answer["count"] == total  # the whole answer's count on every page
        items += answer["values"]
    assert answer["previous_url"].startswith(f"{live_server.url}/kolada/v3/{path}?")
    assert items == get(live_server, path).json()["values"]


def test_koladapy_reads_values_a_municipality_and_its_county_group(live_server, published):
    api = KoladaAPI(base_url=f"{live_server.url}/kolada/v3/", max_requests_per_second=50)
    frame = api.get_data_as_dataframe(kpi_id=READMISSION, municipality_id="0114", years=[2021])
    assert dict(zip(frame.gender, frame.value, strict=True)) == pytest.approx(
        {sex: stored(READMISSION, "0114", 2021, sex) for sex in ("T", "K", "M")}
    )
    group = api.get_municipality_group("G33612")
    assert group["title"] == "Stockholms läns kommuner"
    assert group["members"] == [
        {"member_id": m.code, "member_title": m.name}
        for m in Municipality.objects.filter(region_id="01").order_by("code")
    ]
    assert len(group["members"]) == 26 and group["members"][0] == {
        "member_id": "0114",
        "member_title": "Upplands Väsby",
    }


def test_municipality_groups_are_the_counties_and_skrs_groups(live_server, published):
    api = KoladaAPI(base_url=f"{live_server.url}/kolada/v3/", max_requests_per_second=50)
    groups = api.get_municipality_groups()
    assert len(groups) == 21 + 9
    assert [g["id"] for g in groups[:21]] == [f"G{33612 + i}" for i in range(21)]
    every = sorted(Municipality.objects.values_list("code", flat=True))
    for part in (groups[:21], groups[21:]):  # each grouping holds every municipality once
        members = [m["member_id"] for g in part for m in g["members"]]
        assert sorted(members) == every
    skr = {g["id"]: (g["title"], len(g["members"])) for g in groups[21:]}
    assert skr["G92787"] == ("Storstäder", 3)  # Kolada's ids for SKR's groups
    assert skr["G92794"] == ("Landsbygdskommun med besöksnäring", 21)
    assert sorted(skr) == [f"G{92786 + i}" for i in range(9)]
    gotland = get(live_server, "municipality_groups/G33619").json()
    assert gotland["values"] == [
        {
            "id": "G33619",
            "title": "Gotlands läns kommuner",
            "members": [{"member_id": "0980", "member_title": "Gotland"}],
        }
    ]
    found = api.get_municipality_groups(query="skåne")
    assert [g["id"] for g in found] == ["G33621"] and len(found[0]["members"]) == 33
    both = get(live_server, "municipality_groups/G33612,G33632/").json()
    assert [g["id"] for g in both["values"]] == ["G33612", "G33632"] and both["count"] == 2


def test_kpi_groups_are_the_themes_with_their_published_kpis(live_server, published):
    api = KoladaAPI(base_url=f"{live_server.url}/kolada/v3/", max_requests_per_second=50)
    groups = api.get_kpi_groups()
    themes = {t.id: t.name["sv"] for t in current_frame().themes}
    titles = {k["id"]: k["title"] for k in api.search_kpis("")}
    # named_doctor_share moves fast_kontakt; readmission_30d mobila_team and patientkontrakt
    assert groups == [
        {"id": f"G{theme}", "title": themes[theme], "members": members}
        for theme, members in (
            ("mobila_team", [{"member_id": READMISSION, "member_title": titles[READMISSION]}]),
            ("patientkontrakt", [{"member_id": READMISSION, "member_title": titles[READMISSION]}]),
            ("fast_kontakt", [{"member_id": DOCTOR, "member_title": titles[DOCTOR]}]),
        )
    ]
    assert api.get_kpi_group("Gfast_kontakt")["title"] == themes["fast_kontakt"]
    assert [g["id"] for g in api.get_kpi_groups(query="patient")] == ["Gpatientkontrakt"]
    assert get(live_server, "kpi_groups/nope").json()["values"] == []


def test_organisational_units_are_an_empty_list(live_server, published):
    api = KoladaAPI(base_url=f"{live_server.url}/kolada/v3/", max_requests_per_second=50)
    assert api.get_organizational_units() == []
    assert api.get_values(kpi_id=DOCTOR, ou_id="V15E144001301", years=[2021]) == []
    empty = {"count": 0, "values": [], "next_url": None, "previous_url": None}
    for path in (
        "ou",
        "ou/",
        "ou/V15E144001301",
        "oudata",
        f"oudata/?kpi_id={DOCTOR}&ou_id=V15E144001301",
        f"oudata/kpi/{DOCTOR}/ou/V15E144001301/year/2021",
        f"oudata/kpi/{DOCTOR}/year/2021/",
        "oudata/ou/V15E144001301/year/2021",
    ):
        response = requests.get(f"{live_server.url}/kolada/v3/{path}")
        assert response.status_code == 200 and response.json() == empty, path


@pytest.mark.parametrize(
    "path",
    [
        "data/kpi",
        "data/kpi/",
        "data/year/2021",
        f"data/kpi/{DOCTOR}/year/2021/more",
        f"data/kpi/{DOCTOR}/gender/K",
        "data/municipality/0180/kpi",
        "kpi_groups/a/b",
        "municipality_groups/G33612/members",
        "oudata/kpi/x/municipality/0180",
        "ou/a/b",
        "groups",
    ],
)
def test_unknown_paths_answer_kolada_json(live_server, published, path):
    response = get(live_server, path)
    assert response.status_code == 404 and response.headers["Content-Type"] == "application/json"
    assert response.json()["error"].startswith(f"/kolada/v3/{path} finns inte")


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        (f"data/kpi/{DOCTOR}/year/21", 400, "year är ett årtal med fyra siffror"),
        (f"data/kpi/nope,{DOCTOR}/year/2021", 404, "ingen publicerad KPI nope"),
        ("data/municipality/Stockholm/year/2021", 400, "Stockholm är inget Kolada-id"),
        ("data/municipality/G33612/year/2021", 400, "inga värden för kommungrupper"),
        ("data?year=2021", 400, "ange kpi_id eller municipality_id"),
        (f"data/kpi/{DOCTOR}?page=x", 400, "page och per_page är heltal"),
    ],
)
def test_bad_questions_are_refused_in_kolada_json(live_server, published, path, status, message):
    response = requests.get(f"{live_server.url}/kolada/v3/{path}")
    assert response.status_code == status and message in response.json()["error"]

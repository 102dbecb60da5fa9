"""Commands that work on a database: accounts, population figures, releases and the coding
index, run in this process on the test's database."""

import datetime as dt

import pytest
from django.db import connection

from naravard.collect.models import Response, Round
from naravard.qualitative import search
from naravard.qualitative.models import Suggestion

pytestmark = pytest.mark.django_db


def query(sql):
    """Rows of a plain SQL query on the test's database."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_createuser_binds_role_to_organisation(cli):
    out = cli(
        "createuser",
        "sam",
        "--role",
        "region_coordinator",
        "--org",
        "Region Sörmland",
        "--password-stdin",
        stdin="Lingon-Sylt-2024\n",
    )
    assert out.returncode == 0, out.stderr
    assert query(
        "select role, region_id, municipality_id from accounts_user where username='sam'",
    ) == [("region_coordinator", "04", None)]


def test_createuser_lets_the_role_decide_the_level_of_a_name(cli):
    out = cli(
        "createuser",
        "stockholm-respondent",
        "--role",
        "municipality_respondent",
        "--org",
        "Stockholm",
        "--password-stdin",
        stdin="Lingon-Sylt-2024\n",
    )
    assert out.returncode == 0, out.stderr  # 'Stockholm' as a municipality is unambiguous
    assert query(
        "select municipality_id from accounts_user where username='stockholm-respondent'",
    ) == [("0180",)]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "region_coordinator", "--org", "Götaland"], "Götaland"),
        (["--role", "municipality_respondent"], "needs --org"),
        (["--role", "chief"], "chief"),
    ],
)
def test_createuser_refuses_bad_input(cli, args, message):
    username = f"bad-{abs(hash(message))}"
    out = cli(
        "createuser",
        username,
        *args,
        "--password-stdin",
        stdin="Lingon-Sylt-2024\n",
    )
    assert out.returncode != 0
    assert message in out.stderr
    assert query(f"select count(*) from accounts_user where username='{username}'") == [(0,)]


def test_createuser_refuses_weak_password(cli):
    out = cli("createuser", "weak", "--role", "analyst", "--password-stdin", stdin="123\n")
    assert out.returncode != 0 and "too short" in out.stderr


def test_import_population_adds_a_year_all_or_nothing(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "year;code;sex;population\n2025;Region Sörmland;total;300 000\n"
        "2025;Götaland;total;5\n2025;04;total;1\n2025;0180;both;-3\n",
        encoding="utf-8",
    )
    out = cli("refdata", "import-population", str(bad))
    assert out.returncode == 1
    assert "row 3, code" in out.stderr and "Götaland" in out.stderr
    assert "row 4, code: duplicate of row 2" in out.stderr
    assert "row 5, sex" in out.stderr and "row 5, population" in out.stderr
    assert query("select count(*) from refdata_population where year=2025") == [(0,)]

    good = tmp_path / "good.csv"
    good.write_text(
        "\ufeffyear,code,sex,population\n2025,Region Sörmland,total,299401\n"
        "2025,04,men,150000\n2025,04,women,149401\n",
        encoding="utf-8",
    )
    dry = cli("refdata", "import-population", str(good), "--dry-run")
    assert dry.returncode == 0 and "would add 3" in dry.stdout
    assert query("select count(*) from refdata_population where year=2025") == [(0,)]
    out = cli("refdata", "import-population", str(good))
    assert out.returncode == 0 and "added 3" in out.stdout
    again = cli("refdata", "import-population", str(good))
    assert "added 0 cells, changed 0" in again.stdout
    assert query(
        "select population from refdata_population where year=2025 and "
        "region_id='04' and sex='total'",
    ) == [(299401,)]


def test_import_population_checks_that_men_and_women_add_up(cli, tmp_path):
    f = tmp_path / "sum.csv"
    f.write_text(
        "year,code,sex,population\n2021,0180,total,10\n2021,0180,men,4\n2021,0180,women,5\n",
        encoding="utf-8",
    )
    out = cli("refdata", "import-population", str(f))
    assert out.returncode == 1 and "is not men 4 + women 5" in out.stderr


def test_import_population_refuses_missing_columns(cli, tmp_path):
    f = tmp_path / "cols.csv"
    f.write_text("år,kommun,antal\n2020,0180,1\n", encoding="utf-8")
    out = cli("refdata", "import-population", str(f))
    assert out.returncode == 1 and "missing column(s) year, code, sex, population" in out.stderr


def test_publish_release_list_and_withdraw(cli, tmp_path):
    data = tmp_path / "named.csv"
    data.write_text("org,period,numerator,denominator\n01,2021,500,1000\n")
    assert cli("data", "import", str(data), "--indicator", "named_doctor_share").returncode == 0
    assert "Nothing is published" in cli("publish", "list").stdout
    refused = cli(
        "publish",
        "release",
        "named_doctor_share",
        "--period",
        "2021",
        "--period",
        "2020",
    )
    assert refused.returncode == 1
    assert "no stored values of named_doctor_share for 31 December 2020" in refused.stderr
    assert query("select count(*) from publish_release") == [(0,)]  # all or nothing
    done = cli(
        "publish",
        "release",
        "named_doctor_share",
        "--period",
        "2021",
        "--note",
        "annual",
    )
    assert done.returncode == 0
    assert "Released named_doctor_share for 31 December 2021" in done.stdout
    assert "named_doctor_share\t2021-12-31" in cli("publish", "list").stdout
    gone = cli(
        "publish",
        "withdraw",
        "named_doctor_share",
        "--period",
        "2021-12-31",
        "--note",
        "wrong",
    )
    assert gone.returncode == 0
    assert "Nothing is published" in cli("publish", "list").stdout


def test_coding_refresh_collects_texts_of_earlier_submissions(cli):
    """Texts submitted before coding existed are collected once; the index is rebuilt."""
    answers = {"3.kommentar": "Vi har startat mobila team med hemsjukvården."}
    rnd = Round.objects.create(
        form_id="kommunenkat-2019",
        form_version=1,
        form_sha256="",
        form_source="",
        title="Äldre omgång",
        deadline=dt.date(2020, 1, 27),
        opened_at=dt.datetime(2019, 12, 16, tzinfo=dt.UTC),
        is_published=False,
    )
    # stored as the collection of 2019 stored it, before coding existed: no signal, no texts
    Response.objects.bulk_create(
        [
            Response(
                round=rnd,
                municipality_id="2584",
                status="submitted",
                version=1,
                submitted_answers=answers,
            )
        ]
    )
    first = cli("coding", "refresh")
    assert first.returncode == 0, first.stderr
    assert "1 new texts" in first.stderr
    again = cli("coding", "refresh")
    assert "0 new texts" in again.stderr and "1 sentences in the search index" in again.stderr
    hit = search.search("hemsjukvård")
    suggested = list(Suggestion.objects.values_list("themes", flat=True))
    assert len(hit) == 1 and suggested == [["mobila_team"]]


def test_publish_plan_puts_a_period_in_the_calendar_and_moves_it(cli):
    done = cli("publish", "plan", "named_doctor_share", "--period", "2022", "--on", "2027-03-01")
    assert done.returncode == 0
    assert "Planned named_doctor_share for 31 December 2022 on 2027-03-01." in done.stdout
    moved = cli("publish", "plan", "named_doctor_share", "--period", "2022", "--on", "2027-03-15")
    assert "on 2027-03-15 (moved from 2027-03-01)" in moved.stdout
    bad = cli("publish", "plan", "named_doctor_share", "--period", "2022", "--on", "15 mars")
    assert bad.returncode == 2 and "is not a date" in bad.stderr
    unknown = cli("publish", "plan", "no_such", "--period", "2022", "--on", "2027-03-15")
    assert unknown.returncode == 1
    assert query("select count(*) from publish_plannedrelease") == [(1,)]

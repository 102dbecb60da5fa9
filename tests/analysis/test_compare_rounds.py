"""Change since the previous round (analysis/round_change.py): a round of kommunenkat-2021
against one of kommunenkat-2019, through the question lineage, for seven municipalities of
Stockholm county counted by hand; on the command line, the analysts' round page and the
public region page."""

import datetime as dt
import json
import re

import pytest
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import confint_proportions_2indep

from naravard.analysis.round_change import (
    RoundsNotComparable,
    compare_rounds,
    previous_round,
)
from naravard.collect import services
from naravard.collect.models import Round
from naravard.collect.results import results_json
from naravard.publish.releases import publish_round
from naravard.refdata.models import Municipality
from tests.helpers import make_followup

pytestmark = pytest.mark.django_db

# Seven municipalities m1..m7: m6 answered only in 2019, m7 only in 2021; m6 left question 2
# unanswered. Question 2 is recoded (ja -> finns, nej -> saknas); question 3 is not comparable.
ANSWERS_2019 = {
    1: {"1.politisk": "ja", "2": "ja", "3.sjukskoterska": "brist", "4": "Delade tjänster."},
    2: {"1.politisk": "ja", "2": "nej", "2a": "ja", "3.sjukskoterska": "brist"},
    3: {"1.politisk": "nej", "2": "nej", "2a": "nej", "3.sjukskoterska": "balans"},
    4: {"1.politisk": "nej", "2": "ja", "3.sjukskoterska": "brist"},
    5: {"1.politisk": "nej", "2": "nej", "2a": "ja", "3.sjukskoterska": "vet_inte"},
    6: {"1.politisk": "ja", "3.sjukskoterska": "brist"},
}
ANSWERS_2021 = {
    1: {"1.politisk": "ja", "2": "finns", "3.sjukskoterska": "brist", "5": "ja"},
    2: {"1.politisk": "nej", "2": "finns", "3.sjukskoterska": "balans", "5": "nej"},
    3: {"1.politisk": "ja", "2": "saknas", "2a": "ja", "3.sjukskoterska": "brist"},
    4: {"1.politisk": "ja", "2": "finns", "3.sjukskoterska": "brist"},
    5: {"1.politisk": "nej", "2": "finns", "3.sjukskoterska": "brist"},
    7: {"1.politisk": "ja", "2": "saknas", "2a": "nej", "3.sjukskoterska": "balans"},
}


def municipalities() -> dict[int, str]:
    codes = Municipality.objects.filter(region="01").order_by("code")
    return {n: m.code for n, m in enumerate(codes[:7], start=1)}


def historical(form_id: str, year: int, answers: dict[int, dict]) -> Round:
    rnd = services.open_round(
        form_id, dt.date(year, 11, 30), actor="test", historical=True, year=year
    )
    codes = municipalities()
    rows = [services.ImportRow(row, codes[m], a) for row, (m, a) in enumerate(answers.items(), 2)]
    services.import_rows(rnd, rows, actor="test", require=False)
    return rnd


@pytest.fixture
def rounds() -> tuple[Round, Round]:
    """The 2019 round and the 2021 round."""
    return (
        historical("kommunenkat-2019", 2019, ANSWERS_2019),
        historical("kommunenkat-2021", 2021, ANSWERS_2021),
    )


def newcombe_pp(count, n, previous_count, previous_n) -> tuple[float, float]:
    low, high = confint_proportions_2indep(
        count, n, previous_count, previous_n, method="newcomb", compare="diff"
    )
    return 100 * low, 100 * high


# ----------------------------------------------------------------- numbers ---


def test_each_change_and_interval_is_statsmodels_newcombe_in_percentage_points(rounds):
    old, new = rounds
    data = compare_rounds(new, old).as_json()
    checked = 0
    for item_id, q in data["questions"].items():
        for code, o in q.get("options", {}).items():
            if not q["n"]:  # a row nobody answered (1.ledning…): no share, no change
                assert o["percent"] is None and o["change_pp"] is None
                continue
            assert o["percent"] == pytest.approx(100 * o["count"] / q["n"])
            if not q["comparable"] or not q["previous_n"]:
                assert o["change_pp"] is None and o["change_ci_low"] is None
                continue
            assert o["previous_percent"] == pytest.approx(
                100 * o["previous_count"] / q["previous_n"]
            )
            assert o["change_pp"] == pytest.approx(o["percent"] - o["previous_percent"])
            low, high = newcombe_pp(o["count"], q["n"], o["previous_count"], q["previous_n"])
            assert (o["change_ci_low"], o["change_ci_high"]) == (
                pytest.approx(low),
                pytest.approx(high),
            ), (item_id, code)
            assert low <= o["change_pp"] <= high
            checked += 1
    assert checked == 2 + 2 + 2  # 1.politisk, 2 and 2a: two answers each


def test_the_counts_are_those_of_each_rounds_own_results(rounds):
    old, new = rounds
    data = compare_rounds(new, old).as_json()["questions"]
    now, before = results_json(new)["questions"], results_json(old)["questions"]
    for item_id, q in data.items():
        assert q["n"] == now[item_id]["n"] and q["previous_n"] == before[item_id]["n"]
    politisk = data["1.politisk"]
    assert (politisk["n"], politisk["previous_n"]) == (6, 6)
    assert (
        politisk["options"]["ja"]["count"] == 4 and politisk["options"]["ja"]["previous_count"] == 3
    )
    assert politisk["options"]["ja"]["change_pp"] == pytest.approx(100 * 4 / 6 - 50)


def test_the_panel_is_a_hand_count_of_those_who_answered_both_rounds(rounds):
    old, new = rounds
    q = compare_rounds(new, old).as_json()["questions"]["1.politisk"]
    # both rounds: m1..m5. ja→ja m1; ja→nej m2; nej→ja m3, m4; nej→nej m5
    assert q["panel"] == {
        "n_both": 5,
        "moved_to": 2,
        "moved_from": 1,
        "p_value": pytest.approx(mcnemar([[1, 1], [2, 1]], exact=True).pvalue),
    }
    assert q["options"]["ja"]["panel"] == {k: v for k, v in q["panel"].items() if k != "n_both"}
    assert q["options"]["nej"]["panel"]["moved_to"] == 1
    assert q["options"]["nej"]["panel"]["moved_from"] == 2
    assert q["panel"]["p_value"] == pytest.approx(1.0)  # 1 against 2 proves nothing
    follow_up = compare_rounds(new, old).as_json()["questions"]["2a"]
    assert follow_up["panel"] == {"n_both": 1, "moved_to": 1, "moved_from": 0, "p_value": 1.0}


def test_mcnemar_is_exact_below_25_movers_and_chi_square_from_there():
    from naravard.analysis.round_change import mcnemar_p

    assert mcnemar_p(10, 2, 12, 10) == pytest.approx(
        mcnemar([[10, 2], [12, 10]], exact=True).pvalue
    )
    assert mcnemar_p(10, 5, 20, 10) == pytest.approx(
        mcnemar([[10, 5], [20, 10]], exact=False, correction=True).pvalue
    )


def test_the_recoded_question_2_compares_old_ja_as_finns(rounds):
    old, new = rounds
    q = compare_rounds(new, old).as_json()["questions"]["2"]
    assert q["comparable"] is True
    assert (q["n"], q["previous_n"]) == (6, 5)  # m6 left it unanswered in 2019
    finns, saknas = q["options"]["finns"], q["options"]["saknas"]
    assert set(q["options"]) == {"finns", "saknas"}  # the new codes only
    assert (finns["count"], finns["previous_count"]) == (4, 2)  # 2019: m1, m4 said ja
    assert (saknas["count"], saknas["previous_count"]) == (2, 3)
    assert finns["change_pp"] == pytest.approx(100 * 4 / 6 - 100 * 2 / 5)
    # m2 and m5 went from nej (saknas) to finns, nobody the other way
    assert q["panel"] == {
        "n_both": 5,
        "moved_to": 2,
        "moved_from": 0,
        "p_value": pytest.approx(0.5),
    }


def test_question_3s_rows_give_numbers_but_no_change(rounds):
    old, new = rounds
    questions = compare_rounds(new, old).as_json()["questions"]
    rows = [i for i in questions if i.startswith("3.") and i != "3.kommentar"]
    assert len(rows) == 6
    for item_id in rows:
        q = questions[item_id]
        assert q["comparable"] is False
        assert all(
            o["change_pp"] is None and o["change_ci_low"] is None and o["change_ci_high"] is None
            for o in q["options"].values()
        )
        assert q["panel"]["moved_to"] is None and q["panel"]["p_value"] is None
    nurse = questions["3.sjukskoterska"]
    assert (nurse["options"]["brist"]["count"], nurse["options"]["brist"]["previous_count"]) == (
        4,
        4,
    )
    assert nurse["options"]["brist"]["previous_percent"] == pytest.approx(100 * 4 / 6)
    assert nurse["panel"]["n_both"] == 5


def test_new_items_are_left_out_and_text_items_give_only_n(rounds):
    old, new = rounds
    questions = compare_rounds(new, old).as_json()["questions"]
    assert "5" not in questions  # new in 2021
    assert questions["4"] == {"n": 0, "previous_n": 1, "comparable": True}


def test_a_county_compares_only_its_municipalities(rounds):
    old, new = rounds
    codes = municipalities()
    mine = compare_rounds(new, old, [codes[1], codes[2]]).as_json()["questions"]["1.politisk"]
    assert (mine["n"], mine["previous_n"], mine["panel"]["n_both"]) == (2, 2, 2)
    assert mine["options"]["ja"]["change_pp"] == pytest.approx(50 - 100)


# --------------------------------------------------------------- refusals ---


def test_refused_for_the_same_form_another_series_or_the_wrong_order(rounds, status_round):
    old, new = rounds
    with pytest.raises(RoundsNotComparable, match="Båda omgångarna gäller formuläret"):
        compare_rounds(old, historical("kommunenkat-2019", 2020, ANSWERS_2019))
    with pytest.raises(RoundsNotComparable, match="hör inte till samma serie"):
        compare_rounds(new, status_round)
    with pytest.raises(RoundsNotComparable, match="inte tidigare i serien"):
        compare_rounds(old, new)


# ------------------------------------------------------ the previous round ---


def test_the_previous_round_is_the_latest_of_an_earlier_form_of_the_series(rounds):
    old, new = rounds
    assert previous_round(new) == old
    assert previous_round(old) is None  # nothing earlier
    later_2019 = historical("kommunenkat-2019", 2020, ANSWERS_2019)
    assert previous_round(new) == later_2019  # the 2019 form asked again for 2020
    assert previous_round(new, [old]) == old  # among the rounds given (the published ones)
    services.open_round(
        "kommunenkat-2019", dt.date(2020, 12, 31), actor="test", historical=True, year=2020
    )  # no answers: never the previous round
    assert previous_round(new) == later_2019


# ----------------------------------------------------------- command line ---


def test_the_command_line_gives_the_json_contract(rounds, cli):
    out = cli(
        "results", "--form", "kommunenkat-2021", "--compare-with", "kommunenkat-2019",
        "--format", "json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"form", "previous_form", "questions"}
    assert (data["form"], data["previous_form"]) == ("kommunenkat-2021", "kommunenkat-2019")
    q = data["questions"]["2"]
    assert set(q) == {"n", "previous_n", "comparable", "options", "panel"}
    assert set(q["panel"]) == {"n_both", "moved_to", "moved_from", "p_value"}
    assert set(q["options"]["finns"]) == {
        "count",
        "percent",
        "previous_count",
        "previous_percent",
        "change_pp",
        "change_ci_low",
        "change_ci_high",
        "panel",
    }
    by_round = cli(
        "results", "--form", "kommunenkat-2021", "--round", str(rounds[1].pk),
        "--compare-with", "kommunenkat-2019", "--compare-round", str(rounds[0].pk),
    )  # fmt: skip
    assert json.loads(by_round.stdout) == data
    table = cli(
        "results", "--form", "kommunenkat-2021", "--compare-with", "kommunenkat-2019",
        "--format", "table",
    )  # fmt: skip
    assert table.returncode == 0 and "not comparable" in table.stdout


def test_without_round_ids_the_command_compares_the_rounds_a_follow_up_took(rounds, cli):
    """An open practice round of the 2021 form is not what is compared: the follow-ups'."""
    practice = services.open_round(
        "kommunenkat-2021", dt.date.today() + dt.timedelta(days=30), actor="test"
    )
    args = ("results", "--form", "kommunenkat-2021", "--compare-with", "kommunenkat-2019")
    assert f"Round {practice.pk} " in cli(*args).stderr  # no follow-up yet: the open round
    make_followup("2020", dt.date(2020, 3, 31), dt.date(2020, 6, 1), survey_round=rounds[0])
    make_followup("2022", dt.date(2021, 12, 31), dt.date(2022, 6, 1), survey_round=rounds[1])
    out = cli(*args)
    assert out.returncode == 0, out.stderr
    assert f"Round {rounds[1].pk} " in out.stderr and f"round {rounds[0].pk} " in out.stderr
    assert json.loads(out.stdout)["questions"]["2"]["n"] == len(ANSWERS_2021)
    given = cli(*args, "--round", str(practice.pk))
    assert f"Round {practice.pk} " in given.stderr


def test_the_command_line_refuses_clearly(rounds, status_round, cli):
    def refused(*args: str) -> str:
        out = cli("results", "--format", "json", *args)
        assert out.returncode == 1 and not out.stdout
        return out.stderr

    assert "Both rounds are of form kommunenkat-2019" in refused(
        "--form", "kommunenkat-2019", "--compare-with", "kommunenkat-2019"
    )
    assert "not of one series" in refused(
        "--form", "kommunenkat-2021", "--compare-with", "nulagesrapport-2019"
    )
    assert "not earlier in the series" in refused(
        "--form", "kommunenkat-2019", "--compare-with", "kommunenkat-2021"
    )
    assert "no round of nulagesrapport-2021 exists" in refused(
        "--form", "kommunenkat-2021", "--compare-with", "nulagesrapport-2021"
    )
    assert "--compare-round needs --compare-with" in refused(
        "--form", "kommunenkat-2021", "--compare-round", "1"
    )


# ------------------------------------------------------------------ pages ---


def words(pp: float, low: float, high: float) -> str:
    """The change as the pages write it, from numbers statsmodels gave."""

    def whole(x: float) -> str:
        return f"\u2212{abs(round(x))}" if round(x) < 0 else str(round(x))

    sign = "+" if round(pp) > 0 else ""
    between = (
        f"{whole(low)} till {whole(high)}" if round(low) < 0 else f"{whole(low)}–{whole(high)}"
    )
    return f"{sign}{whole(pp)} procentenheter, 95 % KI {between}"


def page(response) -> str:
    html = response.content.decode().replace("\xa0", " ")
    return re.sub(r"\s+", " ", html)


def test_the_round_page_shows_the_change_beside_each_share(rounds, client, make_user):
    old, new = rounds
    client.force_login(make_user("alva", "analyst"))
    html = page(client.get(f"/insamling/omgang/{new.pk}/"))
    low, high = newcombe_pp(4, 6, 2, 5)
    assert f"2019: 40 %, {words(100 * 4 / 6 - 40, low, high)}" in html  # 2: finns
    assert "Jämfört med 2019" in html and "Bytt till / från" in html
    assert "2 / 0 (p = 0,5)" in html  # finns: m2 and m5 moved to it
    assert "ej jämförbar med 2019" in html
    assert "Ej jämförbar med 2019: Frågan gällde november 2019" in html  # question 3's reason
    first = page(client.get(f"/insamling/omgang/{old.pk}/"))
    assert "Jämfört med" not in first  # nothing before 2019


def test_the_public_region_page_shows_the_change_once_both_rounds_are_published(rounds, client):
    old, new = rounds
    publish_round(new.pk, actor="test")
    alone = page(client.get("/region/01/"))
    assert "Kommunernas svar" in alone and "procentenheter" not in alone
    publish_round(old.pk, actor="test")
    html = page(client.get("/region/01/"))
    low, high = newcombe_pp(4, 6, 3, 6)
    assert f"(2019: 50 %, {words(100 * 4 / 6 - 50, low, high)})" in html  # 1.politisk: ja
    assert "Ej jämförbar med 2019" in html and "Frågan gällde november 2019" in html
    english = page(client.get("/en/region/01/"))
    assert "percentage points, 95 % CI" in english and "Not comparable with 2019" in english

"""The 226 survey responses reproduce the figures the 2020 follow-up report publishes."""

import json
from importlib import resources

import pytest

from naravard.collect import services
from naravard.collect.models import ResponseStatus
from naravard.collect.results import results_json, summary

# Tabell 3: profession -> {answer: (count, printed percent)}; percents use each row's own n.
TABELL_3 = {
    "arbetsterapeut": {
        "brist": (105, 47),
        "balans": (114, 50),
        "overskott": (2, 1),
        "vet_inte": (4, 2),
        "finns_ej": (1, 0),
    },
    "dietist": {
        "brist": (8, 4),
        "balans": (25, 11),
        "overskott": (1, 0),
        "vet_inte": (15, 7),
        "finns_ej": (177, 78),
    },
    "farmaceut": {
        "brist": (3, 1),
        "balans": (3, 1),
        "overskott": (0, 0),
        "vet_inte": (15, 7),
        "finns_ej": (204, 91),
    },
    "fysioterapeut": {
        "brist": (119, 53),
        "balans": (92, 41),
        "overskott": (1, 0),
        "vet_inte": (5, 2),
        "finns_ej": (9, 4),
    },
    "sjukskoterska": {
        "brist": (132, 58),
        "balans": (90, 40),
        "overskott": (2, 1),
        "vet_inte": (1, 0.5),
        "finns_ej": (1, 0.5),
    },
    "specialistsjukskoterska": {
        "brist": (168, 74),
        "balans": (38, 17),
        "overskott": (0, 0),
        "vet_inte": (6, 3),
        "finns_ej": (14, 6),
    },
}
# Printed values that do not follow from their own counts (checked, documented, not copied):
# 105 of 226 is 46.5 % (printed 47); 1 of 226 is 0.44 % (printed "0,5").
PRINTED_OFF = {
    ("arbetsterapeut", "brist"): 46.46,
    ("sjukskoterska", "vet_inte"): 0.44,
    ("sjukskoterska", "finns_ej"): 0.44,
}


def check_report_figures(data: dict) -> None:
    assert (data["invited"], data["responded"]) == (290, 226)
    assert round(data["response_rate"]) == 78
    q = data["questions"]
    assert q["2"]["n"] == 225
    assert (
        q["2"]["options"]["ja"]["count"] == 62 and round(q["2"]["options"]["ja"]["percent"]) == 28
    )
    assert (
        q["2"]["options"]["nej"]["count"] == 163
        and round(q["2"]["options"]["nej"]["percent"]) == 72
    )
    for item, n, percent in [
        ("1.politisk", 221, 38),
        ("1.ledning", 223, 48),
        ("1.verksamhet", 222, 37),
        ("1.profession", 220, 31),
    ]:
        assert q[item]["n"] == n, item
        assert round(q[item]["options"]["ja"]["percent"]) == percent, item
    for profession, row in TABELL_3.items():
        item = q[f"3.{profession}"]
        assert item["n"] == (225 if profession == "farmaceut" else 226), profession
        assert sum(o["count"] for o in item["options"].values()) == item["n"]
        for code, (count, printed) in row.items():
            got = item["options"][code]
            assert got["count"] == count, (profession, code)
            if (profession, code) in PRINTED_OFF:
                assert got["percent"] == pytest.approx(PRINTED_OFF[(profession, code)], abs=0.01)
            else:
                assert round(got["percent"]) == printed, (profession, code, got["percent"])
    assert q["3.farmaceut"]["options"]["finns_ej"]["percent"] == pytest.approx(100 * 204 / 225)


@pytest.mark.django_db
def test_results_reproduce_the_report_in_process(survey_round):
    check_report_figures(results_json(survey_round))
    s = summary(survey_round)
    assert len(s.non_respondents) == 64
    assert all(c.responded >= 1 for c in s.per_county)  # answers came from every county
    assert sum(c.invited for c in s.per_county) == 290


@pytest.mark.django_db
def test_results_reproduce_the_report_through_the_command_line(cli, tmp_path):
    def run(*args):
        out = cli(*args)
        assert out.returncode == 0, out.stderr
        return out.stdout

    fixture = resources.files("naravard.demo").joinpath("data", "kommunenkat-2019.csv")
    assert "290 organisations" in run(
        "rounds", "open", "--form", "kommunenkat-2019", "--deadline", "2099-12-31"
    )
    assert "stored 226 responses" in run(
        "responses", "import", "--form", "kommunenkat-2019", str(fixture)
    )
    check_report_figures(
        json.loads(run("results", "--form", "kommunenkat-2019", "--format", "json"))
    )
    again = run("responses", "import", "--form", "kommunenkat-2019", str(fixture))
    assert "stored 0 responses, 226 unchanged" in again
    exported = tmp_path / "export.csv"
    run(
        "responses",
        "export",
        "--form",
        "kommunenkat-2019",
        "--format",
        "csv",
        "--out",
        str(exported),
    )
    assert "stored 0 responses, 226 unchanged" in run(
        "responses", "import", "--form", "kommunenkat-2019", str(exported)
    )
    xlsx = tmp_path / "export.xlsx"
    run("responses", "export", "--form", "kommunenkat-2019", "--format", "xlsx", "--out", str(xlsx))
    import openpyxl

    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["svar", "kodbok", "om"]
    assert book["svar"].max_row == 227
    assert "stored 0 responses, 226 unchanged" in run(
        "responses", "import", "--form", "kommunenkat-2019", str(xlsx)
    )


def test_reopened_response_still_counts_with_its_last_submitted_answers(survey_round):
    before = results_json(survey_round)
    response = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first()
    services.reopen(response, actor="test")
    response.refresh_from_db()
    services.save(response, {"2": "nej"}, actor="test")  # a draft, not submitted
    after = results_json(survey_round)
    assert after == before
    assert summary(survey_round).reopened == 1

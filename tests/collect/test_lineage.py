"""Question lineage: forms of a series continue, recode or break their questions year by year
(collect/lineage.py); `naravard forms lineage` shows it and `naravard forms check` refuses a
lineage that does not hold."""

import json

import pytest
import yaml

from naravard.collect import lineage
from naravard.collect.definition import get_form, load_text, registry
from tests.collect.test_form_series_checks import dump, question, shipped_raw


def survey_2023(**question_changes) -> dict:
    """A 2023 survey: the 2021 survey renamed (without its lineage to 2019), with changes to
    some questions."""
    raw = shipped_raw("kommunenkat-2021") | {"id": "kommunenkat-2023", "year": 2023}
    raw = yaml.safe_load(dump(raw))  # a deep copy
    for section in raw["sections"]:
        for q in section["questions"]:
            q.pop("lineage", None)
    for question_id, changes in question_changes.items():
        question(raw, question_id).update(changes)
    return raw


def write(tmp_path, raw: dict):
    path = tmp_path / f"{raw['id']}.yaml"
    path.write_text(dump(raw), encoding="utf-8")
    return str(path)


def test_the_2021_survey_continues_recodes_breaks_and_adds():
    steps = {c.root.item: c.steps[-1] for c in lineage.chains("kommunenkat")}
    assert steps["1.politisk"].kind == lineage.SAME
    assert steps["2"].kind == lineage.RECODED
    assert steps["2"].codes == {"ja": "finns", "nej": "saknas"}
    assert steps["3.dietist"].kind == lineage.BREAK
    assert "hela året" in steps["3.dietist"].reason["sv"]
    assert steps["5"].kind == lineage.NEW and steps["5"].form == "kommunenkat-2021"
    assert lineage.problems(list(registry().values())) == []


def test_a_counted_answer_follows_its_recoding():
    forms = [get_form("kommunenkat-2019"), get_form("kommunenkat-2021")]
    chain = lineage.chain_of("kommunenkat", "2")
    assert chain is not None
    counted = lineage.counted(chain, "ja", forms)
    assert [(c.form, c.item, set(c.codes), c.comparable) for c in counted] == [
        ("kommunenkat-2019", "2", {"ja"}, True),
        ("kommunenkat-2021", "2", {"finns"}, True),
    ]


def test_merging_answers_breaks_the_count(tmp_path):
    """Two old answers mapped to one new one: the share of the new one counts more answers than
    the old share did, so it is not comparable."""
    raw = survey_2023(
        **{
            "2": {
                "type": "yesno",
                "choices": None,
                "lineage": {"codes": {"finns": "ja", "saknas": "ja"}},
            },
            "2a": {"show_if": {"question": "2", "equals": "nej"}},
        }
    )
    del question(raw, "2")["choices"]
    form = load_text(dump(raw))
    forms = [get_form("kommunenkat-2019"), get_form("kommunenkat-2021"), form]
    chain = next(c for c in lineage.chains("kommunenkat", forms) if c.root.item == "2")
    last = lineage.counted(chain, "ja", forms)[-1]
    assert last.codes == {"ja"} and not last.comparable
    assert last.reason == lineage.MERGED


def test_forms_lineage_prints_question_by_year(cli):
    shown = cli("forms", "lineage", "kommunenkat")
    assert shown.returncode == 0
    row = next(line for line in shown.stdout.splitlines() if line.startswith("2 "))
    assert "+ 2" in row and "~ 2" in row
    assert "2021 2: answers recoded (ja→finns, nej→saknas)" in shown.stdout
    assert "2021 3.dietist: not comparable: Frågan gällde november 2019" in shown.stdout
    as_json = json.loads(cli("forms", "lineage", "kommunenkat", "--format", "json").stdout)
    assert as_json["years"] == [2019, 2021]
    by_question = {q["question"]: q for q in as_json["questions"]}
    assert by_question["5"]["years"] == {
        "2021": {
            "form": "kommunenkat-2021",
            "item": "5",
            "status": "new",
            "codes": None,
            "reason": None,
        }
    }
    assert by_question["3.farmaceut"]["years"]["2021"]["status"] == "not_comparable"
    unknown = cli("forms", "lineage", "kommunenkt")
    assert unknown.returncode == 1 and "kommunenkat" in unknown.stderr


def test_forms_check_passes_the_shipped_forms_and_a_good_new_one(cli, tmp_path):
    assert cli("forms", "check").returncode == 0
    good = cli("forms", "check", write(tmp_path, survey_2023()))
    assert good.returncode == 0, good.stderr
    assert "lineage: no problems" in good.stdout


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"4": {"lineage": {"continues": "4x"}}},
            "kommunenkat-2023 question 4: continues question 4x, which kommunenkat-2021 does "
            "not ask",
        ),
        (
            {"2": {"lineage": {"continues": "2", "codes": {"finns": "finns"}}}},
            "kommunenkat-2023 question 2: the mapping leaves old codes of kommunenkat-2021 "
            "question 2 unmapped: saknas",
        ),
        (
            {"2": {"lineage": {"codes": {"finns": "ja", "saknas": "nej"}}}},
            "kommunenkat-2023 question 2: the mapping maps to ja, nej, which are not answers of "
            "the question",
        ),
        (
            {"2": {"choices": "yesno"}},
            "kommunenkat-2023 question 2: its answers differ from kommunenkat-2021 question 2 "
            "(finns, saknas → ja, nej)",
        ),
        (
            {"5": {"lineage": {"continues": "2a"}}},
            "kommunenkat-2023: questions 2a and 5 both continue kommunenkat-2021 question 2a",
        ),
        (
            {"4": {"lineage": {"form": "kommunenkat-2030", "continues": "4"}}},
            "kommunenkat-2023 question 4: continues from form kommunenkat-2030, which is not a "
            "form of series kommunenkat",
        ),
    ],
)
def test_forms_check_names_each_problem(cli, tmp_path, changes, expected):
    raw = survey_2023(**changes)
    if "2" in changes and "choices" in changes["2"]:
        question(raw, "2a")["show_if"] = {"question": "2", "equals": "ja"}
    checked = cli("forms", "check", write(tmp_path, raw))
    assert checked.returncode == 1
    assert f"error: {expected}" in checked.stderr.replace("\n", " ").replace("  ", " ")


def test_forms_check_finds_a_cycle(cli, tmp_path):
    """A form may name the earlier form a question continues; two forms that name each other
    make a cycle."""
    early = survey_2023(**{"4": {"lineage": {"form": "kommunenkat-2025", "continues": "4"}}})
    late = survey_2023(**{"4": {"lineage": {"form": "kommunenkat-2023", "continues": "4"}}})
    late |= {"id": "kommunenkat-2025", "year": 2025}
    checked = cli("forms", "check", write(tmp_path, early), write(tmp_path, late))
    assert checked.returncode == 1
    assert (
        "lineage cycle: kommunenkat-2023 4 → kommunenkat-2025 4 → kommunenkat-2023 4"
        in checked.stderr
    )
    assert (
        "kommunenkat-2023 question 4: continues from kommunenkat-2025, which is not an earlier "
        "form than kommunenkat-2023" in checked.stderr.replace("\n", " ")
    )


def test_a_year_that_disagrees_with_the_id_is_refused(cli, tmp_path):
    raw = survey_2023() | {"year": 2024}
    checked = cli("forms", "check", write(tmp_path, raw))
    assert checked.returncode == 1
    assert "year 2024 does not agree with the form's id" in checked.stderr

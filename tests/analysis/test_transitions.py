"""Stage transitions of initiatives between two status reports, counted by hand: region 03 had
three initiatives in 2019 (two pilots, one planned); in 2021 one pilot is in broad rollout, the
other ended as a pilot, the planned one was merged into the first, and one is new. Region 01's
one initiative stays in regular operation."""

import pytest

from naravard.analysis import transitions
from naravard.collect import initiatives
from naravard.collect.initiatives import Followed
from tests.status_reports import (
    STOCKHOLM_MOVES,
    TRANSITIONS_HEADER,
    UPPSALA_MOVES,
    followed_into_2021,
)

STAGES = ("planerad", "pilot", "bred_inforing", "ordinarie_drift")
LABELS = {
    "planerad": "Planerad",
    "pilot": "Pilot",
    "bred_inforing": "Bred införing",
    "ordinarie_drift": "Ordinarie drift",
}


@pytest.fixture
def followed(db):
    _r2019, r2021 = followed_into_2021()
    return initiatives.follow(r2021)


def test_each_initiative_is_linked_to_its_stage_in_the_round_before(followed):
    assert followed.regions == ["01", "03"] and followed.compared == ["01", "03"]
    assert [(f.region, f.initiative, f.stage_before, f.stage, f.status) for f in followed.rows] == [
        ("01", "01-2019-1", "ordinarie_drift", "ordinarie_drift", "fortsatter"),
        ("03", "03-2019-1", "pilot", "bred_inforing", "fortsatter"),
        ("03", "03-2019-2", "pilot", "pilot", "avslutad"),
        ("03", "03-2019-3", "planerad", "planerad", "sammanslagen"),
        ("03", "03-2021-1", None, "pilot", "ny"),
    ]
    assert followed.missing == []


def test_the_transition_matrix_matches_a_hand_count(followed):
    result = transitions.transitions(followed, STAGES)
    nation = result.nation
    assert dict(nation.counts) == {
        ("pilot", "bred_inforing"): 1,
        ("pilot", "avslutad"): 1,
        ("planerad", "sammanslagen"): 1,
        ("ordinarie_drift", "ordinarie_drift"): 1,
        ("ny", "pilot"): 1,
    }
    assert nation.followed == 4 and nation.total == 5
    assert nation.moved() == {
        "forward": 1,
        "same": 1,
        "back": 0,
        "avslutad": 1,
        "sammanslagen": 1,
        "ny": 1,
    }
    assert dict(result.by_region["03"].counts) == {
        ("pilot", "bred_inforing"): 1,
        ("pilot", "avslutad"): 1,
        ("planerad", "sammanslagen"): 1,
        ("ny", "pilot"): 1,
    }
    assert dict(result.by_region["01"].counts) == {("ordinarie_drift", "ordinarie_drift"): 1}
    assert dict(result.by_area["omstallning"].counts) == {
        ("pilot", "bred_inforing"): 1,
        ("planerad", "sammanslagen"): 1,
        ("ny", "pilot"): 1,
    }
    assert dict(result.by_area["tillganglighet"].counts) == {("pilot", "avslutad"): 1}


def test_the_table_has_a_row_per_stage_before_and_a_column_per_outcome(followed):
    header, rows = transitions.table(transitions.transitions(followed, STAGES).nation, LABELS)
    assert header == TRANSITIONS_HEADER
    # the stages before in their order (Stockholm's regular operation after Uppsala's pilots),
    # new initiatives last
    assert rows == UPPSALA_MOVES[:2] + STOCKHOLM_MOVES + UPPSALA_MOVES[2:]


def test_a_stage_back_and_a_stage_the_form_no_longer_has():
    rows = [
        Followed("03", "a", "it_stod", "bred_inforing", "pilot", "fortsatter"),
        Followed("03", "b", "it_stod", "utredning", "pilot", "fortsatter"),
    ]
    m = transitions.matrix(rows, STAGES)
    assert dict(m.counts) == {("bred_inforing", "pilot"): 1}
    assert m.moved()["back"] == 1
    assert transitions.outcome(rows[1], STAGES) is None

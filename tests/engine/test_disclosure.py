"""Disclosure control: small cells are hidden and cannot be recovered from totals or the other sex."""

import random

import pytest

from naravard.engine.disclosure import CellCounts, Relation, relations, suppress
from tests.engine.audit import determined

REGIONS = ["01", "03", "04", "05", "06"]


def table(counts: dict[tuple[str, str], tuple[int, int]]) -> dict:
    cells = {
        (org, sex, "total"): CellCounts(float(n), float(d)) for (org, sex), (n, d) in counts.items()
    }
    for sex in ("T", "K", "M"):
        area = [c for (org, s, _), c in cells.items() if s == sex]
        cells[("00", sex, "total")] = CellCounts(
            sum(c.numerator for c in area), sum(c.denominator for c in area)
        )
    return cells


def with_sexes(women: dict[str, tuple[int, int]], men: dict[str, tuple[int, int]]):
    counts = {}
    for org in women:
        counts[(org, "K")], counts[(org, "M")] = women[org], men[org]
        counts[(org, "T")] = (women[org][0] + men[org][0], women[org][1] + men[org][1])
    return counts


def recoverable(cells: dict, hidden: set) -> set:
    """Cells a reader could work out: any relation with exactly one hidden cell gives it away."""
    found = set()
    for relation in relations(cells):
        unknown = [k for k in relation.cells if k in hidden]
        if len(unknown) == 1:
            found.add(unknown[0])
    return found


def test_a_small_count_is_hidden_with_the_other_sex_and_another_region():
    women = {"01": (120, 400), "03": (3, 50), "04": (60, 300), "05": (80, 310), "06": (90, 330)}
    men = {"01": (110, 380), "03": (40, 60), "04": (55, 290), "05": (70, 300), "06": (85, 320)}
    cells = table(with_sexes(women, men))
    hidden = suppress(cells, 5, share=True)
    assert ("03", "K", "total") in hidden
    assert ("03", "M", "total") in hidden or (
        "03",
        "T",
        "total",
    ) in hidden  # T − M would give K otherwise
    assert len([k for k in hidden if k[1] == "K" and k[0] != "00"]) >= 2  # nation − others
    assert recoverable(cells, hidden) == set()


def test_the_attempt_to_recover_fails():
    women = {"01": (2, 400), "03": (30, 50), "04": (60, 300), "05": (80, 310), "06": (90, 330)}
    men = {"01": (110, 380), "03": (40, 60), "04": (55, 290), "05": (70, 300), "06": (85, 320)}
    cells = table(with_sexes(women, men))
    hidden = suppress(cells, 5, share=True)
    shown = {k: v for k, v in cells.items() if k not in hidden}
    # a reader tries T − M for women in region 01, and nation − other regions
    for org in REGIONS:
        if (
            (org, "K", "total") in hidden
            and (org, "T", "total") in shown
            and (org, "M", "total") in shown
        ):
            pytest.fail(f"women in {org} = T − M")
    if ("00", "K", "total") in shown:  # nation − the shown regions must leave two unknowns
        assert len([k for k in hidden if k[1] == "K" and k[0] != "00"]) != 1


@pytest.mark.parametrize("seed", range(30))
def test_no_hidden_cell_is_ever_alone_in_a_relation(seed):
    rng = random.Random(seed)
    women = {r: (rng.choice([0, 1, 2, 3, 6, 40, 200]), 0) for r in REGIONS}
    men = {r: (rng.choice([0, 1, 4, 9, 50, 300]), 0) for r in REGIONS}
    women = {r: (n, n + rng.randint(0, 400)) for r, (n, _) in women.items()}
    men = {r: (n, n + rng.randint(0, 400)) for r, (n, _) in men.items()}
    cells = table(with_sexes(women, men))
    hidden = suppress(cells, 5, share=True)
    assert recoverable(cells, hidden) == set()
    assert determined(relations(cells), hidden) == set()  # nor by any combination of sums
    for key, c in cells.items():
        if c.numerator < 5 or c.denominator < 5 or c.denominator - c.numerator < 5:
            assert key in hidden


def test_threshold_is_configurable(settings):
    from naravard.engine.disclosure import threshold

    settings.DISCLOSURE_THRESHOLD = 10
    assert threshold() == 10 and threshold(5) == 10 and threshold(12) == 12


def test_age_bands_are_protected_against_the_total_too():
    cells = {}
    for org, (young, old) in {"01": (2, 300), "03": (200, 250), "04": (150, 180)}.items():
        for sex in ("T",):
            cells[(org, sex, "0-19")] = CellCounts(young, 1000)
            cells[(org, sex, "65-79")] = CellCounts(old, 1000)
            cells[(org, sex, "total")] = CellCounts(young + old, 2000)
    for age in ("0-19", "65-79", "total"):
        area = [c for (o, s, a), c in cells.items() if a == age]
        cells[("00", "T", age)] = CellCounts(
            sum(c.numerator for c in area), sum(c.denominator for c in area)
        )
    hidden = suppress(cells, 5, share=True)
    assert ("01", "T", "0-19") in hidden
    assert recoverable(cells, hidden) == set()  # not from the total minus 65-79, nor the nation


def test_a_hidden_municipality_cannot_be_worked_out_from_its_region():
    cells = {}
    for muni, n in {"0114": 3, "0115": 200, "0117": 150}.items():
        cells[(muni, "T", "total")] = CellCounts(n, 1000)
    cells[("01", "T", "total")] = CellCounts(353, 3000)
    cells[("00", "T", "total")] = CellCounts(353, 3000)
    hidden = suppress(cells, 5, share=True)
    assert ("0114", "T", "total") in hidden
    assert recoverable(cells, hidden) == set()


def k(org: str, sex: str = "T") -> tuple[str, str, str]:
    return (org, sex, "total")


def test_determined_sees_what_the_one_hidden_cell_rule_misses():
    # three sums over three hidden cells, each sum with two of them: no sum has one hidden
    # cell alone, yet the three equations give every cell away
    rels = [
        Relation(k("x"), (k("a"), k("b"))),
        Relation(k("y"), (k("b"), k("c"))),
        Relation(k("z"), (k("a"), k("c"))),
    ]
    hidden = {k("a"), k("b"), k("c")}
    assert determined(rels, hidden) == hidden
    assert determined(rels[:2], hidden) == set()  # two equations leave a line of answers
    # a hidden cell alone in a sum, and one in no sum at all
    assert determined([Relation(k("x"), (k("a"), k("d")))], {k("a"), k("e")}) == {k("a")}

"""A small synthetic register, made once per test module that reads it."""

import pytest

from naravard.synth.generator import Spec, generate

SCALE = 0.003
YEARS = (2019, 2020, 2021, 2022)


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    root = tmp_path_factory.mktemp("register")
    counts = generate(root, Spec(SCALE, YEARS, seed=7))
    return root, counts


def assert_same_cells(expected, found, backend: str) -> None:
    """Every cell of ``found`` (a run on ``backend``) is ``expected``'s: the same keys in the
    same order, the same counts, the same value."""
    assert len(found) == len(expected), backend
    for a, b in zip(expected, found, strict=True):
        assert (a.indicator_id, a.org, a.period, a.sex, a.age_band) == (
            b.indicator_id,
            b.org,
            b.period,
            b.sex,
            b.age_band,
        ), backend
        assert (a.numerator, a.denominator) == (b.numerator, b.denominator), (backend, a)
        assert a.value == pytest.approx(b.value, rel=1e-9), (backend, a)

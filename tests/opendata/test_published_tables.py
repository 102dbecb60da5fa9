"""The open-data tables read the published rows at once (publish/open_data.published_tables):
the same values, intervals and suppression as the analyses the pages show."""

import pytest

from naravard.ingest.models import SEXES
from naravard.publish.open_data import (
    NotPublished,
    public_indicator,
    public_profile,
    published_tables,
)
from naravard.publish.releases import release
from tests.helpers import store

pytestmark = pytest.mark.django_db
FIELDS = ("org", "value", "numerator", "denominator", "ci_low", "ci_high", "suppressed")


def shown(row) -> tuple:
    return tuple(getattr(row, f) for f in FIELDS)


def test_the_tables_show_what_the_analyses_show(released_named_doctor, municipal_readmissions):
    for indicator, levels in (
        ("named_doctor_share", ["region"]),
        ("readmission_30d", ["region", "municipality"]),
    ):
        periods = public_indicator(indicator).periods
        tables = published_tables(indicator, periods, SEXES, levels)
        assert set(tables) == {(p, s, lv) for p in periods for s in SEXES for lv in levels}
        for (period, sex, level), table in tables.items():
            analysis = public_profile(indicator, period, sex, level, trends=False)
            assert [shown(r) for r in table.rows] == [shown(r) for r in analysis.rows]
            assert (table.national and shown(table.national)) == (
                analysis.national and shown(analysis.national)
            )
    hidden = published_tables("named_doctor_share", ["2021-12-31"], ["K"], ["region"])
    women = {r.org: r for r in hidden[("2021-12-31", "K", "region")].rows}
    assert women["06"].suppressed and women["06"].value is None  # three women: hidden
    readmitted = published_tables("readmission_30d", ["2021"], ["T"], ["municipality"])
    row = readmitted[("2021", "T", "municipality")].rows[0]
    assert row.ci_low < row.value < row.ci_high and row.ci99_low is None  # 95 % only


def test_a_period_not_released_is_not_published(released_named_doctor):
    with pytest.raises(NotPublished):
        published_tables("named_doctor_share", ["2022-12-31"], ["T"], ["region"])
    with pytest.raises(NotPublished):
        published_tables("named_doctor_share", ["2021-12-31"], ["X"], ["region"])
    store("2023")
    release("named_doctor_share", "2023", actor="test")
    assert published_tables("named_doctor_share", ["2023-12-31"], ["T"], ["region"])

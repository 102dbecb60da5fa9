"""The analysts' page of a status-report round's initiatives over time: the nation's transition
matrix as a chart and a table, per region and per development area, linked from the round."""

import pytest

from tests.helpers import page_text, table_rows
from tests.status_reports import (
    STOCKHOLM_2021,
    STOCKHOLM_MOVES,
    TRANSITIONS_HEADER,
    UPPSALA_MOVES,
    as_text,
    followed_into_2021,
    open_2021,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    return client


@pytest.fixture
def r2021(db):
    return followed_into_2021(stockholm=False)[1]


def test_the_round_page_links_to_the_transitions_and_they_show_the_hand_count(analyst, r2021):
    round_page = page_text(analyst.get(f"/insamling/omgang/{r2021.pk}/"))
    link = f"/konto/omgang/{r2021.pk}/insatser/"
    assert f'href="{link}"' in round_page
    page = page_text(analyst.get(link))
    assert table_rows(page, "transitions-riket-table") == [
        TRANSITIONS_HEADER,
        *as_text(UPPSALA_MOVES),
    ]
    assert 'data-chart="transitions-riket-spec"' in page
    regions = table_rows(page, "transitions-regions")
    assert regions[1] == ["Region Uppsala", "3", "1", "0", "0", "1", "1", "1", "0"]
    assert len(regions) == 2  # Stockholm has not submitted in 2021
    assert table_rows(page, "transitions-omrade-tillganglighet-table")[1:] == as_text(
        [["Pilot", 0, 0, 0, 0, 1, 0, 1]]
    )


def test_the_table_changes_when_another_region_submits(analyst, r2021):
    assert submit(r2021, "01", STOCKHOLM_2021).submitted
    page = page_text(analyst.get(f"/konto/omgang/{r2021.pk}/insatser/"))
    assert as_text(STOCKHOLM_MOVES)[0] in table_rows(page, "transitions-riket-table")


def test_a_round_without_a_round_before_says_so_and_regions_may_not_look(
    client, analyst, make_user, db
):
    rnd = open_2021()
    page = page_text(analyst.get(f"/konto/omgang/{rnd.pk}/insatser/"))
    assert "Omgången följer inte insatserna från en tidigare nulägesrapport" in page
    client.force_login(make_user("uppsala", "region_coordinator", "03"))
    assert client.get(f"/konto/omgang/{rnd.pk}/insatser/").status_code == 403

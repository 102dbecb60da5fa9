"""A region's public page shows how its initiatives' stages moved between two published status
reports, as a chart with the same numbers in a table; not before both rounds are published."""

import pytest
from django.utils import timezone

from naravard.publish.releases import publish_round
from tests.helpers import page_text, table_rows
from tests.status_reports import STOCKHOLM_MOVES, UPPSALA_MOVES, as_text, followed_into_2021

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(db):
    r2019, r2021 = followed_into_2021()
    r2021.locked_at = timezone.now()
    r2021.save()
    return r2019, r2021


def test_the_region_page_shows_its_own_transitions_once_both_rounds_are_published(client, rounds):
    r2019, r2021 = rounds
    publish_round(r2021.pk, actor="test")
    table_id = f"transitions-chart-{r2021.pk}-table"
    assert table_id not in page_text(client.get("/region/03/"))  # 2019 not published
    publish_round(r2019.pk, actor="test")
    page = page_text(client.get("/region/03/"))
    assert table_rows(page, table_id)[1:] == as_text(UPPSALA_MOVES)
    assert f'data-chart="transitions-chart-{r2021.pk}-spec"' in page
    stockholm = page_text(client.get("/region/01/"))
    assert table_rows(stockholm, table_id)[1:] == as_text(STOCKHOLM_MOVES)

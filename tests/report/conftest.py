"""Fixtures of the report's tests: the demo's 2020 follow-up, built once per module (every test
here uses it; building it takes seconds), and its fact-check open."""

import datetime as dt

import pytest
from django.utils import timezone

from naravard.report import factcheck
from naravard.report.models import FollowUp
from tests.helpers import demo_followup_2020, kept_for_the_module

SOON = timezone.localdate() + dt.timedelta(days=14)


@pytest.fixture(scope="module")
def followup_of_the_module(django_db_setup, django_db_blocker):
    """The primary key of the 2020 follow-up, stored for the length of one module."""
    with kept_for_the_module(django_db_blocker):
        yield demo_followup_2020().pk


@pytest.fixture
def followup(followup_of_the_module, db):
    """The 2020 follow-up, read afresh for each test (what a test changes is rolled back)."""
    return FollowUp.objects.get(pk=followup_of_the_module)


@pytest.fixture
def opened(followup):
    """The 2020 follow-up with its fact-check open for two weeks."""
    factcheck.open_factcheck(followup, SOON, actor="analytiker")
    return followup

"""Helpers shared by test modules of several packages (fixtures live in conftest.py)."""

from collections.abc import Iterator
from contextlib import contextmanager

from naravard.ingest.importer import import_file
from naravard.refdata import files


def store(period: str, share_of: dict[str, int] | None = None, default: int = 500):
    """Named-doctor counts for every region (out of 1000), one file, one import."""
    lines = ["org,period,numerator,denominator"]
    for region in files.regions():
        lines.append(f"{region.code},{period},{(share_of or {}).get(region.code, default)},1000")
    import_file(
        "n.csv", "named_doctor_share", data="\n".join(lines).encode(), name="n.csv", actor="test"
    )


def open_survey_round():
    """An open round of the 2019 municipal survey holding the 226 responses of the report."""
    import datetime as dt

    from django.utils import timezone

    from naravard.collect import services
    from naravard.demo.rounds import survey_rows

    rnd = services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=30), actor="test"
    )
    services.import_rows(rnd, survey_rows(), actor="test", require=False)
    return rnd


def demo_followup_2020():
    """The demo's follow-up round 2020: its survey and status rounds, indicators and report."""
    from naravard.demo.indicators import build_all as build_indicators
    from naravard.demo.report import build_followup_2020
    from naravard.demo.rounds import build_all as build_rounds

    rounds = build_rounds()
    build_indicators(survey_round=rounds[0])
    return build_followup_2020(survey_round=rounds[0], status_round=rounds[1])


@contextmanager
def kept_for_the_module(django_db_blocker) -> Iterator[None]:
    """Data made inside this block lasts for one test module, like Django's setUpTestData: it
    is made once, inside a transaction that is rolled back when the block ends (at the module's
    end), and each test runs in a savepoint of that transaction, so whatever a test changes is
    undone before the next test. Only for modules whose tests all use the data and none of
    which needs ``transaction=True``."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


# A complete answer to the 2019 municipal survey (kommunenkat-2019), for tests that submit one.
COMPLETE = {
    "1.politisk": "ja",
    "1.ledning": "nej",
    "1.verksamhet": "ja",
    "1.profession": "nej",
    "2": "ja",
    "3.sjukskoterska": "brist",
    "3.specialistsjukskoterska": "brist",
    "3.fysioterapeut": "balans",
    "3.arbetsterapeut": "balans",
    "3.dietist": "finns_ej",
    "3.farmaceut": "finns_ej",
}

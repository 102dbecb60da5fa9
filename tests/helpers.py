"""Helpers shared by test modules of several packages (fixtures live in conftest.py)."""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

from naravard.ingest.importer import import_file
from naravard.refdata import files
from naravard.report.models import FollowUp, PublishedReport


def store(period: str, share_of: dict[str, int] | None = None, default: int = 500):
    """Named-doctor counts for every region (out of 1000), one file, one import."""
    lines = ["org,period,numerator,denominator"]
    for region in files.regions():
        lines.append(f"{region.code},{period},{(share_of or {}).get(region.code, default)},1000")
    import_file(
        "n.csv", "named_doctor_share", data="\n".join(lines).encode(), name="n.csv", actor="test"
    )


TURNING_SHARES = {2019: 4, 2020: 8, 2021: 12, 2022: 9, 2023: 6}  # percent: up to 2021, then down


def store_turning_digital_shares(release_them: bool = False) -> None:
    """Digital contacts of every region 2019–2023 rising to 2021 and falling after (with a
    little noise), except region 01's, which rise by one point a year all along; released
    if ``release_them``."""
    from naravard.publish.releases import release

    lines = ["org,period,numerator,denominator"]
    for i, region in enumerate(files.regions()):
        persons = 10_000 + 500 * i
        for year, share in TURNING_SHARES.items():
            if region.code == "01":
                share = 4 + (year - 2019)
            count = round(share * persons / 100) + (i + year) % 3
            lines.append(f"{region.code},{year},{count},{persons}")
    import_file(
        "d.csv", "digital_contact_share", data="\n".join(lines).encode(), name="d.csv", actor="t"
    )
    if release_them:
        for year in TURNING_SHARES:
            release("digital_contact_share", str(year), actor="test")


SHORTAGE = "survey_shortage_sjukskoterska_share"  # breaks in 2021 (the question changed)
SHORTAGE_COUNTS = {2019: 10, 2021: 60, 2022: 61, 2023: 59}  # of 100 per region: flat after


def store_shortage_across_the_break(release_them: bool = True) -> None:
    """Nurse shortages of every region 2019 and 2021–2023: a leap from 10 to about 60 % where
    the series breaks in 2021, flat after it; released unless ``release_them`` is false."""
    from naravard.publish.releases import release

    lines = ["org,period,numerator,denominator"]
    for region in files.regions():
        lines += [f"{region.code},{year},{n},100" for year, n in SHORTAGE_COUNTS.items()]
    import_file("s.csv", SHORTAGE, data="\n".join(lines).encode(), name="s.csv", actor="test")
    if release_them:
        for year in SHORTAGE_COUNTS:
            release(SHORTAGE, str(year), actor="test")


def page_text(response) -> str:
    """A page's HTML, with no-break spaces as plain ones."""
    return response.content.decode().replace("\xa0", " ")


def page_words(response) -> str:
    """The words of a page that answered 200, without tags, white space folded."""
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page_text(response)))


def table_rows(page: str, table_id: str) -> list[list[str]]:
    """The rows of the table with this id on a page (HTML) as text, header row first."""
    body = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    assert body, table_id
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body[0], re.S)
    ]


def make_followup(
    name: str,
    data_until: dt.date,
    published_on: dt.date,
    *,
    published: bool = False,
    **rounds,
) -> FollowUp:
    """A follow-up titled by its name ("Uppföljning 2023"), of ``rounds`` (``survey_round``,
    ``status_round``) where given; ``published`` stores a Swedish publication of it (a
    stand-in: the pages and APIs judge by the newest published follow-up)."""
    followup = FollowUp.objects.create(
        name=name,
        title_sv=f"Uppföljning {name}",
        title_en=f"Follow-up {name}",
        published_on=published_on,
        data_until=data_until,
        **rounds,
    )
    if published:
        PublishedReport.objects.create(
            followup=followup, lang="sv", html="<p>r</p>", pdf=b"%PDF", manifest={}, actor="t"
        )
    return followup


def store_stale_and_partial() -> None:
    """Online booking for every region in March 2020 (stale for a 2023 follow-up) and named
    doctors at the end of 2023 for 12 of the 21 regions (current, partial), both released."""
    from naravard.publish.releases import release

    booking = ["org,period,value"]
    booking += [f"{r.code},2020-03,{10 + i}" for i, r in enumerate(files.regions())]
    import_file(
        "b.csv", "online_booking_show", data="\n".join(booking).encode(), name="b.csv", actor="t"
    )
    release("online_booking_show", "2020-03", actor="t")
    doctors = ["org,period,numerator,denominator"]
    doctors += [f"{r.code},2023,{500 + i},1000" for i, r in enumerate(files.regions()[:12])]
    import_file(
        "n.csv", "named_doctor_share", data="\n".join(doctors).encode(), name="n.csv", actor="t"
    )
    release("named_doctor_share", "2023", actor="t")


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


def answer_body(response) -> bytes:
    """The body of a test client's response, sent whole or streamed (core/streaming.py)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def answer_json(response):
    """The JSON of a test client's response, sent whole or streamed."""
    import json

    return json.loads(answer_body(response))

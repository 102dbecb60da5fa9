"""The national picture of the coded material (qualitative/picture.py), counted by hand on a
small store: two regions' status reports and two municipalities' survey comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from naravard.collect import services
from naravard.qualitative import coding, texts
from naravard.qualitative.models import FactBox, Text, TextKind
from naravard.qualitative.picture import national_picture
from naravard.refdata.models import Municipality, Region
from tests.qualitative.test_coding import status_answers, submit


def _code(text: Text, words: str, themes: list[str], coder, **kw):
    start = text.body.index(words)
    return coding.code_passage(text, start, start + len(words), themes, coder=coder, **kw)


@pytest.fixture
def store(status_round, make_user):
    """The coded texts; returns (status round, survey round, the analysts, the quoted passage)."""
    a, b = make_user("analys-a", "analyst"), make_user("analys-b", "analyst")
    submit(status_round, "25", status_answers())
    answers = status_answers("Psykisk ohälsa hos unga är ett gemensamt område med kommunerna.")
    answers["insatser"] = [
        {
            "omrade": "tillganglighet",
            "beskrivning": "Webbtidbok överallt.",
            "skede": "bred_inforing",
        },
        {"omrade": "omstallning", "beskrivning": "Hembesök hos äldre.", "skede": "planerad"},
    ]
    submit(status_round, "01", answers)
    survey = services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=30), actor="test"
    )
    comments = {
        "2584": "Vi samverkar med regionen om hemsjukvården.",
        "0114": "Kommunen har ett mobilt team med regionen.",
    }
    for code, body in comments.items():
        texts.add_text(
            kind=TextKind.SURVEY_COMMENT,
            title=f"{code}: kommentar",
            body=body,
            municipality=Municipality.objects.get(code=code),
            rnd=survey,
        )
    t25 = status_round.texts.get(region="25", item_id="forandringar.beskrivning")
    words = "Regionen har startat hemsjukvårdsteam i två kommuner som ett försök."
    quoted = _code(t25, words, ["mobila_team"], a, quotable=True)
    _code(t25, words, ["mobila_team"], b)  # the same span by a colleague: counted once
    _code(
        status_round.texts.get(region="25", item_id="insatser.1.beskrivning"),
        "Mobilt team för äldre.",
        ["mobila_team"],
        a,
    )
    _code(
        status_round.texts.get(region="01", item_id="insatser.1.beskrivning"),
        "Webbtidbok överallt.",
        ["webbtidbok"],
        a,
    )
    # a sub-theme counts under its theme
    _code(
        status_round.texts.get(region="01", item_id="insatser.2.beskrivning"),
        "Hembesök hos äldre.",
        ["mobila_team_aldre"],
        a,
    )
    kiruna = survey.texts.get(municipality="2584")
    _code(kiruna, "Vi samverkar med regionen", ["samverkan"], a, quotable=True)
    _code(survey.texts.get(municipality="0114"), "ett mobilt team", ["mobila_team"], a)
    # a replaced answer's codes do not count
    old = status_round.texts.get(region="01", item_id="forandringar.beskrivning")
    _code(old, "Psykisk ohälsa hos unga", ["psykisk_ohalsa"], a, quotable=True)
    Text.objects.filter(pk=old.pk).update(replaced_at=timezone.now())
    return status_round, survey, a, quoted


def _by_id(pictures):
    return {t.theme.id: t for t in pictures}


def test_the_picture_of_both_rounds_counted_by_hand(store):
    status, survey, _a, quoted = store
    pictures = national_picture([status, survey])
    assert [t.theme.id for t in pictures][:4] == [
        "mobila_team",
        "patientkontrakt",
        "fast_kontakt",
        "webbtidbok",
    ]  # the frame's order, every theme
    t = _by_id(pictures)
    mobile = t["mobila_team"]
    assert [r.code for r in mobile.regions] == ["01", "25"]
    assert [m.code for m in mobile.municipalities] == ["0114"]
    # three initiative rows coded: 25's row 1 (pilot), 01's row 2 (planerad, by its sub-theme)
    assert mobile.stages == [
        ("planerad", "Planerad", 1),
        ("pilot", "Pilot", 1),
        ("bred_inforing", "Bred införing", 0),
        ("ordinarie_drift", "Ordinarie drift", 0),
    ]
    assert mobile.initiatives == 2
    [quote] = mobile.quotes  # two analysts' codings of one span, quoted once
    assert (quote.passage_id, quote.words, quote.organisation, quote.region_code) == (
        quoted.pk,
        quoted.quote,
        Region.objects.get(code="25").name,
        "25",
    )
    assert mobile.region_quotes("25") == [quote] and mobile.region_quotes("01") == []

    web = t["webbtidbok"]
    assert ([r.code for r in web.regions], web.municipalities, web.quotes) == (["01"], [], [])
    assert [(code, n) for code, _name, n in web.stages if n] == [("bred_inforing", 1)]

    together = t["samverkan"]
    assert (together.regions, [m.code for m in together.municipalities]) == ([], ["2584"])
    [kiruna] = together.quotes
    assert (kiruna.organisation, kiruna.region_code, kiruna.municipality_code) == (
        "Kiruna",
        "25",
        "2584",
    )
    assert together.region_quotes("25") == []  # a municipality's words are not the region's
    assert not t["psykisk_ohalsa"].raised  # only on a replaced text
    assert national_picture([status, survey]) == pictures  # the same store, the same picture


def test_only_the_rounds_asked_for_count(store):
    status, survey, _a, _quoted = store
    t = _by_id(national_picture([status]))
    assert t["mobila_team"].municipalities == []
    assert not t["samverkan"].raised
    t = _by_id(national_picture([survey]))
    assert t["mobila_team"].regions == [] and t["mobila_team"].initiatives == 0


def test_fact_boxes_of_the_rounds_are_in_the_picture(store):
    status, survey, a, quoted = store
    box = FactBox(
        theme="mobila_team",
        round=status,
        passage=quoted,
        title="Team i två kommuner",
        text="Regionen prövar.\n\nDet följs upp.",
        author=a,
    )
    box.full_clean()
    box.save()
    [example] = _by_id(national_picture([status, survey]))["mobila_team"].examples
    assert (example.factbox_id, example.title, example.paragraphs) == (
        box.pk,
        "Team i två kommuner",
        ("Regionen prövar.", "Det följs upp."),
    )
    assert (example.quote.words, example.author) == (quoted.quote, "analys-a")
    assert _by_id(national_picture([survey]))["mobila_team"].examples == []

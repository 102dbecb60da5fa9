"""Qualitative coding: texts collected from submitted answers, coded passages, counts per
theme, agreement between analysts, suggestions, uploaded documents and the coding pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from naravard.collect import services
from naravard.qualitative import agreement, coding, counts, documents, texts
from naravard.qualitative.models import Passage, PassageTheme, Suggestion, Text, TextKind

CHANGES = (
    "Regionen har startat hemsjukvårdsteam i två kommuner som ett försök. "
    "Alla vårdcentraler erbjuder webbtidboken sedan i våras.\n\n"
    "Psykisk ohälsa hos unga är ett gemensamt område med kommunerna."
)


def _distinct_spans(passage_themes) -> int:
    return (
        passage_themes.values("passage__text", "passage__start", "passage__end").distinct().count()
    )


def status_answers(changes: str = CHANGES) -> dict:
    return {
        "beslut.strategi": "ja",
        "beslut.ar": "2019",
        "beslut.beskrivning": "Regionfullmäktige antog en strategi för nära vård i juni.",
        "organisation.samordnare": "ja",
        "organisation.beskrivning": "En samordnare leder arbetet.",
        "forandringar.beskrivning": changes,
        "medel.erhallna": "1000000",
        "medel.anvanda": "800000",
        "insatser": [
            {
                "omrade": "omstallning",
                "beskrivning": "Mobilt team för äldre.",
                "malgrupp": "äldre med stora behov",
                "skede": "pilot",
            }
        ],
    }


def submit(rnd, code: str, answers: dict):
    response = rnd.responses.get(region=code)
    result = services.save(response, answers, actor="test", submit=True)
    assert result.submitted, result.validation.problems
    return response


@pytest.fixture
def analysts(make_user):
    return make_user("analys-a", "analyst"), make_user("analys-b", "analyst")


@pytest.fixture
def report_25(status_round):
    submit(status_round, "25", status_answers())
    return Text.objects.get(region="25", item_id="forandringar.beskrivning")


# ------------------------------------------------------------ collecting texts ---


def test_submitting_makes_texts_of_the_long_answers_only(report_25):
    items = set(Text.objects.filter(region="25").values_list("item_id", flat=True))
    assert items == {
        "beslut.beskrivning",
        "organisation.beskrivning",
        "forandringar.beskrivning",
        "insatser.1.beskrivning",
    }  # not malgrupp
    assert report_25.kind == TextKind.STATUS_REPORT
    assert [s.body for s in report_25.segments.all()] == [
        "Regionen har startat hemsjukvårdsteam i två kommuner som ett försök.",
        "Alla vårdcentraler erbjuder webbtidboken sedan i våras.",
        "Psykisk ohälsa hos unga är ett gemensamt område med kommunerna.",
    ]
    for s in report_25.segments.all():
        assert report_25.body[s.start : s.end] == s.body


def test_sentences_are_suggested_codes(report_25):
    by_sentence = {
        s.segment.position: s for s in Suggestion.objects.filter(segment__text=report_25)
    }
    assert "mobila_team" in by_sentence[0].themes and by_sentence[0].stage == "pilot"
    assert "webbtidbok" in by_sentence[1].themes
    assert "psykisk_ohalsa" in by_sentence[2].themes


def _resubmit(rnd, code: str, answers: dict):
    services.reopen(rnd.responses.get(region=code), actor="test")
    submit(rnd, code, answers)


def test_a_changed_answer_gets_a_new_text_and_codes_whose_words_remain_move_to_it(
    status_round, report_25, analysts
):
    kept = coding.code_passage(report_25, 0, 68, ["mobila_team"], coder=analysts[0])
    at = report_25.body.index("Alla vårdcentraler")
    changed = coding.code_passage(report_25, at, at + 55, ["webbtidbok"], coder=analysts[0])
    new_wording = CHANGES.replace("sedan i våras", "sedan hösten") + " Nu även i Kiruna."
    _resubmit(status_round, "25", status_answers(new_wording))
    current = Text.objects.get(
        region="25", item_id="forandringar.beskrivning", replaced_at__isnull=True
    )
    assert current.pk != report_25.pk and current.body.endswith("Kiruna.")
    report_25.refresh_from_db()
    assert report_25.replaced_at is not None
    kept.refresh_from_db()
    changed.refresh_from_db()
    assert kept.text == current and current.body[kept.start : kept.end] == kept.quote
    assert changed.text == report_25  # its words changed: it stays with the old wording
    rows = {r.theme.id: r.passages for r in counts.theme_counts()}
    assert rows["mobila_team"] == 1 and rows["webbtidbok"] == 0
    assert Text.objects.filter(region="25", item_id="beslut.beskrivning").count() == 1


def test_deleting_a_row_keeps_the_codes_of_the_rows_below(status_round, analysts):
    answers = status_answers()
    answers["insatser"] = [
        {
            "omrade": "omstallning",
            "beskrivning": f"Insats nummer {n} med mobila team.",
            "malgrupp": "äldre",
            "skede": "pilot",
        }
        for n in (1, 2, 3)
    ]
    submit(status_round, "25", answers)
    third = Text.objects.get(region="25", item_id="insatser.3.beskrivning")
    p = coding.code_passage(third, 0, len(third.body), ["mobila_team"], coder=analysts[0])
    answers["insatser"] = answers["insatser"][1:]  # the first row is deleted
    _resubmit(status_round, "25", answers)
    third.refresh_from_db()
    assert third.replaced_at is None and third.item_id == "insatser.2.beskrivning"
    assert third.title.endswith("rad 2")
    assert Passage.objects.get(pk=p.pk).text == third
    current = Text.objects.filter(
        region="25", item_id__startswith="insatser.", replaced_at__isnull=True
    )
    assert sorted(t.item_id for t in current) == [
        "insatser.1.beskrivning",
        "insatser.2.beskrivning",
    ]


def test_rounds_submitted_before_coding_existed_are_collected(status_round, report_25):
    Text.objects.all().delete()
    assert texts.collect_round(status_round) == 4
    assert texts.collect_round(status_round) == 0  # nothing new the second time
    current = Text.objects.get(item_id="forandringar.beskrivning")
    assert current.segments.count() == 3 and Suggestion.objects.exists()


def test_sentence_splitting_keeps_abbreviations_and_lines():
    body = "Vi har t.ex. team i Kiruna. 2020 startar nästa.\nRubrik utan punkt\n\nSista?  Ja."
    assert [body[a:b] for a, b in texts.sentences(body)] == [
        "Vi har t.ex. team i Kiruna.",
        "2020 startar nästa.",
        "Rubrik utan punkt",
        "Sista?",
        "Ja.",
    ]


# ------------------------------------------------------------------- coding ---


def test_a_coded_passage_keeps_who_when_and_the_quote(report_25, analysts):
    p = coding.code_passage(
        report_25, 0, 69, ["samverkan", "mobila_team"], "pilot", coder=analysts[0]
    )
    assert (
        p.quote
        == report_25.body[:68]
        == ("Regionen har startat hemsjukvårdsteam i två kommuner som ett försök.")
    )
    assert (p.start, p.end) == (0, 68)  # the space after the selection is trimmed
    assert p.coder == analysts[0] and p.coded_at is not None and p.frame_version >= 1
    assert sorted(p.theme_ids) == ["mobila_team", "samverkan"]


@pytest.mark.parametrize(
    "start,end,themes,stage,message",
    [
        (0, 10_000, ["mobila_team"], "", "utanför texten"),
        (5, 5, ["mobila_team"], "", "utanför texten"),
        (0, 10, ["okänt_tema"], "", "okänt_tema"),
        (0, 10, [], "", "minst ett tema"),
        (0, 10, ["mobila_team"], "snart", "snart"),
    ],
)
def test_bad_codes_are_refused_and_nothing_is_stored(
    report_25, analysts, start, end, themes, stage, message
):
    with translation.override("sv"), pytest.raises(coding.CodingError, match=message):
        coding.code_passage(report_25, start, end, themes, stage, coder=analysts[0])
    assert not Passage.objects.exists() and not PassageTheme.objects.exists()


def test_only_the_coder_removes_a_passage(report_25, analysts):
    p = coding.code_passage(report_25, 0, 20, ["mobila_team"], coder=analysts[0])
    with pytest.raises(coding.CodingError):
        coding.remove_passage(p, user=analysts[1])
    coding.remove_passage(p, user=analysts[0])
    assert not Passage.objects.exists()


def test_accepting_and_rejecting_suggestions(report_25, analysts):
    first, second, third = Suggestion.objects.filter(segment__text=report_25).order_by(
        "segment__position"
    )
    passage = coding.accept(first, user=analysts[0], themes=["mobila_team"])
    assert passage.theme_ids == ["mobila_team"] and passage.stage == "pilot"
    assert (passage.start, passage.end) == (first.segment.start, first.segment.end)
    coding.reject(second, user=analysts[0])
    second.refresh_from_db()
    assert second.status == "rejected" and second.decided_by == analysts[0]
    with pytest.raises(coding.CodingError):
        coding.accept(second, user=analysts[1])
    coding.remove_passage(passage, user=analysts[0])
    first.refresh_from_db()
    assert first.status == "pending" and first.passage is None


# ------------------------------------------------------------------- counts ---


def test_theme_counts_equal_the_stored_codes(status_round, analysts, make_user):
    submit(
        status_round,
        "01",
        status_answers("Mobila team finns i Stockholm. Psykisk ohälsa prioriteras."),
    )
    submit(status_round, "25", status_answers())
    t01 = Text.objects.get(region="01", item_id="forandringar.beskrivning")
    t25 = Text.objects.get(region="25", item_id="forandringar.beskrivning")
    coding.code_passage(t01, 0, 29, ["mobila_team"], "ordinarie_drift", coder=analysts[0])
    coding.code_passage(t01, 30, len(t01.body), ["psykisk_ohalsa"], coder=analysts[0])
    coding.code_passage(t25, 0, 40, ["mobila_team", "samverkan"], "pilot", coder=analysts[0])
    coding.code_passage(t25, 0, 40, ["mobila_team"], coder=analysts[1])
    rows = {r.theme.id: r for r in counts.theme_counts()}
    for theme, row in rows.items():
        stored = PassageTheme.objects.filter(theme=theme)
        assert row.passages == _distinct_spans(stored)
        assert [r.code for r in row.regions] == sorted(
            set(stored.values_list("passage__text__region_id", flat=True)) - {None}
        )
    assert [r.code for r in rows["mobila_team"].regions] == ["01", "25"]
    assert rows["mobila_team"].passages == 2  # 25's span, coded by both, counts once
    assert rows["mobila_team"].stages == {"ordinarie_drift": 1, "pilot": 1}
    only_b = {
        r.theme.id: r.passages for r in counts.theme_counts(counts.Filters(coder_id=analysts[1].pk))
    }
    assert only_b["mobila_team"] == 1 and only_b["samverkan"] == 0
    in_25 = [p.quote for p in counts.quotes("mobila_team", counts.Filters(region="25"))]
    assert len(in_25) == 2 and all(q.startswith("Regionen har startat") for q in in_25)


def test_municipalities_count_apart_from_regions(survey_round, analysts):
    comment = Text.objects.filter(kind=TextKind.SURVEY_COMMENT, municipality="0114").first()
    assert comment is not None  # the survey's free-text question 4
    coding.code_passage(comment, 0, len(comment.body), ["kompetensforsorjning"], coder=analysts[0])
    row = next(r for r in counts.theme_counts() if r.theme.id == "kompetensforsorjning")
    assert row.regions == [] and [m.code for m in row.municipalities] == ["0114"]
    stockholm = counts.Filters(region="01")
    assert counts.quotes("kompetensforsorjning", stockholm).count() == 1
    assert counts.quotes("kompetensforsorjning", counts.Filters(region="25")).count() == 0


# ---------------------------------------------------------------- agreement ---


def test_kappa_between_two_analysts(status_round, analysts):
    body = "Mening ett om team. Mening två om team. Mening tre. Mening fyra."
    submit(status_round, "25", status_answers(body))
    text = Text.objects.get(region="25", item_id="forandringar.beskrivning")
    spans = [(s.start, s.end) for s in text.segments.all()]
    a, b = analysts
    coding.code_passage(text, *spans[0], ["mobila_team"], "pilot", coder=a)
    coding.code_passage(text, *spans[1], ["mobila_team"], "pilot", coder=a)
    coding.code_passage(text, *spans[0], ["mobila_team"], "planerad", coder=b)
    result = agreement.agreement(a, b)
    team = next(t for t in result.themes if t.theme.id == "mobila_team")
    # 4 sentences: a = 1100, b = 1000: observed 0.75, expected 0.5 -> kappa 0.5
    assert team.kappa.kappa == pytest.approx(0.5)
    assert team.kappa.observed == pytest.approx(0.75)
    assert (team.both, team.only_first, team.only_second) == (1, 1, 0)
    unused = next(t for t in result.themes if t.theme.id == "digital_vard")
    assert unused.kappa.kappa is None  # neither used it: undefined, not 1
    assert result.stage.n == 1 and result.texts == 1
    assert [(x.pk, y.pk, n) for x, y, n in agreement.pairs()] == [(a.pk, b.pk, 1)]


def test_no_agreement_without_shared_texts(report_25, analysts):
    coding.code_passage(report_25, 0, 20, ["mobila_team"], coder=analysts[0])
    assert agreement.agreement(*analysts) is None and agreement.pairs() == []


# ---------------------------------------------------------------- documents ---


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def test_pdf_text_is_extracted_and_reflowed():
    data = _pdf(
        "<p style='width:8cm'>Regionen har startat ett mobilt närsjukvårdsteam "
        "som besöker äldre i hemmet i tre kommuner.</p><p>Nytt stycke.</p>"
    )
    text = documents.extract_text("plan.pdf", data)
    assert "mobilt närsjukvårdsteam som besöker" in text
    assert text.endswith("Nytt stycke.")


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("tom.pdf", b"", "tom"),
        ("fel.pdf", b"GIF89a....", "ingen PDF"),
        ("trasig.pdf", b"%PDF-1.7\n1 0 obj <<>>\ntrailer <</Root 9 0 R>>\n%%EOF", "PDF"),
        ("latin1.txt", "Vårdcentral".encode("latin-1"), "UTF-8"),
        ("bild.png", b"\x89PNG\r\n", "bara PDF- och textfiler"),
        ("blank.txt", b"   \n ", "ingen text"),
    ],
)
def test_unreadable_documents_are_refused_with_the_reason(name, data, message):
    with translation.override("sv"), pytest.raises(documents.DocumentError, match=message) as err:
        documents.extract_text(name, data)
    assert name in str(err.value)


def test_a_pdf_without_a_text_layer_is_refused():
    with translation.override("sv"), pytest.raises(documents.DocumentError, match="textlager"):
        documents.extract_text("skannad.pdf", _pdf("<div style='height:3cm'></div>"))


# -------------------------------------------------------------------- pages ---


@pytest.fixture
def analyst_client(client, analysts):
    client.force_login(analysts[0])
    return client


def _counts_on_page(html: str) -> dict[str, tuple[int, int, int]]:
    rows = re.findall(r'<tr data-theme="(\w+)">(.*?)</tr>', html, re.S)
    out = {}
    for theme, row in rows:
        found = dict(re.findall(r'data-count="(\w+)">(\d+)<', row))
        out[theme] = (int(found["passages"]), int(found["regions"]), int(found["municipalities"]))
    return out


def test_coding_a_passage_on_the_page_raises_the_count(analyst_client, report_25):
    url = reverse("qualitative:text", args=[report_25.pk])
    page = analyst_client.get(url)
    assert page.status_code == 200
    assert "hemsjukvårdsteam" in page.content.decode()
    before = _counts_on_page(analyst_client.get(reverse("qualitative:overview")).content.decode())
    assert before["webbtidbok"] == (0, 0, 0)
    reply = analyst_client.post(
        url, {"first": "1", "last": "1", "themes": ["webbtidbok"], "stage": "bred_inforing"}
    )
    assert reply.status_code == 302
    p = Passage.objects.get()
    assert p.quote == "Alla vårdcentraler erbjuder webbtidboken sedan i våras."
    after = _counts_on_page(analyst_client.get(reverse("qualitative:overview")).content.decode())
    assert after["webbtidbok"] == (1, 1, 0)
    for theme, (n, regions, municipalities) in after.items():
        stored = PassageTheme.objects.filter(theme=theme)
        assert n == _distinct_spans(stored)
        assert regions == stored.values("passage__text__region").distinct().count()
        assert municipalities == 0


def test_a_selected_span_is_coded_by_offsets(analyst_client, report_25):
    url = reverse("qualitative:text", args=[report_25.pk])
    start = report_25.body.index("hemsjukvårdsteam")
    reply = analyst_client.post(url, {"start": start, "end": start + 16, "themes": ["mobila_team"]})
    assert reply.status_code == 302
    assert Passage.objects.get().quote == "hemsjukvårdsteam"


@pytest.mark.parametrize(
    "data",
    [
        {"themes": ["mobila_team"]},  # no passage
        {"start": "0", "end": "20", "quote": "något annat", "themes": ["mobila_team"]},
        {"first": "0", "last": "1"},  # no theme
        {"first": "2", "last": "0", "themes": ["mobila_team"]},  # backwards
        {"start": "0", "end": "99999", "themes": ["mobila_team"]},  # outside the text
        {"first": "0", "themes": ["<script>"]},  # not a theme
    ],
)
def test_a_half_filled_coding_form_is_refused(analyst_client, report_25, data):
    reply = analyst_client.post(reverse("qualitative:text", args=[report_25.pk]), data)
    assert reply.status_code == 400
    assert 'class="error' in reply.content.decode()
    assert not Passage.objects.exists()


def test_deciding_suggestions_on_the_page(analyst_client, report_25):
    s = Suggestion.objects.filter(segment__text=report_25).order_by("segment__position")[0]
    back = reverse("qualitative:text", args=[report_25.pk])
    reply = analyst_client.post(
        reverse("qualitative:decide", args=[s.pk]),
        {"decision": "accept", "themes": ["mobila_team"], "stage": "pilot", "tillbaka": back},
    )
    assert reply.status_code == 302 and reply.url == back
    assert Passage.objects.get().theme_ids == ["mobila_team"]
    again = analyst_client.post(
        reverse("qualitative:decide", args=[s.pk]),
        {"decision": "reject", "tillbaka": "https://evil.example/"},
    )
    assert again.url == reverse("qualitative:suggestions")  # no open redirect
    s.refresh_from_db()
    assert s.status == "accepted"
    page = analyst_client.get(reverse("qualitative:suggestions")).content.decode()
    assert "Mobila team" in page


def test_pages_for_analysts_only(client, make_user, report_25):
    urls = [
        reverse("qualitative:overview"),
        reverse("qualitative:texts"),
        reverse("qualitative:text", args=[report_25.pk]),
        reverse("qualitative:theme", args=["mobila_team"]),
        reverse("qualitative:suggestions"),
        reverse("qualitative:agreement"),
        reverse("qualitative:search") + "?q=team",
        reverse("qualitative:upload"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login
    client.force_login(make_user("samordnare-25", "region_coordinator", "25"))
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(make_user("analys-c", "analyst"))
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("qualitative:theme", args=["inget"])).status_code == 404


def test_uploading_a_document(analyst_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _pdf("<p>Mobila team i Kiruna besöker äldre i hemmet.</p>")
    reply = analyst_client.post(
        reverse("qualitative:upload"),
        {
            "organisation": "Kiruna",
            "title": "Intervju med Kiruna kommun",
            "file": SimpleUploadedFile("intervju.pdf", data, "application/pdf"),
        },
    )
    assert reply.status_code == 302
    text = Text.objects.get(kind=TextKind.DOCUMENT)
    assert text.municipality_id == "2584" and "Mobila team i Kiruna" in text.body
    assert text.file_name == "intervju.pdf" and len(text.file_sha256) == 64
    again = analyst_client.post(
        reverse("qualitative:upload"),
        {
            "organisation": "2584",
            "title": "Samma igen",
            "file": SimpleUploadedFile("kopia.pdf", data, "application/pdf"),
        },
    )
    assert again.status_code == 400 and "redan uppladdad" in again.content.decode()
    wrong = analyst_client.post(
        reverse("qualitative:upload"),
        {
            "organisation": "Atlantis",
            "title": "x",
            "file": SimpleUploadedFile("a.txt", b"Text.", "text/plain"),
        },
    )
    assert wrong.status_code == 400 and "Atlantis" in wrong.content.decode()
    assert Text.objects.filter(kind=TextKind.DOCUMENT).count() == 1


# --------------------------------------------------------------------- demo ---


def test_the_demo_counts_on_the_analyst_page_equal_the_stored_codes(client, db):
    from django.contrib.auth import get_user_model

    from naravard.demo.rounds import build_all

    build_all()
    client.force_login(get_user_model().objects.get(username="analytiker"))
    shown = _counts_on_page(client.get(reverse("qualitative:overview")).content.decode())
    assert len(shown) == 12
    for theme, (n, regions, municipalities) in shown.items():
        stored = PassageTheme.objects.filter(theme=theme, passage__text__replaced_at__isnull=True)
        assert n == _distinct_spans(stored)
        assert (
            regions
            == stored.exclude(passage__text__region=None)
            .values("passage__text__region")
            .distinct()
            .count()
        )
        assert (
            municipalities
            == stored.exclude(passage__text__municipality=None)
            .values("passage__text__municipality")
            .distinct()
            .count()
        )
    coded_regions = set(
        Passage.objects.filter(text__kind=TextKind.STATUS_REPORT).values_list(
            "text__region", flat=True
        )
    )
    assert len(coded_regions) == 8
    assert shown["mobila_team"][1] == 4 and shown["psykisk_ohalsa"][1] == 5
    assert shown["kompetensforsorjning"][2] > 100  # the municipalities' survey answers
    ((a, b, shared),) = agreement.pairs()
    result = agreement.agreement(a, b)
    assert shared == result.texts >= 20 and 0.6 < result.overall.kappa < 0.95


def test_the_region_page_shows_codes_of_published_status_reports_only(
    client, status_round, report_25, analysts
):
    from django.utils import timezone

    from naravard.publish.releases import publish_round

    coding.code_passage(report_25, 0, 68, ["mobila_team"], "pilot", coder=analysts[0])
    row = Text.objects.get(region="25", item_id="insatser.1.beskrivning")
    coding.code_passage(row, 0, len(row.body), ["mobila_team"], "pilot", coder=analysts[0])
    coding.code_passage(row, 0, len(row.body), ["mobila_team"], "pilot", coder=analysts[1])
    page = client.get(reverse("publish:region", args=["25"])).content.decode()
    assert 'id="theme-links"' not in page  # the round is not published
    status_round.locked_at = timezone.now()
    status_round.save()
    publish_round(status_round.pk, actor="test")
    page = client.get(reverse("publish:region", args=["25"])).content.decode()
    table = page[
        page.index('id="theme-links"') : page.index("</table>", page.index('id="theme-links"'))
    ]
    assert 'data-theme="mobila_team"' in table
    assert table.count("Mobilt team för äldre.") == 1  # the initiative, once for two coders
    assert "(Pilot)" in table
    assert "hemsjukvårdsteam" not in table  # other answers are counted, not quoted
    assert "1 kodad passage i rapportens övriga text" in table
    assert "Oplanerade återinskrivningar" not in table  # linked, but nothing is published
    assert "inte publicerade för regionen" in table


def test_a_sub_theme_is_coded_with_its_theme_and_counted_on_the_theme_page(
    analyst_client, analysts, report_25
):
    at = report_25.body.index("Psykisk")
    p = coding.code_passage(
        report_25, at, len(report_25.body), ["psykisk_barn_unga"], coder=analysts[0]
    )
    assert p.theme_ids == ["psykisk_barn_unga", "psykisk_ohalsa"]
    page = analyst_client.get(reverse("qualitative:theme", args=["psykisk_ohalsa"]))
    html = page.content.decode()
    sub = html[html.index('id="subtheme-counts"') :]
    assert re.search(r'data-theme="psykisk_barn_unga">.*?<td class="num">1</td>', sub, re.S)
    assert "Region Norrbotten" in html[html.index('id="who-h"') :]
    assert (
        analyst_client.get(reverse("qualitative:theme", args=["psykisk_barn_unga"])).status_code
        == 200
    )

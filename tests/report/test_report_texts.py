"""The analysts' texts of a report: versions with authors, files out and in (all or nothing),
the outline per follow-up, and the build placing the text's figures, numbering references and
refusing typed numbers (report/texts.py, report/outline.py, report/content.py)."""

import pytest
from django.utils import translation

from naravard.report import outline as outlines
from naravard.report import texts
from naravard.report.build import TypedNumbers, build
from naravard.report.content import build_report
from naravard.report.models import ReportText
from naravard.report.prose import ProseError

pytestmark = pytest.mark.django_db

CHAPTER = """Uppföljningen {{ uppfoljning.namn }} bygger på data till och med {{ uppfoljning.data_till | datum }}.

{{ enkat.andel("2", "ja") | procent }} av kommunerna har en gemensam målbild med regionen, se {{ ref("beslut-samverkan") }}.

{{ figur("strategier") }}

Webbtidboken visades för {{ indikator("online_booking_show_per_100k").riket | tal }} per 100 000 invånare ({{ indikator("online_booking_show_per_100k").period }}). {# tillåt: 100 000 #}
"""


def test_a_change_is_a_new_version_and_the_same_text_stores_nothing(followup):
    first = texts.save(followup, "forord", "sv", "Första.\r\n", "anna")
    assert (first.version, first.text, first.author) == (1, "Första.\n", "anna")
    assert texts.save(followup, "forord", "sv", "Första.", "bo") is None
    second = texts.save(followup, "forord", "sv", "Andra.", "bo")
    assert second.version == 2 and texts.text_of(followup, "forord", "sv") == "Andra.\n"
    assert [t.version for t in texts.history(followup, "forord", "sv")] == [2, 1]
    assert texts.text_of(followup, "forord", "en") == ""
    with pytest.raises(PermissionError):  # a version is never changed
        first.text = "ändrad"
        first.save()


def test_unknown_keys_and_languages_are_refused_and_nothing_is_stored(followup):
    with pytest.raises(texts.TextRefused) as refused:
        texts.save_many(
            followup,
            {("forord", "sv"): "ok", ("inget-kapitel", "sv"): "x", ("forord", "de"): "y"},
            "anna",
        )
    assert any("inget-kapitel är inget kapitel" in p for p in refused.value.problems)
    assert any("sv eller en, inte de" in p for p in refused.value.problems)
    assert not ReportText.objects.exists()
    assert texts.save(followup, "profil-01", "sv", "Stockholm skriver.", "anna").version == 1


def test_an_outline_is_checked_before_it_is_stored(followup):
    bad = "chapters:\n  - key: ett\n    title: {sv: Ett}\n    indicators: [finns_inte]\n  - key: ett\n    title: {sv: Igen}\n    kind: roman\n    special: [ingen]\n"
    with pytest.raises(texts.TextRefused) as refused:
        texts.save(followup, outlines.OUTLINE_KEY, "", bad, "anna")
    problems = " ".join(refused.value.problems)
    for words in (
        "ingen indikator finns_inte",
        "key ett finns två gånger",
        "kind roman finns inte",
        "ingen kapiteltabell ingen",
    ):
        assert words in problems
    assert texts.outline_of(followup) == outlines.standard()
    own = "chapters:\n  - key: inledning\n    title: {sv: Inledning, en: Introduction}\n  - key: metod\n    title: {sv: Metod}\n    kind: method\n"
    texts.save(followup, outlines.OUTLINE_KEY, "", own, "anna")
    assert [c.key for c in texts.outline_of(followup).chapters] == ["inledning", "metod"]
    # a text for a chapter the follow-up's outline no longer has is refused
    with pytest.raises(texts.TextRefused):
        texts.save(followup, "forord", "sv", "x", "anna")


def test_files_out_and_in(followup, tmp_path):
    texts.save(followup, "forord", "sv", "Förord.", "anna")
    written = texts.export(followup, tmp_path / "ut")
    assert sorted(p.name for p in written) == ["forord.sv.md", "outline.yaml"]
    assert outlines.parse((tmp_path / "ut" / "outline.yaml").read_text()) == outlines.standard()
    (tmp_path / "ut" / "forord.sv.md").write_text("Nytt förord.\n", encoding="utf-8")
    (tmp_path / "ut" / "forord.en.md").write_text("Foreword.\n", encoding="utf-8")
    stored = texts.save_many(followup, texts.read_files(tmp_path / "ut"), "bo")
    assert sorted((t.key, t.lang, t.version) for t in stored) == [
        ("forord", "en", 1), ("forord", "sv", 2), ("outline", "", 1)
    ]  # fmt: skip
    (tmp_path / "ut" / "anteckningar.txt").write_text("x")
    (tmp_path / "ut" / "trasig.sv.md").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(texts.TextRefused) as refused:
        texts.read_files(tmp_path / "ut")
    assert len(refused.value.problems) == 2


def report_value(report, indicator_id):
    """The nation's latest value of an indicator as the chapter's table of the nation has it."""
    name = report_name(indicator_id)
    table = next(b for b in report.blocks() if b.key == "riket-tillganglighet")
    row = next(r for r in table.rows if r[0].startswith(name))
    return row[2].value


def report_name(indicator_id):
    from naravard.catalog.catalogue import get_indicator

    return get_indicator(indicator_id).name["sv"]


def test_the_report_places_the_texts_blocks_numbers_references_and_computes_numbers(followup):
    texts.save(followup, "mal-och-strategier", "sv", CHAPTER, "anna")
    with translation.override("sv"):
        report = build_report(followup)
    chapter = next(s for s in report.sections if s.key == "mal-och-strategier")
    assert [type(p).__name__ for p in chapter.body] == ["str", "Table", "str"]
    strategies = chapter.body[1]
    assert strategies.key == "strategier" and chapter.blocks[0] is strategies
    decisions = next(b for b in report.blocks() if b.key == "beslut-samverkan")
    first = chapter.body[0]
    assert "31 mars 2020" in first and "28\u00a0%" in first
    assert f'<a href="#figur-{decisions.number}">figur {decisions.number}</a>' in first
    booking = round(report_value(report, "online_booking_show_per_100k"))
    assert f"visades för {booking} per 100 000 invånare (mars 2020)" in chapter.body[2]
    assert strategies not in chapter.unplaced
    # every block numbered once, in the order of the document
    numbers = [b.number for b in report.blocks() if b.kind == "table"]
    assert numbers == list(range(1, len(numbers) + 1))
    assert report.text_problems == []
    assert [s.key for s in report.sections][:4] == [
        "sammanfattning", "metod", "mal-och-strategier", "samverkan"
    ]  # fmt: skip  # chapters with neither text nor data (the foreword) are left out


def test_a_typed_number_stops_the_build_and_a_failing_expression_names_its_line(followup, tmp_path):
    texts.save(followup, "forord", "sv", "Rad ett.\n\nHela 12 regioner svarade.\n", "anna")
    with pytest.raises(TypedNumbers) as refused:
        build(followup.name, tmp_path, pdf=False)
    assert refused.value.problems[0].startswith("forord.sv.md: rad 3: talet 12")
    texts.save(followup, "forord", "sv", "Rad ett.\n\n{{ enkat.andel('99', 'ja') }}\n", "anna")
    with pytest.raises(ProseError) as failed, translation.override("sv"):
        build_report(followup)
    assert (
        "forord.sv.md: rad 3: uttrycket gick inte att räkna ut: enkäten har ingen fråga 99"
        in str(failed.value)
    )


def test_a_regions_profile_paragraph_opens_its_profile(followup):
    texts.save(
        followup,
        "profil-03",
        "sv",
        "# Uppsala\n\nRegionen har **{{ insatser.antal }}** insatser i landet att jämföra med.",
        "anna",
    )
    with translation.override("sv"):
        report = build_report(followup)
    uppsala = next(p for p in report.profiles if p.region.code == "03")
    (html,) = uppsala.body
    assert html.startswith("<h4>Uppsala</h4>") and "<strong>" in html
    assert not any(p.body for p in report.profiles if p.region.code != "03")

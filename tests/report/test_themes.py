"""The coded material in the demo's 2020 report: per theme a block in the chapter the outline
gives it (who raises it, the stages of its initiatives, the quotes, the fact boxes), the themes
and quotes in each region's profile, and how the blocks are rendered and left unnumbered."""

from __future__ import annotations

import dataclasses

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from naravard.qualitative.models import FactBox, Passage, PassageTheme
from naravard.refdata.models import Municipality, Region
from naravard.report import factcheck, render
from naravard.report.content import (
    Builder,
    Figure,
    Prose,
    Quote,
    Table,
    TextBlock,
    build_report,
)
from naravard.report.content import (
    FactBox as FactBoxBlock,
)
from naravard.report.models import FollowUp
from naravard.report.outline import standard
from naravard.report.themes import OWN_CHAPTER

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report(followup_of_the_module, django_db_blocker):
    """The report, built once for the module (its tests only read it)."""
    with django_db_blocker.unblock(), translation.override("sv"):
        return build_report(FollowUp.objects.get(pk=followup_of_the_module))


def _section(report, key):
    return next(s for s in [*report.sections, *report.profiles] if s.key == key)


def _regions_coding(followup, theme: str) -> list[str]:
    """The regions whose current status-report texts carry the theme, read from the store."""
    codes = (
        PassageTheme.objects.filter(
            theme=theme,
            passage__text__round=followup.status_round,
            passage__text__replaced_at__isnull=True,
        )
        .values_list("passage__text__region__name", flat=True)
        .distinct()
    )
    return sorted(set(codes), key=lambda name: Region.objects.get(name=name).code)


def test_a_theme_block_in_the_chapter_the_outline_names(report, followup):
    chapter = _section(report, "samverkan")  # themes: samverkan, mobila_team, vard_pa_plats
    prose = next(b for b in chapter.blocks if b.key == "tema-mobila_team")
    assert isinstance(prose, Prose) and prose.title == "Mobila team"
    names = _regions_coding(followup, "mobila_team")
    assert len(names) == 4  # Östergötland, Västernorrland, Västerbotten and Norrbotten
    assert prose.paragraphs[0] == (
        f"4 av 21 regioner tar upp temat i nulägesrapporterna: {', '.join(names[:-1])} "
        f"och {names[-1]}."
    )
    kept = [b.key for b in chapter.blocks if b.key.startswith("tema-")]
    assert kept.index("tema-samverkan") < kept.index("tema-mobila_team")  # the outline's order
    quotes = [b for b in chapter.blocks if isinstance(b, Quote) and b.title == "Mobila team"]
    marked = Passage.objects.filter(quotable=True, themes__theme="mobila_team").distinct()
    assert {q.words for q in quotes} == {p.quote for p in marked} and len(quotes) == 2
    assert {q.cite for q in quotes} == {"Region Östergötland", "Region Västernorrland"}
    [box] = [b for b in chapter.blocks if isinstance(b, FactBoxBlock)]
    assert box.heading == "Exempel: Hembesök med läkaren på video i Västernorrland"
    assert len(box.paragraphs) == 2 and box.cite == "Region Västernorrland"
    assert box.words == FactBox.objects.get(theme="mobila_team").passage.quote
    # no theme of this chapter is in another
    assert not any(
        b.key.startswith("tema-mobila_team")
        for s in report.sections
        if s.key != "samverkan"
        for b in s.blocks
    )


def test_the_stages_of_a_themes_initiatives(report, followup):
    chapter = _section(report, "kompetensforsorjning")
    prose = next(b for b in chapter.blocks if b.key == "tema-kompetensforsorjning")
    # many municipalities: counted with their counties, not named
    codes = set(
        Passage.objects.filter(
            themes__theme="kompetensforsorjning",
            text__round=followup.survey_round,
            text__replaced_at__isnull=True,
        ).values_list("text__municipality", flat=True)
    )
    counties = {Municipality.objects.get(code=c).region_id for c in codes}
    assert len(codes) > 12
    assert prose.paragraphs[1] == (
        f"{len(codes)} av 290 kommuner tar upp temat i enkätens fritextsvar, "
        f"i {len(counties)} av länen."
    )
    # the demo's initiative rows coded with competence supply (or a sub-theme of it), at the
    # stage the region gave each in nulagesrapporter-2019.yaml: Skåne's row 4 (pilot),
    # Västra Götaland's row 4 (pilot), Västernorrland's row 3 (bred införing), Västerbotten's
    # row 4 (pilot)
    assert prose.paragraphs[-1] == (
        "4 kodade insatser under temat, i det skede regionen angav: pilot 3, bred införing 1."
    )


def test_the_region_profile_names_its_themes_and_quotes(report):
    profile = _section(report, "region-22")
    text = next(b for b in profile.blocks if b.key == "profil-22-teman-text")
    assert text.level == 4
    assert text.paragraphs[0].startswith("Region Västernorrland tar upp mobila team, ")
    quotes = [b for b in profile.blocks if isinstance(b, Quote)]
    assert [q.words for q in quotes] == [
        "Långa avstånd gör det svårt för de mobila teamen att nå alla som behöver dem."
    ]
    # a region without quotable passages has its themes but no quote
    stockholm = _section(report, "region-01")
    assert any(b.key == "profil-01-teman-text" for b in stockholm.blocks)
    assert [b.cite for b in stockholm.blocks if isinstance(b, Quote)] == ["Region Stockholm"]
    # a region with no coded status report has neither
    assert not any(isinstance(b, TextBlock) for b in _section(report, "region-04").blocks)


def test_the_blocks_of_words_are_not_numbered_and_have_no_data_file(report):
    blocks = [b for part in (report.sections, report.profiles) for s in part for b in s.blocks]
    words = [b for b in blocks if isinstance(b, TextBlock)]
    assert words and all(b.number == 0 for b in words)
    assert not any(isinstance(b, TextBlock) for b in report.blocks())
    assert [b.number for b in report.figures] == list(range(1, len(report.figures) + 1))
    assert [b.number for b in report.tables] == list(range(1, len(report.tables) + 1))
    assert all(type(b) in (Table, Figure) for b in report.blocks())


def test_the_fact_check_shows_a_region_its_quotes(report):
    passages = factcheck.passages(report)["22"]
    assert any("Långa avstånd gör det svårt" in p["text"] for p in passages)


def test_themes_no_chapter_names_get_a_chapter_of_their_own(followup):
    outline = standard()
    chapters = tuple(
        dataclasses.replace(c, themes=()) if c.key == "samverkan" else c for c in outline.chapters
    )
    with translation.override("sv"):
        builder = Builder(followup)
        builder.__dict__["outline"] = dataclasses.replace(outline, chapters=chapters)
        report = builder.build()
    keys = [s.key for s in report.sections]
    assert keys.index(OWN_CHAPTER) == keys.index("regionprofiler") - 1
    own = _section(report, OWN_CHAPTER)
    assert own.title == "Teman i regionernas rapporter"
    assert [b.key for b in own.blocks if isinstance(b, Prose)] == [
        "tema-mobila_team",
        "tema-vard_pa_plats",
        "tema-samverkan",
    ]  # the frame's order
    assert not any(b.key.startswith("tema-") for b in _section(report, "samverkan").blocks)


def test_quotes_and_fact_boxes_in_the_html(report):
    with translation.override("sv"):
        html = render_to_string(
            "report/report.html", {"report": report, "css": render.report_css()}
        )
    assert (
        "<blockquote><p>Långa avstånd gör det svårt för de mobila teamen att nå alla som behöver "
        'dem.</p></blockquote>\n  <p class="source">– <cite>Region Västernorrland</cite></p>'
    ) in html
    box = FactBox.objects.get(theme="mobila_team")
    key = f"tema-mobila_team-faktaruta-{box.pk}"
    assert f'<aside class="factbox" id="{key}" aria-labelledby="{key}-h">' in html
    assert f'<h4 id="{key}-h">Exempel: Hembesök med läkaren på video i Västernorrland</h4>' in html
    assert '<h3 class="theme" id="tema-mobila_team">Mobila team</h3>' in html
    assert '<h4 class="theme" id="profil-22-teman-text">Teman i nulägesrapporten</h4>' in html
    assert "aside.factbox" in render.report_css()

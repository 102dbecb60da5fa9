"""Analysts' text with live numbers: formatting filters, the typed-number check, placement,
references, and errors that name their line (report/prose.py)."""

import datetime as dt

import pytest
from django.utils import translation

from naravard.report import prose


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def test_filters_write_numbers_dates_and_lists_as_swedes_do():
    assert prose.procent(54.349, 1) == "54,3\u00a0%"
    assert prose.procent(None) == "–"
    assert prose.tal(12345.67, 1) == "12\u2009345,7"
    assert prose.datum(dt.date(2019, 12, 31)) == "31 december 2019"
    assert prose.datum("2020-03") == "mars 2020"
    assert prose.lista(["Kalmar", "Skåne", "Stockholm"]) == "Kalmar, Skåne och Stockholm"
    assert prose.lista(["Kalmar"]) == "Kalmar" and prose.lista([]) == "–"
    assert prose.antal(1, "region", "regioner") == "1 region"
    assert prose.antal(5, "region", "regioner") == "5 regioner"
    with translation.override("en"):
        assert prose.lista(["Kalmar", "Skåne"]) == "Kalmar and Skåne"
        assert prose.tal(12345.67, 1) == "12,345.7"


TEXT = """# Rubrik 3

Ett år: 2019. {{ andel | procent }} av kommunerna.
Ungefär 12 regioner, 3,5 procent och 1 177 personer.
1. en punkt med nummer
Covid-19, e-tjänst och [länk](https://example.org/55) {# tillåt: 1177 #}
Vårdguiden 1177.
"""


def test_typed_numbers_are_flagged_with_their_line_and_years_and_allowed_ones_are_not():
    problems = prose.typed_numbers(TEXT)
    assert [(p.line, p.message.split(" är ")[0]) for p in problems] == [
        (4, "talet 12"),
        (4, "talet 3,5"),
    ]  # 1 177 is allowed in the whole text by its comment, as 1177
    assert [str(p).split(" är ")[0] for p in prose.typed_numbers("Ja, 1 177 personer.")] == [
        "rad 1: talet 1 177"
    ]
    assert "{{" in problems[0].message  # says how to write it instead
    assert str(problems[0]).startswith("rad 4: talet 12")
    assert prose.typed_numbers("Inga tal här, bara {{ 12 }} och år 2021.") == []


def context():
    return {"andel": 27.55, "namn": ["Kalmar", "Skåne"]}


def test_a_text_renders_with_its_blocks_placed_and_references_kept_for_numbering():
    source = "Se {{ ref('karta') }}.\n\n{{ figur('karta') }}\n\n**{{ andel | procent(1) }}** i {{ namn | lista }}.\n"
    rendered = prose.render(source, "kapitel.sv.md", context(), known={"karta", "tabell"})
    assert rendered.placed == ["karta"] and rendered.refs == ["karta"]
    before, placed, after = rendered.parts
    assert placed == prose.Placed("karta")
    assert "[[naravard-ref:karta]]" in before
    assert after == "<p><strong>27,6\u00a0%</strong> i Kalmar och Skåne.</p>\n"
    linked = prose.resolve_refs(before, lambda key: ("figur-3", "figur 3"))
    assert linked == '<p>Se <a href="#figur-3">figur 3</a>.</p>\n'


def test_html_in_a_text_is_shown_as_text_not_run():
    rendered = prose.render("<script>alert(1)</script> {{ '<b>' }}", "x", {}, known=())
    html = "".join(p for p in rendered.parts if isinstance(p, str))
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("Rad ett.\n\n{{ saknas }}\n", 3, "uttrycket gick inte att räkna ut"),
        ("Rad ett.\n{{ andel | procent(\n", 2, "fel i uttrycket"),
        ("a\nb\n{{ figur('finns-inte') }}\n", 3, "det finns ingen figur eller tabell finns-inte"),
        ("{{ andel.__class__ }}", 1, "uttrycket gick inte att räkna ut"),
        ("\n{{ namn | procent }}", 2, "uttrycket gick inte att räkna ut"),
    ],
)
def test_an_expression_that_fails_names_its_line(source, line, words):
    with pytest.raises(prose.ProseError) as caught:
        prose.render(source, "kapitel.sv.md", context(), known={"karta"})
    (problem,) = caught.value.problems
    assert problem.line == line and words in problem.message
    assert str(caught.value).startswith("kapitel.sv.md: rad")


def test_the_sandbox_refuses_reaching_into_python():
    with pytest.raises(prose.ProseError):
        prose.render("{{ ''.__class__.__mro__[1].__subclasses__() }}", "x", {}, known=())
    with pytest.raises(prose.ProseError):
        prose.render("{{ range(10**9) | list }}", "x", {}, known=())


def test_a_preview_accepts_any_block_key():
    rendered = prose.render("{{ figur('vad-som-helst') }}", "x", {}, known=None)
    assert rendered.placed == ["vad-som-helst"]


def test_the_texts_headings_go_under_the_chapters_title():
    rendered = prose.render("# Del\n\n## Underdel\n\ntext", "x", {}, known=())
    assert rendered.parts[0].startswith("<h3>Del</h3>\n<h4>Underdel</h4>")
    deeper = prose.render("# Del", "x", {}, known=(), heading_offset=3)
    assert deeper.parts[0] == "<h4>Del</h4>\n"

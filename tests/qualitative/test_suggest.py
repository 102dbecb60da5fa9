"""The coding frame and the Swedish-aware code suggestions."""

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from naravard.core.stems import words
from naravard.qualitative.frame import FrameError, current_frame, parse
from naravard.qualitative.suggest import suggest


def test_the_frame_has_the_report_themes_and_four_stages():
    frame = current_frame()
    assert {
        "mobila_team",
        "patientkontrakt",
        "fast_kontakt",
        "webbtidbok",
        "psykisk_ohalsa",
        "halsoframjande",
        "uppgiftsvaxling",
        "vard_pa_plats",
        "digital_vard",
        "kompetensforsorjning",
        "samverkan",
        "uppfoljning",
    } == {t.id for t in frame.themes}
    assert [s.id for s in frame.stages] == ["planerad", "pilot", "bred_inforing", "ordinarie_drift"]
    assert frame.theme("mobila_team").name["en"] == "Mobile teams"


def test_compounds_and_inflections_match():
    assert "mobila_team" in suggest("Hemsjukvårdsteamen har blivit fler.").themes
    assert "webbtidbok" in suggest("Webbtidboken används på alla mottagningar.").themes
    assert "psykisk_ohalsa" in suggest("Insatser mot psykisk ohälsa bland unga.").themes
    assert suggest("Teamet testas som pilot på två orter.").stage == "pilot"
    assert words("Teamen")[0] == ("teamen", "team")


def test_unrelated_text_gets_no_theme():
    s = suggest("Regionfullmäktige beslutade om budgeten.")
    assert s.themes == [] and s.stage is None


def test_a_broken_frame_is_refused_with_where():
    with pytest.raises(FrameError, match="themes/0"):
        parse(
            {
                "id": "x",
                "version": 1,
                "title": {"sv": "a", "en": "b"},
                "themes": [{"id": "Bad Id", "name": {"sv": "a", "en": "b"}, "terms": ["x"]}],
                "stages": [{"id": "p", "name": {"sv": "a", "en": "b"}, "terms": ["pp"]}],
            }
        )


def test_sub_themes_refine_a_theme_the_text_raises():
    frame = current_frame()
    assert frame.theme("psykisk_barn_unga").parent == "psykisk_ohalsa"
    assert frame.with_parents(["psykisk_barn_unga"]) == ["psykisk_ohalsa", "psykisk_barn_unga"]
    s = suggest("Första linjen för barn och unga med psykisk ohälsa har byggts ut.")
    assert s.themes == ["psykisk_ohalsa", "psykisk_barn_unga", "psykisk_forsta_linjen"]
    assert suggest("Barn och unga får en ny simhall.").themes == []  # no theme to refine


def test_sub_theme_ids_must_differ_from_every_other_theme():
    code = {"id": "a", "name": {"sv": "a", "en": "a"}, "terms": ["aa"]}
    with pytest.raises(FrameError, match="theme ids repeat"):
        parse(
            {
                "id": "x",
                "version": 1,
                "title": {"sv": "a", "en": "b"},
                "themes": [{**code, "subthemes": [code]}],
                "stages": [{"id": "p", "name": {"sv": "a", "en": "b"}, "terms": ["pp"]}],
            }
        )


def _code(code_id: str, *terms: str) -> dict:
    return {"id": code_id, "name": {"sv": code_id, "en": code_id}, "terms": list(terms)}


def test_how_terms_match_words_and_compounds():
    frame = parse(
        {
            "id": "x",
            "version": 1,
            "title": {"sv": "a", "en": "b"},
            "themes": [
                _code("team", "mobila team"),
                _code("bil", "bil"),
                _code("kontakt", "kontakt"),
            ],
            "stages": [_code("pilot", "pilot"), _code("drift", "ordinarie drift")],
        }
    )
    # several words match consecutive words, the last one also as the end of a compound
    s = suggest("Mobila team finns. Ett team som är mobilt, och mobila hemsjukvårdsteamen.", frame)
    assert s.evidence == {"team": ["mobila team", "mobila hemsjukvårdsteamen"]}
    # a part shorter than four letters matches whole words only, not inside a compound
    assert suggest("Bilen, bilverkstaden och elbilen.", frame).evidence == {"bil": ["bilen"]}
    # a longer one also the beginning and the end of a compound, in the order of the text
    assert suggest("Vårdkontakten och kontaktpersonerna; kontakt.", frame).evidence == {
        "kontakt": ["vårdkontakten", "kontaktpersonerna", "kontakt"]
    }
    assert suggest("Piloten blev ordinarie drift.", frame).stage == "drift"
    assert suggest("Ordinarie drift efter en pilot.", frame).stage == "pilot"


def test_words_are_stemmed_right_by_threads_at_once():
    """Requests served at once stem in several threads; a shared Snowball stemmer keeps its
    word in itself, so threads sharing one would stem each other's words (or fail)."""
    text = " ".join(["hemsjukvårdsteamet webbtidboken sjuksköterskorna arbetsterapeuterna"] * 300)
    want = words(text)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            got = list(pool.map(words, [text] * 8))
    finally:
        sys.setswitchinterval(interval)
    assert all(g == want for g in got)

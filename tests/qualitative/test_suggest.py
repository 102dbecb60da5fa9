"""The coding frame and the Swedish-aware code suggestions."""

import pytest

from naravard.qualitative.frame import FrameError, current_frame, parse
from naravard.qualitative.suggest import suggest, words


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

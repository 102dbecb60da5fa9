"""Every theme the indicator catalogue names is a theme of the coding frame (naravard.E021)."""

import dataclasses

from django.core.management import call_command

from naravard.catalog.catalogue import catalogue
from naravard.core.checks import failed_checks
from naravard.qualitative.frame import current_frame


def test_the_catalogue_themes_are_in_the_coding_frame():
    call_command("check")
    known = {t.id for t in current_frame().all_themes}
    named = {theme for ind in catalogue().values() for theme in ind.themes}
    assert named and named <= known


def test_a_theme_the_frame_does_not_have_is_error_e021(monkeypatch):
    ind = catalogue()["named_doctor_share"]
    monkeypatch.setitem(
        catalogue(), ind.id, dataclasses.replace(ind, themes=(*ind.themes, "kontinuitet_x"))
    )
    frame = current_frame()
    assert [(m.id, m.msg) for m in failed_checks()] == [
        (
            "naravard.E021",
            f"indicator named_doctor_share names theme 'kontinuitet_x', which coding frame "
            f"{frame.id} v{frame.version} does not have",
        )
    ]

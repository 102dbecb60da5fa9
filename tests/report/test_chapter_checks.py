"""The report's standard outline and the facts it relies on agree: every chapter's tables have
a builder and every builder a chapter (naravard.E023); the outline's development areas are the
status report's, and its indicators and themes exist (naravard.E025)."""

from importlib import resources

import pytest
import yaml
from django.core.management import call_command

from naravard.core.checks import failed_checks
from naravard.report import content
from naravard.report import outline as outlines


def found() -> list[tuple[str, str]]:
    return [(m.id, m.msg) for m in failed_checks()]


def replace_chapter(monkeypatch, key: str, **changes) -> None:
    """Change the standard outline's chapter ``key`` for one test."""
    raw = yaml.safe_load(outlines.standard_text())
    for chapter in raw["chapters"]:
        if chapter["key"] == key:
            chapter.update(changes)
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    monkeypatch.setattr(outlines, "standard_text", lambda: text)


def test_the_chapters_and_their_builders_agree():
    call_command("check")
    named = {name for ch in outlines.standard().chapters for name in ch.special}
    assert (
        named
        == set(content.CHAPTER_TABLES)
        == {
            "strategies",
            "decisions",
            "online_booking",
            "staff",
        }
    )


def test_a_chapter_table_with_no_builder_is_error_e023(monkeypatch):
    replace_chapter(monkeypatch, "tillganglighet", special=["online_bookings"])
    assert found() == [
        (
            "naravard.E023",
            "chapter tillganglighet names tables 'online_bookings', which no builder makes",
        ),
        ("naravard.E023", "the builder of chapter tables 'online_booking' is used by no chapter"),
    ]


def test_a_builder_no_chapter_uses_is_error_e023(monkeypatch):
    monkeypatch.setitem(content.CHAPTER_TABLES, "waiting_times", lambda builder: [])
    assert found() == [
        ("naravard.E023", "the builder of chapter tables 'waiting_times' is used by no chapter")
    ]


def test_two_builders_of_the_same_tables_are_refused(monkeypatch):
    monkeypatch.setattr(content, "CHAPTER_TABLES", dict(content.CHAPTER_TABLES))
    with pytest.raises(ValueError, match="two builders of the chapter tables 'staff'"):
        content.chapter_tables("staff")(lambda builder: [])


def test_an_area_that_is_no_development_area_is_error_e025(monkeypatch):
    replace_chapter(monkeypatch, "digitala-tjanster", areas=["it"])
    assert found() == [
        (
            "naravard.E025",
            "the outline names it, which is no development area of the status report",
        ),
        (
            "naravard.E025",
            "development area it_stod of the newest status report is in no chapter of the outline",
        ),
    ]


def test_a_new_development_area_without_a_chapter_is_error_e025(ship_form):
    raw = yaml.safe_load(
        resources.files("naravard.collect")
        .joinpath("definitions", "nulagesrapport-2019.yaml")
        .read_text(encoding="utf-8")
    )
    raw["id"] = "nulagesrapport-2022"  # the newest form of the series
    raw["choice_sets"]["area"].append(
        {"code": "psykisk_halsa", "text": {"sv": "Psykisk hälsa", "en": "Mental health"}}
    )
    ship_form(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False))
    assert found() == [
        (
            "naravard.E025",
            "development area psykisk_halsa of the newest status report is in no chapter of the "
            "outline",
        )
    ]


def test_an_indicator_or_theme_that_does_not_exist_is_error_e025(monkeypatch):
    replace_chapter(
        monkeypatch, "personcentrerad-vard", indicators=["named_doctors_share"], themes=["ingen"]
    )
    assert found() == [
        (
            "naravard.E025",
            "report/data/outline.yaml: kapitel 7 (personcentrerad-vard): ingen indikator "
            "named_doctors_share",
        ),
        (
            "naravard.E025",
            "report/data/outline.yaml: kapitel 7 (personcentrerad-vard): inget tema ingen i "
            "kodramen",
        ),
    ]

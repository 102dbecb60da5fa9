"""Name resolution: every spelling to one code, never a silent guess; a refusal says why, in
Swedish where people read it."""

import pytest
from django.utils import translation

from naravard.refdata.resolve import AmbiguousName, ResolveError, Resolver, UnknownName

resolver = Resolver.default()


@pytest.mark.parametrize(
    "name, code",
    [
        ("Region Jämtland Härjedalen", "23"),
        ("Jämtlands län", "23"),
        ("Jämtland Härjedalen", "23"),
        ("Västra Götalandsregionen", "14"),
        ("VGR", "14"),
        ("vgr", "14"),
        ("Västra Götaland", "14"),
        ("Örebro län", "18"),
        ("Sörmland", "04"),
        ("Region Sörmland", "04"),
        ("Södermanlands län", "04"),
        ("  region   sörmland ", "04"),
        ("SE-AB", "01"),
        ("Kalmar län", "08"),
        ("Region Kalmar", "08"),
        ("1", "01"),
        ("01", "01"),
        ("0001", "01"),
        ("25", "25"),
        ("Upplands Väsby", "0114"),
        ("Upplands-Väsby", "0114"),
        ("Upplands Väsby kommun", "0114"),
        ("114", "0114"),
        ("0180", "0180"),
        ("Stockholms stad", "0180"),
        ("Göteborgs stad", "1480"),
        ("Falu kommun", "2080"),
        ("Malung-Sälen", "2023"),
    ],
)
def test_known_spellings_resolve(name, code):
    assert resolver.resolve(name).code == code


def test_gotaland_is_refused_not_mapped_to_vastra_gotaland():
    with pytest.raises(UnknownName) as info:
        resolver.resolve("Götaland")
    suggested = {p.code for p in info.value.places}
    assert "09" in suggested  # Gotland is offered, not applied
    assert "Götaland" in str(info.value)
    with pytest.raises(UnknownName):
        resolver.resolve("Götaland", level="region")


def test_the_tabell_2_misprint_norrbottnen_is_flagged_with_a_suggestion():
    with pytest.raises(UnknownName) as info:
        resolver.resolve("Norrbottnen", level="region")
    assert info.value.places[0].code == "25"


@pytest.mark.parametrize(
    "name, codes",
    [
        ("Stockholm", {"01", "0180"}),
        ("Gotland", {"09", "0980"}),
        ("Region Gotland", {"09", "0980"}),
        ("Uppsala", {"03", "0380"}),
    ],
)
def test_names_of_a_region_and_a_municipality_are_ambiguous_without_level(name, codes):
    with pytest.raises(AmbiguousName) as info:
        resolver.resolve(name)
    assert {p.code for p in info.value.places} == codes
    assert resolver.resolve(name, level="region").code in codes
    assert resolver.resolve(name, level="municipality").code in codes


def test_unknown_name_gives_close_suggestions():
    with pytest.raises(UnknownName) as info:
        resolver.resolve("Orebro lan")
    assert info.value.places[0].code == "18"


@pytest.mark.parametrize("name", ["", "99", "9999", "0026", "Atlantis", "12345"])
def test_nonsense_is_unknown(name):
    with pytest.raises(UnknownName):
        resolver.resolve(name)


def test_alias_to_unknown_code_is_rejected_when_the_table_is_built():
    from naravard.refdata import files

    with pytest.raises(ValueError, match="unknown code"):
        Resolver(files.regions(), files.municipalities(), [("Nowhere", "99")])


def test_resolver_says_when_a_name_is_of_the_other_level():
    with pytest.raises(UnknownName, match="is not a municipality"):
        Resolver.default().resolve("01", level="municipality")


def in_words(text, level=None) -> str:
    with pytest.raises(ResolveError) as refused:
        Resolver.default().resolve(text, level=level)
    with translation.override("sv"):
        return refused.value.in_words()


def test_names_that_resolve_to_nothing_or_to_the_wrong_level():
    assert in_words("Atlantis", "municipality") == "Ingen kommun heter ”Atlantis”."
    assert in_words("Göteborg", "region") == "”Göteborg” är ingen region: det är Göteborg (1480)."
    assert in_words("Gotland") == (
        "”Gotland” kan betyda flera: Gotlands län (09), Gotland (0980). Skriv koden i stället."
    )
    assert "Menade du Uppsala (0380)" in in_words("Upsala", "municipality")

"""Problems with an uploaded file or a name in it are told in Swedish, where people read them
(the command line keeps its English messages for the resolver)."""

import pytest
from django.utils import translation

from naravard.core.tables import TableError, read_table
from naravard.refdata.resolve import ResolveError, Resolver


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


def test_an_unreadable_file_is_explained_in_swedish_and_english():
    with translation.override("sv"), pytest.raises(TableError) as sv:
        read_table("svar.csv", b"\xff\xfe\x00x")
    assert str(sv.value) == (
        "svar.csv: texten är inte UTF-8 (byte 0). Spara filen som ”CSV UTF-8” och försök igen."
    )
    with translation.override("en"), pytest.raises(TableError) as en:
        read_table("svar.csv", b"   ")
    assert str(en.value) == "svar.csv: the file is empty."

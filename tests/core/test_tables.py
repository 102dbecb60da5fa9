"""Reading uploaded tables: hostile, broken or unreadable files are refused cleanly, and the
reason is told in the language of the page."""

import pytest
from django.utils import translation

from naravard.core.tables import TableError, read_table


@pytest.mark.parametrize(
    "content, message",
    [
        ("org,4\n0180," + "x" * 200_000 + "\n", "kan inte läsas som CSV från rad 2"),
        ("org," + ",".join(f"c{i}" for i in range(20_000)) + "\n0180\n", "fler än 2000 kolumner"),
        ("org,4\n" + "0180,x\n" * 6000, "fler än 5000 rader"),
        (b"\xff\xfe\x00garbage", "inte UTF-8"),
    ],
)
def test_hostile_files_are_refused_cleanly(content, message):
    data = content if isinstance(content, bytes) else content.encode()
    with pytest.raises(TableError, match=message):
        read_table("hostile.csv", data)


def test_a_wide_but_empty_header_costs_nothing():
    header, rows = read_table("wide.csv", ("org" + "," * 20_000 + "\n" + "x\n" * 2000).encode())
    assert header == ["org"] and len(rows) == 2000 and all(len(r) == 1 for r in rows)


def test_broken_xlsx_is_refused_cleanly():
    with pytest.raises(TableError, match="kan inte läsas som en Excelfil"):
        read_table("broken.xlsx", b"PK\x03\x04 not really a zip")


def test_an_unreadable_file_is_explained_in_swedish_and_english():
    with translation.override("sv"), pytest.raises(TableError) as sv:
        read_table("svar.csv", b"\xff\xfe\x00x")
    assert str(sv.value) == (
        "svar.csv: texten är inte UTF-8 (byte 0). Spara filen som ”CSV UTF-8” och försök igen."
    )
    with translation.override("en"), pytest.raises(TableError) as en:
        read_table("svar.csv", b"   ")
    assert str(en.value) == "svar.csv: the file is empty."

"""Reading uploaded tables: hostile, broken or unreadable files are refused cleanly, and the
reason is told in the language of the page."""

import pytest
from django.utils import translation

from naravard.core.tables import TableError, open_table, read_table


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


def test_open_table_reads_a_file_of_any_length_as_it_streams(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("org;value\n" + "".join(f"{n};{n}\n\n" for n in range(20_000)))
    with open_table(path.name, path, max_rows=None) as (header, rows):
        assert header == ["org", "value"]
        first = next(rows)
        assert first == ["0", "0"] and sum(1 for _ in rows) == 19_999  # blank lines left out
    with open_table(path.name, path) as (header, rows), pytest.raises(TableError, match="5000"):
        list(rows)


def test_a_line_longer_than_any_row_is_refused_before_it_is_read_whole(tmp_path):
    path = tmp_path / "nul.csv"
    with path.open("wb") as fh:
        fh.write(b"org,value\n")
        fh.truncate(64 * 1024 * 1024)  # a second line of 64 MB of NUL bytes
    with open_table(path.name, path, max_rows=None) as (_header, rows):
        with pytest.raises(TableError, match="rad 2 är längre än 4194304 tecken"):
            list(rows)


def test_a_byte_that_is_not_utf8_is_found_where_it_is():
    data = b"org\n" + "å\n".encode() * 300_000 + b"\xff\n"
    with translation.override("sv"), pytest.raises(TableError, match=r"\(byte 900004\)"):
        with open_table("svar.csv", data, max_rows=None) as (_header, rows):
            list(rows)

"""The groupings of regions and municipalities: each area in exactly one group, the file read
with clear errors."""

import pytest

from naravard.refdata import files, groupings
from naravard.refdata.groupings import GroupingError


def test_every_grouping_divides_its_level_into_groups():
    assert groupings.coverage_problems() == []
    found = groupings.groupings()
    assert [g.level for g in found].count("region") >= 1
    for grouping in found:
        size = len(files.regions() if grouping.level == "region" else files.municipalities())
        assert sum(len(g.members) for g in grouping.groups) == size


def test_the_nuts2_areas_are_eurostats():
    nuts = groupings.by_pxweb_id("agg_RegionNUTS2_2008")
    assert nuts is not None and len(nuts.groups) == 8
    assert nuts.group_of("12").code == "SE22" and nuts.group_of("25").code == "SE33"
    assert nuts.group("SE12").members == ("03", "04", "05", "18", "19")
    assert nuts.group_of("99") is None and groupings.by_pxweb_id("agg_nothing") is None


def _load(tmp_path, monkeypatch, text: str, extra: dict[str, str] | None = None):
    (tmp_path / "groupings.yaml").write_text(text, encoding="utf-8")
    for name, content in (extra or {}).items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.setattr(files, "data_path", lambda name: tmp_path / name)
    groupings.groupings.cache_clear()
    try:
        return groupings.groupings()
    finally:
        groupings.groupings.cache_clear()


GROUP = "{code: X1, name: {sv: Ett, en: One}, members: ['01']}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {id: a, pxweb: vs_a, level: region}", "beginning with agg_"),
        ("- {id: a, pxweb: agg_a, level: county}", "level is one of region, municipality"),
        ("- {id: a, pxweb: agg_a, level: region, groups: []}", "grouping a: no groups"),
        (
            "- {id: a, pxweb: agg_a, level: region, groups: [{code: X1, members: ['01']}]}",
            "grouping a, group X1: name needs a text in sv and en",
        ),
        (
            "- {id: a, pxweb: agg_a, level: region, groups: [{code: X1, name: {sv: E, en: O}}]}",
            "grouping a, group X1: no members",
        ),
        (
            f"- {{id: a, pxweb: agg_a, level: region, name: {{sv: A, en: A}}, "
            f"source: {{sv: K, en: S}}, groups: [{GROUP}, {GROUP}]}}",
            "a group code is used twice",
        ),
        ("{id: a}", "a list of groupings"),
    ],
)
def test_a_malformed_file_names_what_is_wrong(tmp_path, monkeypatch, text, message):
    with pytest.raises(GroupingError, match=message):
        _load(tmp_path, monkeypatch, text)


def test_members_read_from_a_file_must_match_the_listed_groups(tmp_path, monkeypatch):
    head = (
        "- {id: a, pxweb: agg_a, level: municipality, name: {sv: A, en: A}, "
        "source: {sv: K, en: S}, members_file: m.csv, groups: "
        "[{code: X1, name: {sv: Ett, en: One}}]}"
    )
    found = _load(tmp_path, monkeypatch, head, {"m.csv": "code,group\n0114,X1\n0115,X1\n"})
    assert found[0].group("X1").members == ("0114", "0115")
    with pytest.raises(GroupingError, match="names groups that are not listed: X2"):
        _load(tmp_path, monkeypatch, head, {"m.csv": "code,group\n0114,X1\n0115,X2\n"})
    with pytest.raises(GroupingError, match="line 3 lacks a code or a group"):
        _load(tmp_path, monkeypatch, head, {"m.csv": "code,group\n0114,X1\n0115,\n"})
    with pytest.raises(GroupingError, match="has the columns code,group"):
        _load(tmp_path, monkeypatch, head, {"m.csv": "kod,grupp\n0114,X1\n"})

"""Form definitions: the shipped ones follow the exchange contract; broken ones are refused."""

import pytest
import yaml

from naravard.collect.codebook import entries
from naravard.collect.definition import DefinitionError, get_form, load_text, registry

SURVEY_ITEMS = [
    "1.politisk",
    "1.ledning",
    "1.verksamhet",
    "1.profession",
    "2",
    "2a",
    "3.sjukskoterska",
    "3.specialistsjukskoterska",
    "3.fysioterapeut",
    "3.arbetsterapeut",
    "3.dietist",
    "3.farmaceut",
    "3.kommentar",
    "4",
]


def test_the_municipal_survey_has_the_contract_items_and_codes():
    form = get_form("kommunenkat-2019")
    assert form.audience == "municipalities"
    assert [i.id for i in form.items] == SURVEY_ITEMS
    assert form.item("1.ledning").codes == ("ja", "nej")
    assert form.item("2").codes == ("ja", "nej")
    assert form.item("3.farmaceut").codes == (
        "brist",
        "balans",
        "overskott",
        "vet_inte",
        "finns_ej",
    )
    assert form.item("3.dietist").choice_text("finns_ej") == "Finns inte i kommunens verksamhet"
    assert form.item("2a").show_if.question == "2" and form.item("2a").show_if.values == ("nej",)
    assert form.item("4").type == "text" and form.item("3.kommentar").type == "text"


def test_the_status_report_follows_skr_structure_with_initiatives():
    form = get_form("nulagesrapport-2019")
    assert form.audience == "regions"
    assert [s.id for s in form.sections] == [
        "beslut",
        "organisation",
        "forandringar",
        "ekonomi",
        "insatser",
    ]
    group = form.item("insatser")
    assert [f.id for f in group.fields] == [
        "omrade",
        "beskrivning",
        "malgrupp",
        "skede",
        "startar",
        "kostnad",
    ]
    assert group.field("skede").codes == ("planerad", "pilot", "bred_inforing", "ordinarie_drift")
    assert len(group.field("omrade").codes) == 7  # 3 + 4 development areas of the two agreements
    assert (
        form.item("medel.erhallna").type == "money" and form.item("medel.anvanda").type == "money"
    )
    assert {c.level for c in form.item("medel.anvanda").checks} == {"soft"}


def test_every_shipped_definition_loads_and_has_a_codebook():
    for form in registry().values():
        book = entries(form)
        assert len(book) >= len(form.items)
        assert all(e.column and e.text for e in book)


def _survey_raw() -> dict:
    from importlib import resources

    text = (
        resources.files("naravard.collect")
        .joinpath("definitions", "kommunenkat-2019.yaml")
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["sections"][0]["questions"][1].update(type="slider"), "slider"),
        (
            lambda d: d["sections"][0]["questions"][2].update(
                show_if={"question": "4", "equals": "ja"}
            ),
            "not an earlier question",
        ),
        (
            lambda d: d["sections"][0]["questions"][2].update(
                show_if={"question": "2", "equals": "kanske"}
            ),
            "kanske",
        ),
        (
            lambda d: d["sections"][1]["questions"].append(dict(d["sections"][1]["questions"][1])),
            "used twice",
        ),
        (
            lambda d: d["sections"][0]["questions"][1]["text"].pop("en"),
            "'en' is a required property",
        ),
        (lambda d: d.update(audience="everyone"), "everyone"),
        (
            lambda d: d["sections"][1]["questions"][0].update(choices="unknown_set"),
            "unknown choice set",
        ),
    ],
)
def test_broken_definitions_are_refused_with_a_reason(mutate, message):
    raw = _survey_raw()
    mutate(raw)
    with pytest.raises(DefinitionError, match=message):
        load_text(yaml.safe_dump(raw, allow_unicode=True))


def test_next_years_survey_is_a_new_file_not_new_code():
    raw = _survey_raw()
    raw["id"] = "kommunenkat-2020"
    raw["sections"][1]["questions"][0]["rows"].append(
        {"id": "psykolog", "text": {"sv": "Psykolog", "en": "Psychologist"}}
    )
    form = load_text(yaml.safe_dump(raw, allow_unicode=True))
    assert form.has_item("3.psykolog") and form.id == "kommunenkat-2020"


def test_forms_check_command(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 0\n", encoding="utf-8")
    out = cli("forms", "check", str(bad))
    assert out.returncode == 1 and "bad.yaml" in out.stderr

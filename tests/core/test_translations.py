"""The English catalogue is complete and has no guessed (fuzzy) translations."""

import re
from pathlib import Path

PO = Path(__file__).parents[2] / "src/naravard/locale/en/LC_MESSAGES/django.po"


def entries():
    text = PO.read_text(encoding="utf-8")
    return [block for block in text.split("\n\n")[1:] if "msgid" in block]


def test_no_fuzzy_or_previous_msgids():
    for block in entries():
        assert "#, fuzzy" not in block and "#| msgid" not in block, block


def test_every_message_is_translated():
    for block in entries():
        if "#~ msgid" in block:
            continue  # obsolete
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M)
        assert strings, block
        for s in strings:
            assert "".join(re.findall(r'"(.*)"', s)).strip(), block

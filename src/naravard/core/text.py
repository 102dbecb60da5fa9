"""Text that every store accepts: what people send is cleaned before anything keeps it.

PostgreSQL refuses the NUL character in text and JSON columns, and a lone UTF-16 surrogate
(``"\\ud800"`` in JSON, a broken byte sequence after decoding) cannot be encoded as UTF-8 at
all. Either would fail the whole transaction and lose what was typed with it. naravard's rule,
applied wherever text enters (API bodies, form posts, uploaded files, queries): the NUL and
the other C0 control characters except tab, line feed and carriage return are removed, and a
lone surrogate becomes U+FFFD, the replacement character. Nothing else is changed.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls but \t \n \r, and DEL; then any surrogate code point (a valid pair never
# reaches Python as two code points, so every one found here is alone)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and line breaks kept) and with every lone
    surrogate replaced by U+FFFD. Cheap when there is nothing to clean."""
    if text.isprintable() or not (_CONTROLS.search(text) or _SURROGATES.search(text)):
        return text
    return _SURROGATES.sub(REPLACEMENT, _CONTROLS.sub("", text))


def clean_data(value: Any) -> Any:
    """Every string in a JSON-like value (dicts, lists, their keys too) cleaned; other
    values as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v) for v in value]
    return value

"""Altair's ``from_dict`` made once per schema family instead of on every call.

Altair 6.3 builds a converter over all its ~570 schema classes, hashing each class's schema,
every time it turns a dict into an object: for each channel of every ``encode``, about 9 ms
each, which made drawing a chart take 100–150 ms. The classes are all defined when Altair is
imported and never change, so the converter is built once per family of classes (what
``_default_wrapper_classes`` returns) and reused. The upstream change that would do the same
is vega/altair#3547 (open); remove this module when a release has it.
"""

from __future__ import annotations

from typing import Any

from altair.utils import schemapi

_converters: dict[Any, schemapi._FromDict] = {}
_original = schemapi.SchemaBase.__dict__["from_dict"]  # the classmethod itself


def _from_dict(cls, dct: dict[str, Any], validate: bool = True):
    if validate:
        cls.validate(dct)
    family = cls._default_wrapper_classes.__func__
    converter = _converters.get(family)
    if converter is None:  # two threads may both build it: the same converter
        converter = _converters[family] = schemapi._FromDict(cls._default_wrapper_classes())
    return converter.from_dict(dct, cls)


def install() -> None:
    """Reuse the converters from now on (idempotent)."""
    schemapi.SchemaBase.from_dict = classmethod(_from_dict)  # type: ignore[method-assign,assignment]


def uninstall() -> None:
    """Altair's own ``from_dict`` again (for the test that compares the two)."""
    schemapi.SchemaBase.from_dict = _original  # type: ignore[method-assign]

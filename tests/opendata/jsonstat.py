"""The JSON-stat 2.0 Schema (json-stat.org/format/schema/2.0/, version 1.03), the part for the
``dataset`` class that PxWeb answers with, and a validator of it."""

from typing import Any

import jsonschema

STRINGS = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
VALUES = {
    "oneOf": [
        {"type": "array", "items": {"type": ["number", "null", "string"]}},
        {"type": "object", "additionalProperties": {"type": ["number", "null", "string"]}},
    ]
}
CATEGORY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "index": {
            "oneOf": [STRINGS, {"type": "object", "additionalProperties": {"type": "number"}}]
        },
        "label": {"type": "object", "additionalProperties": {"type": "string"}},
        "note": {"type": "object", "additionalProperties": STRINGS},
        "unit": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "label": {"type": "string"},
                    "decimals": {"type": "integer"},
                    "position": {"enum": ["start", "end"]},
                },
            },
        },
        "coordinates": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": [{"type": "number"}, {"type": "number"}],
                "additionalItems": False,
            },
        },
        "child": {"type": "object", "additionalProperties": STRINGS},
    },
}
DATASET: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "class", "value", "id", "size", "dimension"],
    "properties": {
        "class": {"enum": ["dataset"]},
        "version": {"enum": ["2.0"]},
        "href": {"type": "string", "format": "uri"},
        "label": {"type": "string"},
        "note": STRINGS,
        "link": {"type": "object"},
        "updated": {
            "oneOf": [
                {"type": "string", "format": "date-time"},
                {
                    "type": "string",
                    "pattern": r"^((19|20)\d\d)\-(0?[1-9]|1[012])\-(0?[1-9]|[12][0-9]|3[01])$",
                },
            ]
        },
        "source": {"type": "string"},
        "error": {"type": "array"},
        "extension": {"type": "object"},
        "id": STRINGS,
        "size": {"type": "array", "items": {"type": "integer"}},
        "role": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"time": STRINGS, "geo": STRINGS, "metric": STRINGS},
        },
        "dimension": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["category"],
                "properties": {
                    "href": {"type": "string", "format": "uri"},
                    "label": {"type": "string"},
                    "note": STRINGS,
                    "link": {"type": "object"},
                    "extension": {"type": "object"},
                    "category": CATEGORY,
                },
            },
        },
        "value": VALUES,
        "status": {
            "oneOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "additionalProperties": {"type": "string"}},
            ]
        },
    },
}


def assert_json_stat(dataset: dict) -> None:
    """Fails, naming the place, when ``dataset`` is not a JSON-stat 2.0 dataset."""
    errors = sorted(
        jsonschema.Draft4Validator(DATASET).iter_errors(dataset), key=lambda e: list(e.path)
    )
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]]

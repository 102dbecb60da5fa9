"""The coding frame: themes and stages with the Swedish terms that signal them, declared in a
versioned YAML file (``frames/``) and checked when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import jsonschema
import yaml

TEXT = {"type": "object", "required": ["sv", "en"], "additionalProperties": False,
        "properties": {"sv": {"type": "string", "minLength": 1},
                       "en": {"type": "string", "minLength": 1}}}
CODES = {"type": "array", "minItems": 1, "items": {
    "type": "object", "required": ["id", "name", "terms"], "additionalProperties": False,
    "properties": {"id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}, "name": TEXT,
                   "terms": {"type": "array", "minItems": 1,
                             "items": {"type": "string", "minLength": 2}}}}}
SCHEMA = {"type": "object", "required": ["id", "version", "title", "themes", "stages"],
          "additionalProperties": False,
          "properties": {"id": {"type": "string"}, "version": {"type": "integer", "minimum": 1},
                         "title": TEXT, "themes": CODES, "stages": CODES}}


class FrameError(ValueError):
    """A coding frame file that does not follow the schema."""


@dataclass(frozen=True)
class Code:
    id: str
    name: dict[str, str]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Frame:
    id: str
    version: int
    title: dict[str, str]
    themes: tuple[Code, ...]
    stages: tuple[Code, ...]

    def theme(self, theme_id: str) -> Code:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(f"the coding frame has no theme {theme_id!r}")


def parse(raw: dict) -> Frame:
    try:
        jsonschema.validate(raw, SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "the file"
        raise FrameError(f"coding frame, {where}: {exc.message}") from None
    for kind in ("themes", "stages"):
        ids = [c["id"] for c in raw[kind]]
        if len(ids) != len(set(ids)):
            raise FrameError(f"coding frame: {kind} ids repeat")

    def codes(items: list[dict]) -> tuple[Code, ...]:
        return tuple(Code(c["id"], c["name"], tuple(t.lower() for t in c["terms"]))
                     for c in items)

    return Frame(raw["id"], raw["version"], raw["title"], codes(raw["themes"]),
                 codes(raw["stages"]))


@cache
def current_frame() -> Frame:
    """The newest version of the shipped coding frame."""
    folder = resources.files(__package__).joinpath("frames")
    frames = [parse(yaml.safe_load(f.read_text(encoding="utf-8")))
              for f in folder.iterdir() if f.name.endswith(".yaml")]
    return max(frames, key=lambda f: f.version)

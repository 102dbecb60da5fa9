"""The coding frame: themes (some with sub-themes) and stages with the Swedish terms that
signal them, declared in a versioned YAML file (``frames/``) and checked when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import jsonschema
import yaml

from naravard.core.errors import Invalid
from naravard.core.language import pick

TEXT = {
    "type": "object",
    "required": ["sv", "en"],
    "additionalProperties": False,
    "properties": {
        "sv": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
}
CODE_PROPERTIES = {
    "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
    "name": TEXT,
    "terms": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 2}},
}
CODES = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["id", "name", "terms"],
        "additionalProperties": False,
        "properties": CODE_PROPERTIES,
    },
}
THEMES = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["id", "name", "terms"],
        "additionalProperties": False,
        "properties": {**CODE_PROPERTIES, "subthemes": CODES},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["id", "version", "title", "themes", "stages"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "version": {"type": "integer", "minimum": 1},
        "title": TEXT,
        "themes": THEMES,
        "stages": CODES,
    },
}


class FrameError(Invalid):
    """A coding frame file that does not follow the schema."""


@dataclass(frozen=True)
class Code:
    id: str
    name: dict[str, str]
    terms: tuple[str, ...]
    subthemes: tuple[Code, ...] = ()
    parent: str | None = None  # a sub-theme's theme


@dataclass(frozen=True)
class Frame:
    id: str
    version: int
    title: dict[str, str]
    themes: tuple[Code, ...]
    stages: tuple[Code, ...]

    @property
    def all_themes(self) -> tuple[Code, ...]:
        """Every theme followed by its sub-themes."""
        return tuple(c for t in self.themes for c in (t, *t.subthemes))

    def theme(self, theme_id: str) -> Code:
        """A theme or sub-theme by id."""
        for t in self.all_themes:
            if t.id == theme_id:
                return t
        raise KeyError(f"the coding frame has no theme {theme_id!r}")

    def stage_counts(self, counts) -> list[tuple[str, int]]:
        """(stage name, count) for the stages counted, in the frame's order."""
        names = labels(self.stages)
        return [(names[s.id], counts[s.id]) for s in self.stages if counts.get(s.id)]

    def with_parents(self, theme_ids) -> list[str]:
        """The ids with the theme of every sub-theme among them added, in the frame's order."""
        out = set(theme_ids)
        for theme_id in theme_ids:
            parent = self.theme(theme_id).parent
            if parent:
                out.add(parent)
        return [t.id for t in self.all_themes if t.id in out]


def labels(codes) -> dict[str, str]:
    """Code id -> its name in the active language."""

    return {c.id: pick(c.name) for c in codes}


def parse(raw: dict) -> Frame:
    try:
        jsonschema.validate(raw, SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "the file"
        raise FrameError(f"coding frame, {where}: {exc.message}") from None
    themes = [c["id"] for t in raw["themes"] for c in (t, *t.get("subthemes", []))]
    for kind, ids in (("theme", themes), ("stage", [c["id"] for c in raw["stages"]])):
        if len(ids) != len(set(ids)):
            raise FrameError(f"coding frame: {kind} ids repeat")

    def codes(items: list[dict], parent: str | None = None) -> tuple[Code, ...]:
        return tuple(
            Code(
                c["id"],
                c["name"],
                tuple(t.lower() for t in c["terms"]),
                codes(c.get("subthemes", []), c["id"]),
                parent,
            )
            for c in items
        )

    return Frame(
        raw["id"], raw["version"], raw["title"], codes(raw["themes"]), codes(raw["stages"])
    )


@cache
def current_frame() -> Frame:
    """The newest version of the shipped coding frame."""
    folder = resources.files(__package__).joinpath("frames")
    frames = [
        parse(yaml.safe_load(f.read_text(encoding="utf-8")))
        for f in folder.iterdir()
        if f.name.endswith(".yaml")
    ]
    return max(frames, key=lambda f: f.version)

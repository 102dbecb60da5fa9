"""Boundaries as SVG paths, for server-rendered maps that need no JavaScript.

The WGS84 polygons are drawn in a sinusoidal (equal-area) projection centred
on Sweden, which keeps the northern counties from being stretched.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from naravard.refdata import files

CENTRAL_MERIDIAN = 16.0


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str  # SVG path data in the map's viewBox


@dataclass(frozen=True)
class SvgMap:
    width: float
    height: float
    shapes: tuple[Shape, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def _project(lon: float, lat: float) -> tuple[float, float]:
    return (lon - CENTRAL_MERIDIAN) * math.cos(math.radians(lat)), -lat


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


@cache
def _projected(level: str) -> dict[str, tuple[str, list[list[list[tuple[float, float]]]]]]:
    out = {}
    for feature in files.geojson(level)["features"]:
        props = feature["properties"]
        rings = [
            [[_project(lon, lat) for lon, lat in ring] for ring in polygon]
            for polygon in _polygons(feature["geometry"])
        ]
        out[props["code"]] = (props["name"], rings)
    return out


def svg_map(level: str, codes: Iterable[str] | None = None, width: float = 400.0) -> SvgMap:
    """Paths for the given codes (all of the level when None), scaled to ``width``."""
    features = _projected(level)
    chosen = sorted(features if codes is None else codes)
    points = [
        pt for code in chosen for polygon in features[code][1] for ring in polygon for pt in ring
    ]
    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    scale = width / ((max_x - min_x) or 1.0)
    height = round((max_y - min_y) * scale, 1)

    def fmt(pt: tuple[float, float]) -> str:
        return f"{(pt[0] - min_x) * scale:.1f},{(pt[1] - min_y) * scale:.1f}"

    shapes = []
    for code in chosen:
        name, polygons = features[code]
        d = " ".join(
            "M" + " L".join(fmt(pt) for pt in ring) + "Z"
            for polygon in polygons
            for ring in polygon
        )
        shapes.append(Shape(code, name, d))
    return SvgMap(width, height, tuple(shapes))

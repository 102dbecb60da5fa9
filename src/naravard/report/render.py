"""Rendering layer of the annual report: Vega-Lite specs to SVG, HTML to a reproducible PDF.

Everything here is deterministic: the same input gives the same bytes, in any process, on the
same installation (same pinned Python packages and Debian libraries: pango, harfbuzz, zlib).

* ``svg(spec)``: a Vega-Lite dict (e.g. from ``naravard.presentation.charts``) drawn by vl-convert
  (no browser) as a standalone ``<svg>`` string. All text is set in the bundled DejaVu Sans,
  numbers are formatted for the report's language (Swedish: ``54,3``), no data is
  fetched from anywhere (``data.url`` must be inlined through ``data_dir=`` or ``inline=``,
  or ``svg`` raises ``ChartDataError`` naming the URL), and the ids vl-convert numbers from a
  per-process counter (``clip3``, ``gradient_2``) are renamed after the spec's content, so one
  chart gives one SVG and several charts in one HTML page never share an id.
* ``pdf(html, out, ...)``: HTML to PDF with WeasyPrint. Fonts come only from the bundled
  directory (a private Fontconfig configuration that does not see the machine's fonts, so a
  missing glyph shows as a box instead of silently using another font), only ``file:`` and
  ``data:`` URLs may be fetched and a missing one stops the build, and the metadata is fixed:
  title, language, author, creation and modification date = ``published`` at 00:00 UTC,
  producer "WeasyPrint 70.0" (no timestamp), trailer ``/ID`` = MD5 of the file's content,
  and the embedded font subsets are stamped with that day too (fontTools stamps each subset
  with the clock unless ``SOURCE_DATE_EPOCH`` says otherwise).
  The PDF is tagged (WeasyPrint's PDF/UA-1 variant): a structure tree from the HTML
  (headings H1–H3, tables with TH/TD and their headers, lists, captions), ``/Lang``, the title
  shown as the window's title (DisplayDocTitle), and each chart's ``<svg>`` a ``Figure``
  whose ``/Alt`` is the SVG's ``<title>`` (``svg(spec, title=alt)`` puts it there). Bookmarks
  come from the headings: chapters (``h2``) at the top level, region profiles and appendix
  sub-headings (``h3``) under them; the cover's ``h1`` makes none.
* ``report_css(font_url="fonts/")``: ``@font-face`` rules for the bundled fonts plus the
  print style sheet. ``pdf`` uses the bundled fonts whether or not the HTML includes the
  rules (in WeasyPrint ``local()`` finds only the bundled files); a browser reading
  ``report.html`` finds them under ``font_url`` once ``copy_fonts(out / "fonts")`` put them
  there, else falls back to its own sans-serif. No machine-specific path enters the HTML.
* ``pdf_pages_to_png``, ``pdf_text``, ``pdf_fonts``: checks of a built PDF with Debian's
  poppler-utils (``pdftoppm``, ``pdftotext``, ``pdffonts``).

Class names the print style sheet knows (for the report's templates)
--------------------------------------------------------------------
``<html lang=..>``        language for hyphenation (``hyphens: auto`` in ``p`` and ``li``).
``.cover``                the cover (own page, no header or footer); its ``h1`` (or any
                          ``h1.report-title``) sets the running header, top left of every
                          page; ``.cover .publisher``, ``.cover .date``.
``nav.toc`` / ``.toc``    table of contents: ``<li><a href="#id">…</a></li>``, nested lists
                          indented, page numbers by ``target-counter`` with dot leaders.
``.chapter``              a chapter (``<section>``), starts a new page; its first ``h2``
                          sets the running chapter title (top right). ``.findings``: a list.
``.profile``              one region's profile, starts a new page; its first ``h2``/``h3``
                          sets the running chapter title.
``.page-break``           a page break before it. ``.keep``: a block never split.
``table.data``            numbers table: header row repeated on every page, rows never split,
                          first column (``th scope=row``) left, other cells right-aligned
                          (``td.text`` left), ``.num`` never wraps, ``tr.total`` bold,
                          ``caption`` above. ``table.data.compact``: DejaVu Sans Condensed,
                          smaller, for wide tables.
``figure.chart``          a chart: ``figcaption`` kept with the drawing, the drawing
                          (``div.svg`` with an ``<svg>``, or ``<svg>``/``<img>``) never split
                          and scaled down to the text width; a ``table.data`` inside (the
                          figure's numbers) may run over pages. ``figure.chart.wide``: 10 mm
                          into the right margin. ``.figures``: small charts side by side.
``.key-figures``/``.key-figure``  boxed big numbers: ``<span class="value">78 %</span>``
                          ``<span class="label">…</span>``.
``.quote``                a quoted passage: ``<blockquote>`` indented with a rule, then
                          ``<p class="source">– <cite>…</cite></p>``; never split.
``aside.factbox``         a fact box ("Exempel: …"): boxed like ``.key-figure``, its heading
                          blue, a ``blockquote`` and ``.source`` inside as in ``.quote``.
``.note``, ``.source``    small print. ``.muted``: grey text.
``.landscape``            a section printed on A4 landscape pages.
Pages: A4, margins 22/18/20/20 mm, page number centred in the footer (none on the first page
and the cover), report title top left and chapter top right.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gc
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from copy import deepcopy
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import urlparse

from naravard.core.errors import Failed

FONT_DIR = Path(__file__).resolve().parent / "static" / "report" / "fonts"
FONT_FAMILY = "DejaVu Sans"
FONT_FAMILY_CONDENSED = "DejaVu Sans Condensed"
# (file, family, weight, style, stretch) of the bundled fonts (Debian's fonts-dejavu-core 2.37)
FONT_FILES = (
    ("DejaVuSans.ttf", FONT_FAMILY, "normal", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", FONT_FAMILY, "bold", "normal", "normal"),
    ("DejaVuSans-Oblique.ttf", FONT_FAMILY, "normal", "italic", "normal"),
    ("DejaVuSans-BoldOblique.ttf", FONT_FAMILY, "bold", "italic", "normal"),
    ("DejaVuSansCondensed.ttf", FONT_FAMILY_CONDENSED, "normal", "normal", "condensed"),
    ("DejaVuSansCondensed-Bold.ttf", FONT_FAMILY_CONDENSED, "bold", "normal", "condensed"),
)

FONT_FULL_NAMES = {
    "DejaVuSans.ttf": "DejaVu Sans",
    "DejaVuSans-Bold.ttf": "DejaVu Sans Bold",
    "DejaVuSans-Oblique.ttf": "DejaVu Sans Oblique",
    "DejaVuSans-BoldOblique.ttf": "DejaVu Sans Bold Oblique",
    "DejaVuSansCondensed.ttf": "DejaVu Sans Condensed",
    "DejaVuSansCondensed-Bold.ttf": "DejaVu Sans Condensed Bold",
}

# the accessible PDF variant (WeasyPrint: tagged PDF 1.7, PDF/UA-1 metadata)
PDF_VARIANT = "pdf/ua-1"

# d3-format / d3-time-format locales of the report's languages
LOCALES = {"sv": "sv-SE", "en": "en-GB"}


class RenderError(Failed):
    """A chart or the PDF could not be rendered reproducibly."""


class ChartDataError(RenderError, ValueError):
    """A chart spec refers to data by URL and no way to inline it was given."""


class MissingTool(RenderError):
    """A Debian program the checks need is not installed."""


def text_width(text: str, bold: bool = False) -> float:
    """How wide ``text`` is set in the report's font, in em (its size): the sum of the bundled
    DejaVu Sans's advance widths, without kerning."""
    advances, missing = _advances(bold)
    return sum(advances.get(ord(ch), missing) for ch in text)


@cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"), lazy=True)
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"]
    advances = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}
    return advances, metrics[".notdef"][0] / per_em


# --------------------------------------------------------------------------------- charts

_FONT_KEYS = {"font", "labelFont", "titleFont", "subtitleFont"}
_DATA_KEYS = {"values", "datasets"}


@cache
def _vlc():
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIR))
    return vl_convert


def _set_fonts(node, family: str) -> None:
    """Every font named in the spec (config, marks, titles, headers) becomes ``family``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _FONT_KEYS and isinstance(value, str):
                node[key] = family
            elif key not in _DATA_KEYS:
                _set_fonts(value, family)
    elif isinstance(node, list):
        for item in node:
            _set_fonts(item, family)


def _data_objects(node, parent: str | None = None):
    """The data objects (``{"url": …}``) anywhere in a spec: top level, layers, facets,
    lookups."""
    if isinstance(node, dict):
        if parent == "data" and isinstance(node.get("url"), str):
            yield node
        for key, value in node.items():
            if key not in _DATA_KEYS:
                yield from _data_objects(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from _data_objects(item, parent)


def _read_from(data_dir: Path, url: str) -> bytes:
    """The file a site URL (``/static/geo/x.json``, ``geo/x.json``) names inside
    ``data_dir``; its path relative to ``data_dir``, then its name alone."""
    root = Path(data_dir).resolve()
    path = urlparse(url).path.lstrip("/")
    for candidate in (root / path, root / Path(path).name):
        candidate = candidate.resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate.read_bytes()
    raise ChartDataError(f"chart data {url!r} is not in {root}")


def _inline_data(
    spec: dict, data_dir: Path | None, inline: Callable[[str], str | bytes] | None
) -> None:
    for data in list(_data_objects(spec)):
        url = data["url"]
        if inline is not None:
            text = inline(url)
        elif data_dir is not None:
            text = _read_from(data_dir, url)
        else:
            raise ChartDataError(
                f"chart spec loads data from {url!r}: the report renders without fetching "
                "anything; inline the data (svg(spec, data_dir=…) or svg(spec, inline=…))"
            )
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        fmt = dict(data.get("format") or {})
        if "type" not in fmt:
            ext = Path(urlparse(url).path).suffix.lower().lstrip(".")
            fmt["type"] = ext if ext in {"csv", "tsv", "topojson"} else "json"
        del data["url"]
        data["values"] = text  # Vega-Lite parses a string with the given format
        data["format"] = fmt


_ID = re.compile(r'(?<![\w:-])id="([^"]+)"')


def _stable_ids(svg_text: str, prefix: str) -> str:
    """Rename the SVG's ids (numbered by a per-process counter in Vega) in document order."""
    ids = list(dict.fromkeys(_ID.findall(svg_text)))
    if not ids:
        return svg_text
    names = {old: f"{prefix}-{n}" for n, old in enumerate(ids, 1)}
    pattern = re.compile(
        r'((?<![\w:-])id="|url\(#|href="#)(' + "|".join(map(re.escape, ids)) + r')(?=[")])'
    )
    return pattern.sub(lambda m: m[1] + names[m[2]], svg_text)


def _locale(locale: str | None) -> str | None:
    if locale is None:  # the active language of the report being built
        try:
            from django.utils.translation import get_language

            locale = (get_language() or "sv")[:2]
        except Exception:  # Django not configured
            locale = "sv"
    return LOCALES.get(locale, locale) or None


@cache
def _time_locale_json(name: str) -> str:
    found = _vlc().get_time_format_locale(name)
    if name == "sv-SE":  # d3's Swedish capitalises months and days; Swedish does not
        for key in ("days", "shortDays", "months", "shortMonths"):
            found[key] = [word.lower() for word in found[key]]
    return json.dumps(found)


def _time_locale(name: str) -> dict:
    return json.loads(_time_locale_json(name))


def svg(
    spec: dict,
    *,
    locale: str | None = None,
    data_dir: str | Path | None = None,
    inline: Callable[[str], str | bytes] | None = None,
    id_prefix: str | None = None,
    font: str = FONT_FAMILY,
    title: str = "",
) -> str:
    """A Vega-Lite spec drawn as a standalone SVG string, the same bytes for the same spec.

    ``locale``: "sv", "en" or a d3 locale name ("sv-SE") for numbers and dates (``54,3``
    or ``54.3``); None: Django's active language (sv when none); "": d3's en-US.
    ``data_dir``/``inline``: where data given by URL comes from (``inline(url)`` returns the
    file's text); without them a ``data.url`` raises ``ChartDataError``.
    ``id_prefix``: prefix of the SVG's ids (default: a hash of the spec).
    ``title``: the drawing's text alternative, put in the SVG as its first ``<title>``, which
    WeasyPrint's tagged PDF gives the ``Figure`` element as ``/Alt`` (see ``pdf``)."""
    spec = deepcopy(spec)
    _inline_data(spec, Path(data_dir) if data_dir is not None else None, inline)
    config = spec.setdefault("config", {})
    config["font"] = font
    _set_fonts(spec, font)
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    prefix = id_prefix or "vl" + hashlib.sha256(canonical.encode()).hexdigest()[:10]
    name = _locale(locale)
    kw = {"format_locale": name, "time_format_locale": _time_locale(name)} if name else {}
    try:
        text = _vlc().vegalite_to_svg(spec, allowed_base_urls=[], **kw)
    except ValueError as exc:  # vl-convert reports JavaScript errors as ValueError
        raise RenderError(f"vl-convert could not draw the chart: {exc}") from exc
    return _titled(_stable_ids(_drawn_only(text), prefix), title)


# Vega gives every group a background and a foreground path for the browser's pointer; with
# neither fill nor stroke of their own (the root group's fill is none) they draw nothing
_UNDRAWN = re.compile(
    r'<path class="(?:background|foreground)"(?:(?! fill=| stroke=| style=)[^>])*/>'
)


def _drawn_only(svg_text: str) -> str:
    """The SVG without the paths that draw nothing: a third of a report's paths, each of
    which the PDF's renderer would otherwise read and draw."""
    return _UNDRAWN.sub("", svg_text)


_SVG_START = re.compile(r"<svg\b[^>]*>")


def _titled(svg_text: str, title: str) -> str:
    """The SVG with ``title`` as its root's first child (unchanged for no title)."""
    if not title:
        return svg_text
    start = _SVG_START.search(svg_text)
    if start is None:
        raise RenderError("vl-convert gave no <svg> element")
    return f"{svg_text[: start.end()]}<title>{escape(title)}</title>{svg_text[start.end() :]}"


class ChartDrawer:
    """Draws a report's charts (:func:`svg`) in worker processes, as many as the CPUs this
    process may use. vl-convert draws one chart at a time in a process, so sixty charts take
    as long as their sum there; the workers start when the drawer is made, so that they have
    loaded vl-convert and the fonts by the time the report's content is built.

    Use as a context manager; with one CPU, or ``workers=1``, the charts are drawn here.
    At most ``MOST_WORKERS`` by default: each holds a JavaScript runtime in memory."""

    MOST_WORKERS = 4

    def __init__(self, workers: int | None = None):
        self.workers = workers or min(self.MOST_WORKERS, _usable_cpus())
        self._pool: ProcessPoolExecutor | None = None
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
            for _ in range(self.workers):  # one start per worker, each loading vl-convert
                self._pool.submit(_warm)

    def draw(self, drawings: list[tuple[dict, str]], *, locale: str | None = None) -> list[str]:
        """``svg(spec, title=title, locale=locale)`` for each (spec, title), in order."""
        name = _locale(locale)  # the active language here, not the worker's
        if self._pool is None or len(drawings) < 2:
            return [svg(spec, locale=name, title=title) for spec, title in drawings]
        futures = [self._pool.submit(_draw, spec, name, title) for spec, title in drawings]
        return [future.result() for future in futures]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ChartDrawer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _warm() -> None:
    """Load vl-convert and the fonts, and draw once: the first drawing starts its runtime."""
    _vlc().vegalite_to_svg({"mark": "point", "config": {"font": FONT_FAMILY}})


def _draw(spec: dict, locale: str | None, title: str) -> str:
    return svg(spec, locale=locale or "", title=title)


# ------------------------------------------------------------------------------ style sheet


def font_face_css(font_url: str = "fonts/") -> str:
    """``@font-face`` rules of the bundled fonts: ``local()`` first (in ``pdf`` that is
    always the bundled file, as WeasyPrint sees no other fonts), then ``font_url`` + the
    file's name for a browser (``copy_fonts`` puts the files there). No machine-specific
    path ends up in the HTML."""
    rules = []
    for file, family, weight, style, stretch in FONT_FILES:
        full = FONT_FULL_NAMES[file]
        url = font_url.rstrip("/") + "/" + file if font_url else file
        rules.append(
            f'@font-face {{ font-family: "{family}"; src: local("{full}"), '
            f'local("{Path(file).stem}"), url("{url}") format("truetype"); '
            f"font-weight: {weight}; font-style: {style}; font-stretch: {stretch}; }}"
        )
    return "\n".join(rules) + "\n"


def copy_fonts(dest: Path) -> list[Path]:
    """Copy the bundled fonts and their licence into ``dest`` (e.g. ``out/fonts`` beside
    ``report.html``, matching ``report_css()``'s default ``font_url``)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in [f[0] for f in FONT_FILES] + ["LICENSE"]:
        shutil.copyfile(FONT_DIR / name, dest / name)
        copied.append(dest / name)
    return copied


PRINT_CSS = """
@page {
  size: A4;
  margin: 22mm 18mm 20mm 20mm;
  @top-left { content: string(report-title); font-size: 8pt; color: #555; }
  @top-right { content: string(chapter); font-size: 8pt; color: #555; }
  @bottom-center { content: counter(page); font-size: 8.5pt; color: #333; }
}
@page :first { @top-left { content: none; } @top-right { content: none; }
               @bottom-center { content: none; } }
@page cover { @top-left { content: none; } @top-right { content: none; }
              @bottom-center { content: none; } }
@page landscape { size: A4 landscape; }

html { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.4;
       color: #1a1a1a; }
body { margin: 0; }
p, li { hyphens: auto; orphans: 3; widows: 3; }
p { margin: 0 0 0.6em; }
h1, h2, h3, h4 { line-height: 1.2; break-after: avoid; page-break-after: avoid;
                 break-inside: avoid; }
h1 { font-size: 22pt; margin: 0 0 0.6em; }
h2 { font-size: 15pt; margin: 1.2em 0 0.5em; }
h3 { font-size: 11.5pt; margin: 1em 0 0.4em; }
h4 { font-size: 10pt; margin: 0.8em 0 0.3em; }
/* bookmarks: chapters at the top, profiles and sub-headings under them, no cover title */
h1 { bookmark-level: none; }
h2 { bookmark-level: 1; }
h3 { bookmark-level: 2; }
h4 { bookmark-level: 3; }
h5 { bookmark-level: 4; }
h6 { bookmark-level: 5; }
h1.report-title, .cover h1 { string-set: report-title content(); }
a { color: #08519c; text-decoration: none; }

.cover { page: cover; break-after: page; page-break-after: always; padding-top: 60mm; }
.cover h1 { font-size: 26pt; }
.cover .publisher { font-weight: bold; color: #08519c; letter-spacing: 0.05em; }
.cover .date { color: #444; }
.chapter, .profile, .page-break { break-before: page; page-break-before: always; }
.chapter > h1:first-of-type, .chapter > h2:first-of-type, .profile > h2:first-of-type,
.profile > h3:first-of-type { string-set: chapter content(); margin-top: 0; }
.profile > h3:first-of-type { font-size: 15pt; }
.findings li { margin-bottom: 0.4em; }
.landscape { page: landscape; }
.keep { break-inside: avoid; page-break-inside: avoid; }

.toc ol, .toc ul { list-style: none; margin: 0; padding: 0; }
.toc li { margin: 0.25em 0; }
.toc li li { margin-left: 1.2em; }
.toc a { color: inherit; }
.toc a::after { content: leader(".") target-counter(attr(href url), page); }

table.data { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em;
             font-size: 8.5pt; font-variant-numeric: tabular-nums; }
table.data caption { caption-side: top; text-align: left; font-weight: bold;
                     padding-bottom: 0.3em; break-after: avoid; page-break-after: avoid; }
table.data thead { display: table-header-group; }
table.data tr { break-inside: avoid; page-break-inside: avoid; }
table.data th, table.data td { padding: 0.2em 0.45em; text-align: left;
                               vertical-align: top; border-bottom: 0.4pt solid #c8c8c8; }
table.data th[scope=row] { font-weight: normal; }
table.data thead th { border-bottom: 0.8pt solid #1a1a1a; vertical-align: bottom; }
table.data td, table.data thead th + th, table.data .num { text-align: right; }
table.data .num, table.data td:not(.text) { white-space: nowrap; }
table.data td.wrap { white-space: normal; }  /* words among numbers: why no change */
table.data td.text, table.data th.text { text-align: left; }
table.data tr.total td, table.data tr.total th { font-weight: bold;
                                                 border-top: 0.8pt solid #1a1a1a; }
/* the PDF's tables: column widths given (Table.column_widths), no cell measured for them */
table.data.fixed { table-layout: fixed; }
table.data.compact { font-family: "DejaVu Sans Condensed", "DejaVu Sans", sans-serif;
                     font-stretch: condensed; font-size: 7.5pt; }

figure.chart { margin: 0.6em 0 1em; }
figure.chart > figcaption { break-after: avoid; page-break-after: avoid; }
figure.chart > .svg, figure.chart > svg, figure.chart > img {
  break-inside: avoid; page-break-inside: avoid; margin: 0.3em 0; }
figure.chart svg, figure.chart img { display: block; max-width: 100%; height: auto; }
/* a drawing taller than a page would be cut: it shrinks to the page below its caption */
figure.chart img { max-height: 235mm; width: auto; }
figure.chart table.data caption { font-weight: normal; font-size: 8pt; color: #444; }
figure.chart.wide { margin-right: -10mm; }
figure.chart > figcaption { font-weight: bold; }
.figures { display: flex; flex-wrap: wrap; gap: 4mm; }
.figures > figure.chart { margin: 0; }

.key-figures { display: flex; flex-wrap: wrap; gap: 4mm; margin: 0.6em 0 1em; }
.key-figure { border: 0.6pt solid #9ecae1; background: #eff3ff; padding: 2.5mm 3.5mm;
              break-inside: avoid; }
.key-figure .value { display: block; font-size: 20pt; font-weight: bold; color: #08519c; }
.key-figure .label { display: block; font-size: 8pt; }

.quote { margin: 0.6em 0 0.8em; break-inside: avoid; page-break-inside: avoid; }
.quote blockquote, .factbox blockquote { margin: 0 0 0.2em 4mm; padding-left: 3mm;
  border-left: 1.2pt solid #9ecae1; font-style: italic; }
.quote blockquote p, .factbox blockquote p { margin: 0; }
.quote .source, .factbox .source { margin: 0 0 0 7mm; }
aside.factbox { border: 0.6pt solid #9ecae1; background: #eff3ff; padding: 2.5mm 3.5mm;
  margin: 0.6em 0 1em; break-inside: avoid; page-break-inside: avoid; }
aside.factbox > h3, aside.factbox > h4 { margin-top: 0; color: #08519c; bookmark-level: none; }

.note, .source { font-size: 7.5pt; color: #444; }
.muted { color: #777; }
"""


def report_css(font_url: str = "fonts/") -> str:
    """The report's style sheet: ``@font-face`` rules for the bundled fonts (see
    ``font_face_css``) and the print rules (A4, page numbers, running
    header, tables, figures). The class names are listed in this module's docstring."""
    return font_face_css(font_url) + PRINT_CSS


# ------------------------------------------------------------------------------------ PDF


@cache
def _fontconfig():
    """Fontconfig's functions WeasyPrint does not declare, from the same library."""
    import ctypes.util

    import cffi

    fc_ffi = cffi.FFI()
    fc_ffi.cdef("""
        typedef struct _FcConfig FcConfig;
        FcConfig * FcConfigCreate (void);
        int FcConfigAppFontAddFile (FcConfig *config, const unsigned char *file);
        void FcConfigDestroy (FcConfig *config);
    """)
    for name in ("libfontconfig.so.1", ctypes.util.find_library("fontconfig")):
        if name:
            try:
                return fc_ffi, fc_ffi.dlopen(name)
            except OSError:
                continue
    raise MissingTool("libfontconfig is missing: install the Debian package libfontconfig1")


def _font_configuration():
    """A WeasyPrint font configuration that knows the bundled fonts and nothing else."""
    from weasyprint.text.ffi import ffi, pangoft2
    from weasyprint.text.fonts import FontConfiguration

    fc_ffi, lib = _fontconfig()

    class BundledFonts(FontConfiguration):
        def __init__(self):
            super().__init__()  # the system's configuration, replaced below
            config = lib.FcConfigCreate()
            for file, *_ in FONT_FILES:
                if not lib.FcConfigAppFontAddFile(config, str(FONT_DIR / file).encode()):
                    lib.FcConfigDestroy(config)
                    raise RenderError(f"Fontconfig cannot load {FONT_DIR / file}")
            self._config = ffi.cast("FcConfig *", int(fc_ffi.cast("uintptr_t", config)))
            pangoft2.pango_fc_font_map_set_config(
                ffi.cast("PangoFcFontMap *", self.font_map), self._config
            )
            lib.FcConfigDestroy(config)  # the font map keeps its own reference

    return BundledFonts()


def _url_fetcher():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class LocalOnly(URLFetcher):
        """``file:`` and ``data:`` URLs only; anything else, or a missing file, stops the
        build (a silently missing image would make the PDF depend on the machine)."""

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme not in {"file", "data"}:
                raise FatalURLFetchingError(f"the report PDF may only use local files, not {url!r}")
            try:
                return super().fetch(url, headers)
            except Exception as exc:
                raise FatalURLFetchingError(f"cannot read {url!r}: {exc}") from exc

    return LocalOnly(allowed_protocols={"file", "data"})


def _w3c(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off while it lasts (as it was after). Building a report makes
    millions of objects that live until the PDF is written; the collector, run again and
    again as they grew, searched them all each time: a sixth of the build. Measured on the
    demo's 2022 report: peak memory 4 % higher; the garbage is collected afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_CLOCK = threading.Lock()


@contextmanager
def _stamped(day: dt.date) -> Iterator[None]:
    """While it lasts, ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention that fontTools
    reads when it stamps a font subset) is ``day`` at 00:00 UTC; one PDF at a time."""
    with _CLOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(day.timetuple()))
        try:
            yield
        finally:
            if before is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def pdf(
    html: str,
    out: Path,
    *,
    base_url: str | Path,
    title: str,
    lang: str,
    published: dt.date,
    author: str = "naravard",
) -> None:
    """Write ``html`` as the PDF ``out``: byte for byte the same for the same arguments.

    ``base_url``: the directory (or ``file:`` URL) relative URLs in the HTML are resolved
    against. The metadata (title, language, author, dates = ``published`` at 00:00 UTC) comes
    from the arguments, not from the HTML or the clock."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # pango missing: WeasyPrint fails on import
        raise MissingTool(
            "WeasyPrint needs Pango: install the Debian packages libpango-1.0-0 and "
            f"libpangoft2-1.0-0 ({exc})"
        ) from exc
    if isinstance(base_url, Path) or "://" not in str(base_url):
        base = Path(base_url).resolve()
        base_url = base.as_uri() + ("/" if base.is_dir() else "")
    from weasyprint.urls import FatalURLFetchingError

    try:
        with cycle_collection_paused():
            document = HTML(
                string=html, base_url=str(base_url), url_fetcher=_url_fetcher(), media_type="print"
            ).render(font_config=_font_configuration())
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint
        raise RenderError(str(exc)) from None
    meta = document.metadata
    meta.title, meta.lang, meta.authors = title, lang, [author]
    meta.created = meta.modified = _w3c(published)
    meta.generator = "naravard"
    meta.custom = {}
    if isinstance(published, dt.datetime):
        published = published.date()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    # pdf_identifier=True: /ID is the MD5 of the file's content, hence fixed for fixed content;
    # PDF/UA-1: tagged (structure tree), /Lang, DisplayDocTitle, MarkInfo, its XMP stamp
    with _stamped(published), cycle_collection_paused():
        document.write_pdf(tmp, pdf_identifier=True, pdf_version="1.7", pdf_variant=PDF_VARIANT)
    tmp.replace(out)


# ------------------------------------------------------------------------ poppler checks


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise MissingTool(
            f"{name} is missing: install the Debian package poppler-utils "
            "(apt-get install poppler-utils)"
        )
    return path


def pdf_pages_to_png(pdf: Path, out_dir: Path, dpi: int = 50) -> list[Path]:
    """Every page of ``pdf`` as ``out_dir/page-N.png`` (pdftoppm), in page order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("page-*.png"):
        old.unlink()
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", str(dpi), str(pdf), str(out_dir / "page")],
        check=True,
        capture_output=True,
    )
    return sorted(out_dir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def pdf_text(pdf: Path) -> str:
    """The text of ``pdf`` in reading layout (pdftotext -layout), pages separated by \\f."""
    return subprocess.run(
        [_tool("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_fonts(pdf: Path) -> list[dict]:
    """The fonts in ``pdf`` (pdffonts): name, type, embedded, subset."""
    lines = subprocess.run(
        [_tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name type [type…] encoding emb sub uni object ID
        fonts.append(
            {"name": parts[0], "embedded": parts[-5] == "yes", "subset": parts[-4] == "yes"}
        )
    return fonts

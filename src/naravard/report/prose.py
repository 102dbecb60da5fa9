"""Analysts' text with live numbers: Markdown whose numbers are expressions evaluated when the
report is built, never typed.

A chapter's text is Markdown (CommonMark with tables; raw HTML is shown as text, not
interpreted) with Jinja2 expressions in ``{{ … }}``, evaluated in Jinja2's sandbox against
the data of :mod:`naravard.report.textdata` (e.g. ``{{ enkat.andel("2", "finns") | procent }}``,
``{{ indikator("named_doctor_share").antal_nadde }}``). Figures and tables are placed with
``{{ figur("key") }}`` on a line of their own and referred to with ``{{ ref("key") }}``
("figur 5", numbered when the whole report is assembled).

Formatting filters (Swedish or English after the report's language):

``procent(d=0)``   54,3 % — a share in percent, ``d`` decimals
``tal(d=0)``       12 345,6 — decimal comma, thin space between thousands
``datum``          31 december 2019 (a date or "2019-12-31"; "2020-03" gives "mars 2020")
``lista``          "Kalmar, Skåne och Stockholm" (names, or anything with ``.name``)
``antal(ord, ord_plural)``  "1 region", "5 regioner"

:func:`typed_numbers` flags every number typed into the prose (outside ``{{ … }}``) except
years (1900–2099), list and heading numbers, numbers that are part of a word or name
("covid-19", "e-tjänst 2.0" is flagged: write it as allowed) and the literals a comment
``{# tillåt: 55 1177 #}`` allows in that text. :func:`render` raises :class:`ProseError`
naming the line of an expression that fails.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from jinja2 import FunctionLoader, StrictUndefined, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt

from naravard.analysis.wording import names_listed
from naravard.core.dates import period_label
from naravard.core.errors import Invalid
from naravard.presentation import charts

# ------------------------------------------------------------------------- formatting ---


def procent(value: float | None, d: int = 0) -> str:
    """A share in percent: '54 %', '54,3 %' with ``d`` decimals; '–' for none."""
    return "–" if value is None else f"{charts.number(float(value), d)}\u00a0%"


def tal(value: float | None, d: int = 0) -> str:
    """A number as readers write it: '12 345,6' (Swedish) or '12,345.6'; '–' for none."""
    return charts.number(None if value is None else float(value), d)


def datum(value: dt.date | str | None) -> str:
    """A day or period as people read it: '31 december 2019', 'mars 2020', '2019'."""
    return "–" if value is None else period_label(value)


def lista(items: Iterable[Any]) -> str:
    """Names joined as a sentence joins them: 'Kalmar, Skåne och Stockholm'; '–' for none."""
    names = [str(getattr(i, "name", i)) for i in items]
    return names_listed(names) if names else "–"


def antal(count: int, one: str, many: str) -> str:
    """'1 region', '5 regioner'."""
    return f"{tal(count)} {one if count == 1 else many}"


FILTERS: dict[str, Callable[..., str]] = {
    "procent": procent,
    "tal": tal,
    "datum": datum,
    "lista": lista,
    "antal": antal,
}

# ------------------------------------------------------------------- typed numbers ---

EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
ALLOWED = re.compile(r"\{#\s*till[åa]t\s*:\s*(.*?)#\}", re.S | re.I)
NUMBER = re.compile(r"(?<![\w\-./:])(\d[\d\u2009\u00a0 ]*(?:[.,]\d+)?)(?![\w])")
YEAR = re.compile(r"(19|20)\d\d")
LIST_ITEM = re.compile(r"^\s*\d+[.)]\s")
THOUSANDS = re.compile(r"(?<=\d)[ \u2009\u00a0](?=\d{3}(?!\d))")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
URL = re.compile(r"\]\([^)]*\)|https?://\S+")


@dataclass(frozen=True)
class Problem:
    """Something wrong at a line of an analyst's text."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("rad %(line)d: %(message)s") % {"line": self.line, "message": self.message}


def allowed_literals(source: str) -> set[str]:
    """The numbers that ``{# tillåt: … #}`` comments allow in the text."""
    out: set[str] = set()
    for listed in ALLOWED.findall(source):
        listed = THOUSANDS.sub("", listed)  # "100 000" is one number
        out.update(n.strip() for n in re.split(r"[\s;]+", listed) if n.strip())
    return out


def typed_numbers(source: str) -> list[Problem]:
    """Every number typed into the prose instead of computed, with its line."""
    allowed = allowed_literals(source)
    # blank out expressions (keeping newlines, so line numbers hold) and link targets
    prose = EXPRESSION.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    prose = URL.sub(lambda m: " " * len(m.group()), prose)
    problems = []
    for lineno, line in enumerate(prose.splitlines(), start=1):
        if HEADING.match(line):  # chapter and section numbers
            continue
        line = LIST_ITEM.sub(lambda m: " " * len(m.group()), line)
        for match in NUMBER.finditer(line):
            typed = match.group(1).strip()
            compact = re.sub(r"[\s\u2009\u00a0]", "", typed)
            if not compact or YEAR.fullmatch(compact) or compact in allowed or typed in allowed:
                continue
            problems.append(
                Problem(
                    lineno,
                    _(
                        "talet %(number)s är inskrivet i texten. Skriv det som ett uttryck, "
                        "t.ex. {{ … | procent }}, så att det följer data; eller tillåt det "
                        "med {# tillåt: %(allow)s #} om det inte kommer från data."
                    )
                    % {"number": typed, "allow": compact},
                )
            )
    return problems


# ------------------------------------------------------------------------ rendering ---

BLOCK = "naravard-block"
REF = "naravard-ref"
PLACEHOLDER = re.compile(r"\[\[(naravard-block|naravard-ref):([\w:.\-]+)\]\]")


class ProseError(Invalid):
    """An analyst's text cannot be rendered; ``problems`` say where and why."""

    def __init__(self, name: str, problems: list[Problem]):
        self.name = name
        self.problems = problems
        super().__init__(f"{name}: " + "; ".join(str(p) for p in problems))


@dataclass
class Rendered:
    """A text as HTML parts: strings of HTML and, between them, the keys of the blocks it
    places; ``refs`` the block keys it refers to (resolved by :func:`resolve_refs`)."""

    parts: list[str | Placed] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)

    @property
    def placed(self) -> list[str]:
        return [p.key for p in self.parts if isinstance(p, Placed)]


@dataclass(frozen=True)
class Placed:
    key: str


def _environment(source: str, name: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(  # the text's own name as its file name: tracebacks give lines
        loader=FunctionLoader(lambda wanted: (source, name, lambda: True)),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def _line_of(exc: BaseException, name: str) -> int:
    """The line of the text where an expression failed (Jinja2 puts the template's line in
    the traceback's frames)."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return int(line or 0)


HEADINGS = re.compile(r"<(/?)h([1-6])")
MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render(
    source: str,
    name: str,
    context: dict[str, Any],
    known: Iterable[str] | None = (),
    heading_offset: int = 2,
) -> Rendered:
    """The text ``source`` (named ``name`` in messages) as HTML parts, its expressions
    evaluated against ``context``. ``known``: the block keys ``figur()``/``ref()`` may name
    (None: any, as a preview that has not built the blocks shows them). ``heading_offset``:
    how many levels the text's headings go down ("#" is h3 in a chapter whose title is h2).
    Raises :class:`ProseError` naming the line of the first expression that fails."""
    blocks = None if known is None else set(known)
    rendered = Rendered()

    def check(key: str) -> str:
        if blocks is not None and key not in blocks:
            near = [k for k in sorted(blocks) if key.split(":")[-1][:4] in k][:5]
            message = _("det finns ingen figur eller tabell %(key)s") % {"key": key}
            if near:
                message += " " + _("(menar du %(near)s?)") % {"near": ", ".join(near)}
            raise LookupError(message)
        return key

    def figur(key: str) -> str:
        return f"\n\n[[{BLOCK}:{check(str(key))}]]\n\n"

    def ref(key: str) -> str:
        rendered.refs.append(check(str(key)))
        return f"[[{REF}:{key}]]"

    env = _environment(source, name)
    try:
        template = env.get_template(name)
        markdown = template.render(**context, figur=figur, tabell=figur, ref=ref)
    except TemplateSyntaxError as exc:
        raise ProseError(
            name, [Problem(exc.lineno, _("fel i uttrycket: %(e)s") % {"e": exc.message})]
        ) from None
    except ProseError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever an analyst's expression raises
        problem = _("uttrycket gick inte att räkna ut: %(e)s") % {"e": exc}
        raise ProseError(name, [Problem(_line_of(exc, name), problem)]) from None
    html = HEADINGS.sub(
        lambda m: f"<{m[1]}h{min(6, int(m[2]) + heading_offset)}", MARKDOWN.render(markdown)
    )
    pos = 0
    for match in re.finditer(rf"<p>\[\[{BLOCK}:([\w:.\-]+)\]\]</p>\n?", html):
        if match.start() > pos:
            rendered.parts.append(html[pos : match.start()])
        rendered.parts.append(Placed(match.group(1)))
        pos = match.end()
    if pos < len(html):
        rendered.parts.append(html[pos:])
    return rendered


def resolve_refs(html: str, label: Callable[[str], tuple[str, str]]) -> str:
    """Replace the references in ``html`` by links to the blocks: ``label(key)`` gives the
    anchor and the words ("figur-5", "figur 5")."""

    def link(match: re.Match) -> str:
        anchor, words = label(match.group(2))
        return f'<a href="#{anchor}">{words}</a>'

    return PLACEHOLDER.sub(link, html)

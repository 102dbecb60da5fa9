"""The analysts' texts of a follow-up's report, kept with versions and authors, and as files.

Each text is named by a key: a chapter of the outline (its Markdown, per language), a region's
profile paragraph (``profil-LL``, per language) or the outline itself (``outline``, YAML, no
language). Saving a text that differs from its newest version adds a version; nothing is ever
overwritten. As files (``naravard report text export/import``): ``outline.yaml`` and one
``<key>.<lang>.md`` per text; an import checks every file first and stores all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from naravard.core.errors import Invalid
from naravard.core.text import clean_text
from naravard.report import outline as outlines
from naravard.report.models import FollowUp, ReportText

LANGS = ("sv", "en")
PROFILE_KEY = re.compile(r"profil-\d\d")
FILE = re.compile(r"(?P<key>[a-z0-9][a-z0-9-]{0,39})\.(?P<lang>sv|en)\.md")
MAX_LENGTH = 200_000


class TextRefused(Invalid):
    """Texts that cannot be stored; ``problems`` name the file or key and the fault."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Current:
    key: str
    lang: str
    text: str
    version: int
    author: str


def newest(followup: FollowUp) -> dict[tuple[str, str], ReportText]:
    """The newest version of each (key, language)."""
    out: dict[tuple[str, str], ReportText] = {}
    for t in ReportText.objects.filter(followup=followup).order_by("key", "lang", "-version"):
        out.setdefault((t.key, t.lang), t)
    return out


def text_of(followup: FollowUp, key: str, lang: str) -> str:
    found = (
        ReportText.objects.filter(followup=followup, key=key, lang=lang)
        .order_by("-version")
        .first()
    )
    return found.text if found else ""


def outline_of(followup: FollowUp) -> outlines.Outline:
    """The follow-up's own outline, or the standard one while it has none."""
    own = text_of(followup, outlines.OUTLINE_KEY, "")
    return outlines.parse(own, special=_special()) if own else outlines.standard()


def _special() -> set[str]:
    from naravard.report.content import CHAPTER_TABLES

    return set(CHAPTER_TABLES)


def history(followup: FollowUp, key: str, lang: str) -> list[ReportText]:
    return list(
        ReportText.objects.filter(followup=followup, key=key, lang=lang).order_by("-version")
    )


def _problem_of_key(followup: FollowUp, key: str, lang: str, chapters: set[str]) -> str:
    if key == outlines.OUTLINE_KEY:
        return "" if lang == "" else _("dispositionen har inget språk")
    if lang not in LANGS:
        return _("språket ska vara sv eller en, inte %(lang)s") % {"lang": lang}
    if PROFILE_KEY.fullmatch(key) or key in chapters:
        return ""
    return _("%(key)s är inget kapitel i dispositionen (%(known)s)") % {
        "key": key,
        "known": ", ".join(sorted(chapters)),
    }


def clean(text: str) -> str:
    """A text as it is stored: clean characters, line breaks as \\n, ending in one."""
    text = clean_text(text.replace("\r\n", "\n"))
    return text if text.endswith("\n") or not text else text + "\n"


def save(followup: FollowUp, key: str, lang: str, text: str, author: str) -> ReportText | None:
    """Store ``text`` as the newest version of (``key``, ``lang``); None when it equals the
    newest already (nothing stored). An outline is checked before it is stored."""
    stored = save_many(followup, {(key, lang): text}, author)
    return stored[0] if stored else None


def save_many(
    followup: FollowUp, texts: dict[tuple[str, str], str], author: str
) -> list[ReportText]:
    """Store several texts at once, all or nothing; refuse with every problem named."""
    problems: list[str] = []
    outline_text = texts.get((outlines.OUTLINE_KEY, ""))
    try:
        shape = (
            outlines.parse(outline_text, special=_special())
            if outline_text is not None
            else outline_of(followup)
        )
    except outlines.OutlineError as exc:
        problems += [f"outline.yaml: {p}" for p in exc.problems]
        shape = outlines.standard()
    chapters = {c.key for c in shape.chapters}
    cleaned = {}
    for (key, lang), text in sorted(texts.items()):
        name = f"{key}.{lang}.md" if lang else "outline.yaml"
        if problem := _problem_of_key(followup, key, lang, chapters):
            problems.append(f"{name}: {problem}")
            continue
        if len(text) > MAX_LENGTH:
            problems.append(
                _("%(name)s: texten är längre än %(n)d tecken") % {"name": name, "n": MAX_LENGTH}
            )
            continue
        cleaned[(key, lang)] = clean(text)
    if problems:
        raise TextRefused(problems)
    stored = []
    with transaction.atomic():
        current = newest(followup)
        for (key, lang), text in cleaned.items():
            before = current.get((key, lang))
            if before is not None and before.text == text:
                continue
            version = (
                ReportText.objects.filter(followup=followup, key=key, lang=lang).aggregate(
                    v=Max("version")
                )["v"]
                or 0
            ) + 1
            stored.append(
                ReportText.objects.create(
                    followup=followup, key=key, lang=lang, version=version, text=text, author=author
                )
            )
    return stored


def export(followup: FollowUp, out: Path) -> list[Path]:
    """Write the follow-up's outline and newest texts as files in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    shape = outline_of(followup)
    path = out / "outline.yaml"
    own = text_of(followup, outlines.OUTLINE_KEY, "")
    path.write_text(own or outlines.dump(shape), encoding="utf-8")
    written.append(path)
    for (key, lang), t in sorted(newest(followup).items()):
        if key == outlines.OUTLINE_KEY:
            continue
        path = out / f"{key}.{lang}.md"
        path.write_text(t.text, encoding="utf-8")
        written.append(path)
    return written


def read_files(folder: Path) -> dict[tuple[str, str], str]:
    """The texts of a folder written by :func:`export` (or by hand), refused with every file
    that is not one: a name that is not ``outline.yaml`` or ``<key>.<sv|en>.md``, a file that
    is not UTF-8 text."""
    if not folder.is_dir():
        raise TextRefused([_("%(dir)s är ingen mapp") % {"dir": folder}])
    problems, texts = [], {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.name == "outline.yaml":
            key, lang = outlines.OUTLINE_KEY, ""
        elif m := FILE.fullmatch(path.name):
            key, lang = m["key"], m["lang"]
        else:
            problems.append(
                _("%(name)s: namnet ska vara outline.yaml eller <kapitel>.<sv|en>.md")
                % {"name": path.name}
            )
            continue
        try:
            texts[(key, lang)] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(_("%(name)s: inte UTF-8-text") % {"name": path.name})
    if problems:
        raise TextRefused(problems)
    return texts

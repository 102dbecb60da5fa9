"""An analyst's coding: tag a passage of a text with themes and a stage, mark it as quotable,
remove one's own codes, and accept or reject the suggested codes. Every change is checked
against the frame and made in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naravard.core.errors import Invalid
from naravard.qualitative.frame import current_frame
from naravard.qualitative.models import Passage, PassageTheme, Suggestion, SuggestionStatus, Text


class CodingError(Invalid):
    """A code that cannot be stored; the message names what was wrong."""


def _check(text: Text, start: int, end: int, themes: list[str], stage: str) -> list[str]:
    frame = current_frame()
    if not 0 <= start < end <= len(text.body):
        raise CodingError(
            _("Markeringen %(start)s–%(end)s ligger utanför texten (0–%(n)s tecken).")
            % {"start": start, "end": end, "n": len(text.body)}
        )
    if not text.body[start:end].strip():
        raise CodingError(_("Markeringen innehåller bara blanktecken."))
    known = {t.id for t in frame.all_themes}
    unknown = sorted(set(themes) - known)
    if unknown:
        raise CodingError(_("Kodramen har inga teman %(ids)s.") % {"ids": ", ".join(unknown)})
    if not themes:
        raise CodingError(_("Välj minst ett tema."))
    if stage and stage not in {s.id for s in frame.stages}:
        raise CodingError(_("Kodramen har inget skede %(id)s.") % {"id": stage})
    return frame.with_parents(themes)  # a sub-theme's theme is coded with it


def trim(body: str, start: int, end: int) -> tuple[int, int]:
    """The span without white space at its ends."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def code_passage(
    text: Text,
    start: int,
    end: int,
    themes: list[str],
    stage: str = "",
    *,
    coder,
    quotable: bool = False,
) -> Passage:
    """Store one analyst's codes for a passage of ``text`` (``quotable``: the report may
    quote it)."""
    themes = _check(text, start, end, themes, stage)
    start, end = trim(text.body, start, end)
    with transaction.atomic():
        passage = Passage.objects.create(
            text=text,
            start=start,
            end=end,
            quote=text.body[start:end],
            stage=stage,
            frame_version=current_frame().version,
            coder=coder,
            quotable=quotable,
        )
        PassageTheme.objects.bulk_create(PassageTheme(passage=passage, theme=t) for t in themes)
    return passage


def remove_passage(passage: Passage, *, user) -> None:
    """An analyst removes their own coded passage (not a colleague's)."""
    if passage.coder_id != user.pk:
        raise CodingError(_("Bara den som kodade passagen kan ta bort den."))
    if passage.factboxes.exists():
        raise CodingError(
            _("Passagen används i en faktaruta; ta bort eller ändra faktarutan först.")
        )
    with transaction.atomic():
        Suggestion.objects.filter(passage=passage).update(
            status=SuggestionStatus.PENDING, decided_at=None, decided_by=None, passage=None
        )
        passage.delete()


def mark_quotable(passage: Passage, quotable: bool) -> int:
    """An analyst marks a coded passage as one the report may quote ("citat"), or unmarks
    it: every analyst's coding of the same span alike, as the choice is about the words. Any
    analyst may, as choosing quotes is the report's editing, not the coding. Returns the
    number of codings changed."""
    n = Passage.objects.filter(
        text_id=passage.text_id, start=passage.start, end=passage.end
    ).update(quotable=quotable)
    passage.quotable = quotable
    return n


def _pending(suggestion: Suggestion) -> Suggestion:
    current = (
        Suggestion.objects.select_for_update().select_related("segment__text").get(pk=suggestion.pk)
    )
    if current.status != SuggestionStatus.PENDING:
        raise CodingError(
            _("Förslaget är redan %(status)s.") % {"status": current.get_status_display()}
        )
    return current


def accept(
    suggestion: Suggestion, *, user, themes: list[str] | None = None, stage: str | None = None
) -> Passage:
    """Accept a suggestion (possibly with fewer or other themes, or another stage): the
    sentence becomes the analyst's coded passage."""
    with transaction.atomic():
        current = _pending(suggestion)
        segment = current.segment
        passage = code_passage(
            segment.text,
            segment.start,
            segment.end,
            current.themes if themes is None else themes,
            current.stage if stage is None else stage,
            coder=user,
        )
        current.status, current.decided_at, current.decided_by = (
            SuggestionStatus.ACCEPTED,
            timezone.now(),
            user,
        )
        current.passage = passage
        current.save()
    return passage


def reject(suggestion: Suggestion, *, user) -> None:
    with transaction.atomic():
        current = _pending(suggestion)
        current.status, current.decided_at, current.decided_by = (
            SuggestionStatus.REJECTED,
            timezone.now(),
            user,
        )
        current.save()

"""Collecting free text for coding: the long answers of submitted responses and the text of
uploaded documents, each split into sentences, indexed for search and given suggested codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from naravard.collect.definition import FormDefinition, Item
from naravard.collect.models import Response
from naravard.collect.signals import response_submitted
from naravard.qualitative import search
from naravard.qualitative.frame import current_frame
from naravard.qualitative.models import Passage, Segment, Suggestion, Text, TextKind
from naravard.qualitative.suggest import suggest

FREE_TEXT_MIN_LENGTH = 1000  # a text item allowing at least this many characters is free text
# a sentence ends at . ! ? or a line break, before a capital letter, digit or dash
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"'”(–-]?[A-ZÅÄÖÉ0-9])|\s*\n\s*")


def sentences(body: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``body``, without surrounding white space."""
    spans, at = [], 0
    for match in [*SENTENCE_END.finditer(body), None]:
        end = match.start() if match else len(body)
        chunk = body[at:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            spans.append((at + lead, at + trail))
        if match:
            at = match.end()
    return spans


def normalise(body: str) -> str:
    """One spelling of line breaks, no NUL characters (PDF text may hold them) and no
    trailing white space, so offsets stay stable."""
    body = body.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in body.split("\n")).strip()


def is_free_text(item: Item) -> bool:
    return item.type == "text" and (
        item.max_length is None or item.max_length >= FREE_TEXT_MIN_LENGTH
    )


@dataclass(frozen=True)
class Answered:
    item_id: str
    label: str
    body: str


def _question(number: str, text: str) -> str:
    """'3 Vilka förändringar har genomförts eller pågår?' (the question's first sentence)."""
    first = re.split(r"(?<=[.?!])\s", text, maxsplit=1)[0]
    return f"{number} {first}".strip()


def free_text_answers(form: FormDefinition, answers: dict) -> Iterator[Answered]:
    """The long free-text answers of one response, group rows included."""
    for section in form.sections:
        for question in section.questions:
            label = _question(question.number, question.text["sv"])
            for item in question.items:
                if item.type == "group":
                    rows = answers.get(item.id) or []
                    for n, row in enumerate(rows, start=1):
                        for f in item.fields:
                            value = row.get(f.id) if isinstance(row, dict) else None
                            if is_free_text(f) and isinstance(value, str) and value.strip():
                                yield Answered(f"{item.id}.{n}.{f.id}", f"{label}, rad {n}", value)
                elif is_free_text(item):
                    value = answers.get(item.id)
                    if isinstance(value, str) and value.strip():
                        yield Answered(item.id, label, value)


def _kind(form: FormDefinition) -> str:
    return TextKind.STATUS_REPORT if form.audience == "regions" else TextKind.SURVEY_COMMENT


def _text(
    *,
    kind: str,
    title: str,
    body: str,
    region=None,
    municipality=None,
    rnd=None,
    response=None,
    item_id: str = "",
    file_name: str = "",
    file_sha256: str = "",
    user=None,
) -> Text:
    """A new text, not stored yet."""
    return Text(
        kind=kind,
        title=title[:300],
        body=normalise(body),
        region=region,
        municipality=municipality,
        round=rnd,
        response=response,
        item_id=item_id,
        file_name=file_name,
        file_sha256=file_sha256,
        added_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _store(texts: list[Text]) -> list[Text]:
    """Store new texts with their sentences, their search index and suggested codes: the same
    few queries for any number of texts (a submit stores all its long answers at once)."""
    if connection.features.can_return_rows_from_bulk_insert:
        Text.objects.bulk_create(texts)
    else:
        for text in texts:
            text.save()
    segments = Segment.objects.bulk_create(
        Segment(text=text, position=i, start=a, end=b, body=text.body[a:b])
        for text in texts
        for i, (a, b) in enumerate(sentences(text.body))
    )
    if segments and segments[0].pk is None:  # backends that do not return keys
        segments = list(Segment.objects.filter(text__in=texts).order_by("text_id", "position"))
    search.index(segments)
    suggest_for(segments, new=True)
    return texts


@transaction.atomic
def add_text(**fields: Any) -> Text:
    """Store a text with its sentences, their search index and suggested codes (``fields``
    as for :func:`_text`)."""
    return _store([_text(**fields)])[0]


def suggest_for(segments: list[Segment], *, new: bool = False) -> int:
    """Store the suggested codes of the current frame for sentences that have none yet
    (``new``: the sentences were just stored, so none has)."""
    frame = current_frame()
    done: set[int] = set()
    if not new:
        done = set(
            Suggestion.objects.filter(
                segment__in=segments, frame_version=frame.version
            ).values_list("segment_id", flat=True)
        )
    found_for = []
    for segment in segments:
        if segment.pk in done:
            continue
        found = suggest(segment.body, frame)
        if found.themes:
            found_for.append(
                Suggestion(
                    segment=segment,
                    themes=found.themes,
                    stage=found.stage or "",
                    evidence=found.evidence,
                    frame_version=frame.version,
                )
            )
    Suggestion.objects.bulk_create(found_for)
    return len(found_for)


def collect_response(response: Response, user=None) -> list[Text]:
    """Make texts of a submitted response's long answers.

    An answer whose wording is unchanged keeps its text and codes, also when it moved (a
    group row deleted above it). A changed answer gets a new text; the old text is marked as
    replaced, and each coded passage whose quote occurs exactly once in the new wording moves
    to the new text, so only passages whose words changed need coding again."""
    if response.submitted_answers is None:
        return []
    rnd = response.round
    form = rnd.form
    # by item, without the model's ordering by organisation and round (joins, all the same here)
    old = list(Text.objects.filter(response=response, replaced_at=None).order_by("item_id", "pk"))
    by_body: dict[str, list[Text]] = {}
    for t in old:
        by_body.setdefault(t.body, []).append(t)
    answers = list(free_text_answers(form, response.submitted_answers))
    kept: dict[str, Text] = {}
    for answer in answers:
        same = by_body.get(normalise(answer.body))
        if same:
            kept[answer.item_id] = same.pop(0)
    now = timezone.now()
    dropped = [t for t in old if t not in kept.values()]
    for t in dropped:
        t.replaced_at = now
    Text.objects.bulk_update(dropped, ["replaced_at"])
    moved = [(item_id, t) for item_id, t in kept.items() if t.item_id != item_id]
    for _item_id, t in moved:  # two steps, so swapped rows never share an item id
        t.item_id = f"~{t.pk}"
    Text.objects.bulk_update([t for _i, t in moved], ["item_id"])
    org = response.organisation
    labels = {a.item_id: a.label for a in answers}
    for item_id, t in moved:
        t.item_id, t.title = item_id, f"{org.name}: {labels[item_id]}"[:300]
    Text.objects.bulk_update([t for _i, t in moved], ["item_id", "title"])
    was = {t.item_id: t for t in dropped}
    made = _store(
        [
            _text(
                kind=_kind(form),
                title=f"{org.name}: {answer.label}",
                body=answer.body,
                region=response.region,
                municipality=response.municipality,
                rnd=rnd,
                response=response,
                item_id=answer.item_id,
                user=user,
            )
            for answer in answers
            if answer.item_id not in kept
        ]
    )
    for text in made:
        if text.item_id in was:
            carry_codes(was[text.item_id], text)
    return made


def carry_codes(old: Text, new: Text) -> int:
    """Move the coded passages whose quote occurs exactly once in the new wording."""
    moved = []
    for p in old.passages.all():
        at = new.body.find(p.quote)
        if at >= 0 and new.body.find(p.quote, at + 1) < 0:
            p.text, p.start, p.end = new, at, at + len(p.quote)
            moved.append(p)
    Passage.objects.bulk_update(moved, ["text", "start", "end"])
    return len(moved)


def collect_round(rnd) -> int:
    """Texts of every submitted response of a round (for rounds submitted before this app)."""
    n = 0
    with transaction.atomic():
        for response in rnd.responses.filter(submitted_answers__isnull=False):
            n += len(collect_response(response))
    return n


def _on_submit(sender, response, user=None, **_kwargs) -> None:
    collect_response(response, user=user)


def connect_signals() -> None:

    response_submitted.connect(_on_submit, dispatch_uid="qualitative-collect-response")

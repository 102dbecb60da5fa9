"""The demo's coding: two analysts' codes for the status reports written for the demo
(``data/demo_codes.yaml``, some marked quotable), stored through the same service as the
coding page, and an analyst's fact boxes on coded passages (``data/demo_factboxes.yaml``)."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from naravard.accounts.models import Role
from naravard.accounts.provisioning import create_user
from naravard.collect.models import STOCKHOLM
from naravard.qualitative.coding import code_passage
from naravard.qualitative.models import FactBox, Passage, Text, TextKind

CODED_ON = dt.date(2019, 11, 18)


def _data(name: str):
    return yaml.safe_load(
        resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    )


def demo_codes() -> list[dict]:
    return _data("demo_codes.yaml")


def demo_analysts(names: set[str]) -> dict:
    """The demo's analysts by name; those the demo accounts lack are made without a password."""

    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=names)}
    for name in sorted(names - set(users)):
        users[name] = create_user(name, Role.ANALYST)
    return users


def code_demo_texts() -> int:
    """Store the demo analysts' codes of the status reports and of the municipalities' survey
    answers; a quote missing from its text is an error."""
    survey = _data("demo_survey_codes.yaml")
    users = demo_analysts({c["coder"] for c in demo_codes()} | {survey["coder"]})
    passages = []
    with transaction.atomic():
        for i, c in enumerate(demo_codes()):
            text = Text.objects.get(
                region_id=c["region"], item_id=c["item"], replaced_at__isnull=True
            )
            start = text.body.find(c["quote"])
            if start < 0:
                raise ValueError(
                    f"demo_codes.yaml, entry {i + 1}: the quote is not in "
                    f"{c['region']} {c['item']}: {c['quote'][:60]!r}"
                )
            passages.append(
                code_passage(
                    text,
                    start,
                    start + len(c["quote"]),
                    c["themes"],
                    c.get("stage", ""),
                    coder=users[c["coder"]],
                    quotable=c.get("quotable", False),
                )
            )
        for answer in survey["answers"]:
            for text in Text.objects.filter(
                kind=TextKind.SURVEY_COMMENT, body=answer["text"], replaced_at__isnull=True
            ).order_by("pk"):
                passages.append(
                    code_passage(
                        text,
                        0,
                        len(text.body),
                        answer["themes"],
                        answer.get("stage", ""),
                        coder=users[survey["coder"]],
                    )
                )
        first = dt.datetime.combine(CODED_ON, dt.time(9), tzinfo=STOCKHOLM)
        for i, p in enumerate(passages):  # a fixed time each, so the demo is the same every time
            p.coded_at = first + dt.timedelta(minutes=i)
        Passage.objects.bulk_update(passages, ["coded_at"])
        write_demo_factboxes(users, first + dt.timedelta(days=1))
    return len(passages)


def write_demo_factboxes(users: dict, at: dt.datetime) -> list[FactBox]:
    """The demo analysts' fact boxes (``data/demo_factboxes.yaml``), each on the passage of
    its region's answer that the analyst coded and whose quote holds the entry's words; a
    fact box that does not pass the checks of the coding pages is an error."""
    out = []
    for i, entry in enumerate(_data("demo_factboxes.yaml")):
        passage = (
            Passage.objects.filter(
                text__region_id=entry["region"],
                text__item_id=entry["item"],
                text__replaced_at__isnull=True,
                coder=users[entry["author"]],
                quote__contains=entry["quote"],
            )
            .select_related("text")
            .order_by("pk")
            .first()
        )
        if passage is None:
            raise ValueError(
                f"demo_factboxes.yaml, entry {i + 1}: no passage of {entry['region']} "
                f"{entry['item']} coded by {entry['author']} holds {entry['quote'][:60]!r}"
            )
        rnd = passage.text.round
        if rnd is None:
            raise ValueError(f"demo_factboxes.yaml, entry {i + 1}: the text has no round")
        box = FactBox(
            theme=entry["theme"],
            round=rnd,
            passage=passage,
            title=entry["title"],
            text=entry["text"],
            author=users[entry["author"]],
            created_at=at + dt.timedelta(minutes=i),
        )
        box.full_clean()
        box.save()
        out.append(box)
    return out

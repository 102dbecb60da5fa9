"""The demo's coding: two analysts' codes for the status reports written for the demo
(``data/demo_codes.yaml``), stored through the same service as the coding page."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from naravard.collect.models import STOCKHOLM
from naravard.qualitative.coding import code_passage
from naravard.qualitative.models import Text

CODED_ON = dt.date(2019, 11, 18)


def demo_codes() -> list[dict]:
    raw = resources.files(__package__).joinpath("data", "demo_codes.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


def demo_analysts(names: set[str]) -> dict:
    """The demo's analysts by name; those the demo accounts lack are made without a password."""
    from naravard.accounts.models import Role
    from naravard.accounts.provisioning import create_user

    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=names)}
    for name in sorted(names - set(users)):
        users[name] = create_user(name, Role.ANALYST)
    return users


def code_demo_texts() -> int:
    """Store the demo analysts' codes; a quote missing from its text is an error."""
    users = demo_analysts({c["coder"] for c in demo_codes()})
    n = 0
    with transaction.atomic():
        for i, c in enumerate(demo_codes()):
            text = Text.objects.get(region_id=c["region"], item_id=c["item"],
                                    replaced_at__isnull=True)
            start = text.body.find(c["quote"])
            if start < 0:
                raise ValueError(f"demo_codes.yaml, entry {i + 1}: the quote is not in "
                                 f"{c['region']} {c['item']}: {c['quote'][:60]!r}")
            passage = code_passage(text, start, start + len(c["quote"]), c["themes"],
                                   c.get("stage", ""), coder=users[c["coder"]])
            passage.coded_at = dt.datetime.combine(CODED_ON, dt.time(9), tzinfo=STOCKHOLM) \
                + dt.timedelta(minutes=i)
            passage.save(update_fields=["coded_at"])
            n += 1
    return n

"""Writing the audit trail: who did what, when, to which answer, from which value to which."""

from __future__ import annotations

import getpass
from typing import Any

from naravard.collect.models import AuditAction, AuditEvent, Response, Round

VIA = {"web": "webb", "cli": "kommandoraden", "api": "api"}  # as the audit trail shows it


def actor_name(user=None, via: str = "web") -> str:
    """A readable name for whoever acts: the user, or the operating-system user of the CLI
    (in Swedish, like the pages that show it)."""
    where = VIA.get(via, via)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"{user.get_username()} ({where})"
    if via == "cli":
        try:
            return f"{getpass.getuser()} ({where})"
        except OSError:
            return where
    return where


def event(
    action: AuditAction,
    round: Round,
    *,
    user=None,
    actor: str = "",
    response: Response | None = None,
    item_id: str = "",
    old: Any = None,
    new: Any = None,
    note: str = "",
) -> AuditEvent:
    """An event not stored yet, to be stored with others in one insert."""
    real_user = user if getattr(user, "is_authenticated", False) else None
    return AuditEvent(
        action=action,
        round=round,
        response=response,
        item_id=item_id,
        old_value=old,
        new_value=new,
        note=note,
        user=real_user,
        actor=actor or actor_name(user),
    )


def record(action: AuditAction, round: Round, **details: Any) -> AuditEvent:
    """Store one event now (``details`` as for :func:`event`)."""
    stored = event(action, round, **details)
    stored.save()
    return stored

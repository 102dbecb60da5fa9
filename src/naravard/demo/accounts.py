"""The embedded demo: a fresh SQLite database with reference data and demo accounts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from naravard.accounts.models import Role
from naravard.accounts.provisioning import create_user
from naravard.refdata.models import Municipality, Region

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts only, printed at start


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str


def build_accounts(advance: Callable[[int], None] | None = None) -> list[DemoLogin]:
    """An analyst, a coordinator per region and a respondent per municipality.

    All share the password ``demo``; the hash is computed once.
    """

    password_hash = make_password(DEMO_PASSWORD)
    create_user(
        "analytiker",
        Role.ANALYST,
        email="analytiker@example.org",
        password_hash=password_hash,
        first_name="Alva",
        last_name="Analytiker",
    )
    create_user(
        "analytiker2",
        Role.ANALYST,
        email="analytiker2@example.org",
        password_hash=password_hash,
        first_name="Bo",
        last_name="Bedömare",
    )
    organisations = [
        (f"region-{r.code}", Role.REGION_COORDINATOR, r.code, "Samordnare", r.short_name)
        for r in Region.objects.all()
    ]
    organisations += [
        (f"kommun-{m.code}", Role.MUNICIPALITY_RESPONDENT, m.code, "Respondent", m.name)
        for m in Municipality.objects.all()
    ]
    for username, role, code, first_name, last_name in organisations:
        create_user(
            username,
            role,
            code,
            email=f"{username}@example.org",
            password_hash=password_hash,
            first_name=first_name,
            last_name=last_name,
        )
        if advance:
            advance(1)
    return [
        DemoLogin("analytiker", "nationell analytiker", "alla regioner och kommuner"),
        DemoLogin("analytiker2", "nationell analytiker", "kodar samma texter (samstämmighet)"),
        DemoLogin("region-01", "regionsamordnare", "Region Stockholm (varje region: region-LL)"),
        DemoLogin(
            "kommun-0180", "kommunrespondent", "Stockholms kommun (varje kommun: kommun-KKKK)"
        ),
    ]

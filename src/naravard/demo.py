"""The embedded demo: a fresh SQLite database with reference data and demo accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.contrib.auth.hashers import make_password

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
    from naravard.accounts.models import Role
    from naravard.accounts.provisioning import create_user
    from naravard.refdata.models import Municipality, Region

    password_hash = make_password(DEMO_PASSWORD)
    create_user("analytiker", Role.ANALYST, email="analytiker@example.org",
                password_hash=password_hash, first_name="Alva", last_name="Analytiker")
    for region in Region.objects.all():
        create_user(f"region-{region.code}", Role.REGION_COORDINATOR, region.code,
                    email=f"region-{region.code}@example.org", password_hash=password_hash,
                    first_name="Samordnare", last_name=region.short_name)
        if advance:
            advance(1)
    for municipality in Municipality.objects.all():
        create_user(f"kommun-{municipality.code}", Role.MUNICIPALITY_RESPONDENT, municipality.code,
                    email=f"kommun-{municipality.code}@example.org", password_hash=password_hash,
                    first_name="Respondent", last_name=municipality.name)
        if advance:
            advance(1)
    return [
        DemoLogin("analytiker", "nationell analytiker", "alla regioner och kommuner"),
        DemoLogin("region-01", "regionsamordnare", "Region Stockholm (varje region: region-LL)"),
        DemoLogin("kommun-0180", "kommunrespondent",
                  "Stockholms kommun (varje kommun: kommun-KKKK)"),
    ]

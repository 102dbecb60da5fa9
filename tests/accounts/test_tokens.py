"""API tokens: whose a secret is, and when it was last used."""

import pytest
from django.utils import timezone

from naravard.accounts.models import LAST_USE_RECORDED_EVERY, ApiToken

pytestmark = pytest.mark.django_db


def test_a_secret_names_its_account_while_the_token_and_account_are_valid(make_user):
    user = make_user("s", "region_coordinator", "04")
    token, secret = ApiToken.issue(user, "system")
    assert ApiToken.user_for(secret) == user
    assert ApiToken.user_for(secret + "x") is None
    user.is_active = False
    user.save()
    assert ApiToken.user_for(secret) is None
    user.is_active = True
    user.save()
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert ApiToken.user_for(secret) is None


def test_the_last_use_is_written_at_most_once_a_minute(make_user):
    """Not on every request: each write locks the token's row until the request ends."""
    token, secret = ApiToken.issue(make_user("s", "region_coordinator", "04"), "system")
    assert token.last_used_at is None
    ApiToken.user_for(secret)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    ApiToken.user_for(secret)
    token.refresh_from_db()
    assert token.last_used_at == first
    earlier = first - LAST_USE_RECORDED_EVERY
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    ApiToken.user_for(secret)
    token.refresh_from_db()
    assert token.last_used_at >= first

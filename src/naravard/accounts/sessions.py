"""How long a signed-in session lasts: it ends after the idle time of the account's role
(settings ``NARAVARD_SESSION_IDLE``, seconds), counted from the last request.

A session's end moves forward with use, but a session is written at most every
``REFRESH_SECONDS``, not on every request; a request without a session (the public, the token
API) never gets one from here. A password change ends the account's other sessions through
Django's session hash (``get_session_auth_hash``): nothing to do here for that.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 300  # how often at most an active session is written again
REFRESHED = "_naravard_refreshed"  # when this session's end was last moved (Unix seconds)


def idle_seconds(role: str) -> int:
    """How long a session of this role lasts without a request (the shortest for no role)."""
    return settings.NARAVARD_SESSION_IDLE.get(role, settings.SESSION_COOKIE_AGE)


class SessionExpiryMiddleware:
    """After each signed-in request, set the session to end its role's idle time from now
    (rewritten at most every REFRESH_SECONDS). Placed after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # session_key is read without loading the session: anonymous visitors are left alone
        if session is None or not session.session_key or SESSION_KEY not in session:
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        age, now = idle_seconds(getattr(user, "role", "")), int(time.time())
        if session.get_expiry_age() != age or now - session.get(REFRESHED, 0) >= REFRESH_SECONDS:
            session.set_expiry(age)
            session[REFRESHED] = now
        return response

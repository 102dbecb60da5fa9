"""Django system checks for naravard: the shared helpers.

Each fact has one home; a system check says so when two homes disagree. Checks live next to
the fact they guard and are registered in the owning app's ``AppConfig.ready()`` with
:func:`register`, as ``django.contrib.auth`` does::

    class CatalogConfig(AppConfig):
        def ready(self):
            from naravard.catalog import checks

            register(checks.units_cover_catalogue, checks.unit_rows_complete)

A check is a function ``(app_configs=None, **kwargs) -> list[CheckMessage]`` that builds its
messages with :func:`error`. Messages are one line in English (as Django's are) with a hint.

Ids are ``naravard.E001`` and up, by range:

- E001–E019: units, register engine definitions, public URL prefixes;
- E020–E039: survey forms, report chapters, the coding frame;
- E040–E049: the source registry.

``naravard migrate``, ``naravard serve`` and the test suite run every check; an error stops them
(see :func:`failed_checks` and :func:`one_line`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core import checks

TAG = "naravard"

CheckFunction = Callable[..., list[checks.CheckMessage]]


def error_id(number: int) -> str:
    """The id of naravard's error ``number``: 1 → 'naravard.E001'."""
    return f"naravard.E{number:03d}"


def error(number: int, message: str, hint: str, obj: object = None) -> checks.Error:
    """A system-check error with the id naravard.E<number>, a one-line message and a hint."""
    return checks.Error(message, hint=hint, obj=obj, id=error_id(number))


def register(*check_functions: CheckFunction) -> None:
    """Register check functions under the 'naravard' tag (call from ``AppConfig.ready()``).

    Registering the same function twice is harmless: Django keeps its checks in a set.
    """
    for check in check_functions:
        checks.register(check, TAG)


def failed_checks(tags: Iterable[str] | None = None) -> list[checks.CheckMessage]:
    """Run the system checks (all of them, or those with ``tags``) and return the errors.

    Warnings and silenced messages (settings.SILENCED_SYSTEM_CHECKS) are left out, as Django's
    ``check`` command leaves them out of its failure.
    """
    found = checks.run_checks(tags=list(tags) if tags else None)
    return [m for m in found if m.is_serious() and not m.is_silenced()]


def one_line(message: checks.CheckMessage) -> str:
    """A check message as one line: 'naravard.E001: message (hint: ...)'."""
    text = f"{message.id}: {message.msg}" if message.id else message.msg
    return f"{text} (hint: {message.hint})" if message.hint else text

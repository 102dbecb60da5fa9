"""Shared helpers of the command line: the error console, failing clearly, starting Django,
and the one place where an error becomes the line people read (:class:`OneLineErrors`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from naravard.core.errors import NaravardError

err = Console(stderr=True, soft_wrap=True)


class OutputFormat(StrEnum):
    """What a command that reports prints (``--format``): JSON, or a table for people."""

    json = "json"
    table = "table"


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear error line and exit non-zero."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


class OneLineErrors(TyperGroup):
    """The command group that turns errors into one line, so commands can simply raise.

    A :class:`NaravardError` prints ``error: <message>`` (in English, the command line's
    language) and exits with its kind's exit code; a database that cannot be used prints
    what to check instead of a traceback. Anything else is a bug and keeps its traceback."""

    def invoke(self, ctx) -> Any:  # typer's own (vendored) click Context: not importable as click
        try:
            return super().invoke(ctx)
        except NaravardError as exc:
            fail(exc.message("en"), exc.exit_code)
        except Exception as exc:
            from django.db.utils import Error as DatabaseError

            if not isinstance(exc, DatabaseError):
                raise
            fail(
                f"the database cannot be used: {_first_line(exc)}. Check DATABASE_URL and "
                "that the server is running; 'naravard migrate' creates the tables."
            )


def _first_line(exc: Exception) -> str:
    """The first line of an exception's message, or its type's name when it has none."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def setup_or_fail() -> None:
    """Start Django from the environment, or explain what is missing."""
    from django.core.exceptions import ImproperlyConfigured

    from naravard.commands.django_setup import setup

    try:
        setup()
    except ImproperlyConfigured as exc:
        fail(str(exc))


def checks_or_fail() -> None:
    """Run the system checks (naravard.E001 and up, and Django's own); on errors print each
    as one line and exit non-zero, so that no command starts on facts that disagree."""
    from naravard.core.checks import failed_checks, one_line

    errors = failed_checks()
    for message in errors:
        err.print(f"[bold red]error:[/] {one_line(message)}", highlight=False)
    if errors:
        raise typer.Exit(1)

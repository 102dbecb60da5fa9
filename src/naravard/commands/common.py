"""Shared helpers of the command line: the error console, failing clearly, starting Django."""

from __future__ import annotations

import typer
from rich.console import Console

err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    """Print one clear error line and exit non-zero."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def setup_or_fail() -> None:
    """Start Django from the environment, or explain what is missing."""
    from django.core.exceptions import ImproperlyConfigured

    from naravard.commands.django_setup import setup

    try:
        setup()
    except ImproperlyConfigured as exc:
        fail(str(exc))

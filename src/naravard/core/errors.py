"""The error root: every error naravard raises on purpose is a :class:`NaravardError`.

A few kinds sit under the root, each also deriving from the built-in exception it means (as
``ibis/common/exceptions.py`` does), so ``except ValueError`` and ``except LookupError`` keep
working. A kind carries, in one place, the HTTP status the API and the pages answer with and
the exit code of the command line. The faces turn an error into one line for people:

- the command line (``commands/common.py``): ``error: <message>`` on standard error, exit
  with ``exit_code``;
- the JSON API (``api.py``): ``{"detail": <message>}`` with ``status``;
- the pages (``presentation/errors.py``): the status page for ``status`` with the message;
- the PxWeb face (``opendata/pxweb.py``) answers its own ``PxWebError``, whose status is its
  own, as an RFC 7807 problem document.

Every kind exits with 1, as scripts have come to expect (Typer's usage errors exit with 2).

A module's own error class derives from the kind that says what went wrong, keeping its
name; when a class is two things (an unknown indicator is a catalogue error and not found),
the kind comes first among its bases, so that its status and exit code win.
"""

from __future__ import annotations


class NaravardError(Exception):
    """An error naravard raises on purpose; the message says what went wrong, for people."""

    status: int = 500  # the HTTP status of the API's and the pages' answer
    exit_code: int = 1  # the command line's exit status (Typer's usage errors exit with 2)

    def message(self, lang: str | None = None) -> str:
        """The error in one line for people. The message is worded when the error is raised,
        in the language active then; a class that can word it in either language overrides
        this and takes ``lang`` ('sv' or 'en', default the active language)."""
        return str(self)


class Invalid(NaravardError, ValueError):
    """What was given breaks a rule: a file, a definition, a value typed or sent."""

    status = 400


class NotFound(NaravardError, LookupError):
    """What was asked for does not exist, or is not public."""

    status = 404


class Refused(NaravardError, RuntimeError):
    """The request is well-formed, but the state of things does not allow it now: the round
    is locked, the response is submitted or was changed meanwhile, the fact-check is open."""

    status = 409


class Failed(NaravardError, RuntimeError):
    """Something naravard needs did not work (a program is missing, a rendering failed); not
    the caller's fault."""

    status = 500

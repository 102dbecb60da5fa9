"""What every operation of the JSON API declares besides its answer: the error body, the
statuses it answers with, and the types of ids in paths.

Every error the API answers has one body, ``{"detail": "<the error in one line>"}``: a
:class:`~naravard.core.errors.NaravardError` (with its kind's status), a request that does
not fit the declared parameters and body (400), a missing or refused login (401, 403), an
object that does not exist (404). An operation lists the statuses it can answer with
:func:`errors`, so that the OpenAPI description names every answer a client can get
(``tests/opendata/test_openapi_contract.py`` holds the API to it).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

# the largest id a database row can have (a 64-bit primary key)
MAX_ID = 2**63 - 1

RowId = Annotated[int, Field(ge=1, le=MAX_ID, description="a database id")]


class ErrorOut(BaseModel):
    """An error: what went wrong, in one line for people (in the request's language where
    the message has two)."""

    detail: str


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers of an operation, ``response={200: X, **errors(401, 404)}``."""
    return dict.fromkeys(statuses, ErrorOut)

"""What every kind of source answers to: a first request that tells the source's version
(``probe``, sent as a conditional request), the cells, and a description for ``sources check``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from naravard.sources.cells import Cell
from naravard.sources.fetch import Fetched, Fetcher, Validators
from naravard.sources.registry import Source

# (what is being read, steps done, steps in all or None when not known yet)
Progress = Callable[[str, int, int | None], None]


def no_progress(what: str, done: int, total: int | None) -> None:
    """Progress that nobody watches."""


@dataclass(frozen=True)
class Probe:
    """The first answer of a sync and the version of the source it tells (a table's
    ``updated``, or the digest of a document that changes whenever the data do)."""

    fetched: Fetched
    version: str


class Reader:
    """One kind of source. A sync calls ``probe`` and, unless the source is unchanged,
    ``cells``; both use ``fetcher``, which keeps every answer."""

    def __init__(self, source: Source, fetcher: Fetcher):
        self.source, self.fetcher = source, fetcher

    def probe(self, validators: Validators | None) -> Probe:
        raise NotImplementedError

    def cells(self, progress: Progress = no_progress) -> Iterator[Cell]:
        raise NotImplementedError

    def describe(self) -> list[str]:
        """What ``sources check`` tells of the source: reached, and its query fits it."""
        raise NotImplementedError

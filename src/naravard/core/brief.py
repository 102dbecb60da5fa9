"""A value read from the database and reused briefly by one process.

What is public (the releases, the published rounds) changes rarely but is read by nearly
every public request, many times in each. :class:`Brief` reads it once and hands out the same
value for at most ``ttl`` seconds, so a change made by another process (a release from the
command line) shows within that time. A change made in this process shows at once: connect
:meth:`Brief.forget` to the models' save and delete signals.

A transaction may see its own uncommitted changes, which no other may see. By default a
Brief inside a transaction always reads afresh and keeps nothing. With
``trust_transactions=True`` (for a value every request reads, and requests run in
transactions: ATOMIC_REQUESTS) it does so only in a transaction that has changed what it
reads, i.e. has sent one of the signals :meth:`forget` receives; other transactions see
what is committed and share the kept value.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import connection, transaction

T = TypeVar("T")


def in_transaction() -> bool:
    """Inside a transaction reads may see uncommitted changes."""
    return connection.in_atomic_block


def _outermost_block():
    """The transaction this thread is in: its outermost atomic block (an object that lives
    as long as the transaction, so ``is`` tells transactions apart)."""
    return connection.atomic_blocks[0] if connection.atomic_blocks else None


class Brief(Generic[T]):
    """``read()``'s answer, kept for at most ``ttl`` seconds."""

    def __init__(
        self, read: Callable[[], T], ttl: float = 1.0, trust_transactions: bool = False
    ) -> None:
        self._read = read
        self.ttl = ttl
        self.trust_transactions = trust_transactions
        self._lock = threading.Lock()
        self._kept: tuple[T, float] | None = None
        self._generation = 0
        self._changed = threading.local()  # the transaction that changed what is read

    def get(self) -> T:
        if self._read_fresh():
            return self._read()
        kept = self._kept
        if kept is not None and time.monotonic() - kept[1] < self.ttl:
            return kept[0]
        return self.refresh()

    def refresh(self) -> T:
        """Read now, and keep what was read (unless told to forget meanwhile)."""
        if self._read_fresh():
            return self._read()
        now = time.monotonic()
        generation = self._generation
        value = self._read()
        with self._lock:
            if generation == self._generation:  # nothing changed while we were reading
                self._kept = (value, now)
        return value

    def forget(self, **kwargs) -> None:
        """Read afresh next time (now, and again when the surrounding transaction commits);
        a signal receiver's signature."""
        with self._lock:
            self._kept = None
            self._generation += 1
        if kwargs.get("sender") is not None and in_transaction():
            self._changed.block = _outermost_block()
            transaction.on_commit(self.forget)

    def _read_fresh(self) -> bool:
        if not in_transaction():
            return False
        if not self.trust_transactions:
            return True
        block = getattr(self._changed, "block", None)
        return block is not None and block is _outermost_block()

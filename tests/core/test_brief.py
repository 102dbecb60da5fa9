"""core/brief.py: a value read once and reused briefly, never across a change made here."""

import pytest
from django.db import transaction

from naravard.core import brief
from naravard.core.brief import Brief


class Reader:
    """Counts its reads; each answers the next number."""

    def __init__(self):
        self.reads = 0

    def __call__(self):
        self.reads += 1
        return self.reads


@pytest.fixture
def outside_transactions(monkeypatch):
    monkeypatch.setattr(brief, "in_transaction", lambda: False)


def test_a_value_is_reused_for_its_time_and_read_again_after(outside_transactions, monkeypatch):
    now = [100.0]
    monkeypatch.setattr(brief.time, "monotonic", lambda: now[0])
    kept = Brief(Reader(), ttl=1.0)
    assert [kept.get(), kept.get()] == [1, 1]
    now[0] += 0.9
    assert kept.get() == 1
    now[0] += 0.2
    assert kept.get() == 2
    assert kept.refresh() == 3 and kept.get() == 3


def test_forgetting_reads_afresh_at_once(outside_transactions):
    kept = Brief(Reader(), ttl=60)
    assert kept.get() == 1
    kept.forget()
    assert [kept.get(), kept.get()] == [2, 2]


def test_a_read_that_a_change_overtook_is_not_kept(outside_transactions):
    """A value read while another thread forgot it may be older than the change: not kept."""
    holder = {}

    def read():
        holder["reads"] = holder.get("reads", 0) + 1
        if holder["reads"] == 1:
            holder["brief"].forget()  # a release committed while the first read ran
        return holder["reads"]

    kept = holder["brief"] = Brief(read, ttl=60)
    assert kept.get() == 1
    assert kept.get() == 2  # read again, not the value the change overtook


@pytest.mark.django_db
def test_in_a_transaction_a_plain_brief_always_reads_and_keeps_nothing():
    reader = Reader()
    kept = Brief(reader, ttl=60)
    assert [kept.get(), kept.get()] == [1, 2]
    assert kept._kept is None


@pytest.mark.django_db
def test_a_trusting_brief_is_shared_until_the_transaction_changes_what_it_reads():
    """Requests run in transactions: they share the kept value, except the one transaction
    that changed what is read (a signal's forget), which reads its own uncommitted state."""
    kept = Brief(Reader(), ttl=60, trust_transactions=True)
    assert [kept.get(), kept.get()] == [1, 1]
    with transaction.atomic():  # a savepoint: the same transaction
        kept.forget(sender=object())
        assert [kept.get(), kept.get()] == [2, 3]
    assert kept.get() == 4  # still the transaction that changed it


@pytest.mark.django_db(transaction=True)
def test_after_the_changing_transaction_commits_every_transaction_shares_again():
    kept = Brief(Reader(), ttl=60, trust_transactions=True)
    with transaction.atomic():
        kept.forget(sender=object())
        assert [kept.get(), kept.get()] == [1, 2]  # its own, uncommitted state
    with transaction.atomic():  # another transaction, after the commit forgot the value
        assert [kept.get(), kept.get()] == [3, 3]
    assert kept.get() == 3

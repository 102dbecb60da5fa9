"""How Spark is set up for a run: the partitions after a shuffle, few on one machine and as
many as a cluster's cores want when NARAVARD_SPARK_SHUFFLE_PARTITIONS says so."""

import pytest

from naravard.core.errors import Invalid
from naravard.engine.backends import SHUFFLE_PARTITIONS_ENV, shuffle_partitions


def test_one_machine_gets_few_partitions_and_a_cluster_what_it_is_given(monkeypatch):
    monkeypatch.delenv(SHUFFLE_PARTITIONS_ENV, raising=False)
    assert shuffle_partitions() == 8
    monkeypatch.setenv(SHUFFLE_PARTITIONS_ENV, " 96 ")
    assert shuffle_partitions() == 96


@pytest.mark.parametrize("text", ["många", "0", "-4", "2.5", "٣"])
def test_anything_but_a_whole_number_above_zero_is_refused_by_name(monkeypatch, text):
    monkeypatch.setenv(SHUFFLE_PARTITIONS_ENV, text)
    with pytest.raises(Invalid, match=SHUFFLE_PARTITIONS_ENV):
        shuffle_partitions()

"""The register engine on a real Spark cluster: a standalone master and two workers started
from PySpark's own scripts, on loopback only (engine/local_cluster.py)."""

import pytest

from naravard.engine.backends import spark_session, stop_spark
from naravard.engine.compute import run
from naravard.engine.indicators import DEFINITIONS
from naravard.engine.local_cluster import LOOPBACK, local_cluster
from tests.engine.conftest import assert_same_cells

pytestmark = pytest.mark.cluster


def test_every_register_indicator_on_a_standalone_cluster_equals_duckdb(
    register, tmp_path, monkeypatch
):
    root, _ = register
    years = [2020, 2021]
    duck = run(root, years, "duckdb", validate=False).cells
    monkeypatch.setenv("SPARK_LOCAL_IP", LOOPBACK)  # the driver too, on loopback only
    stop_spark()  # a session in this process (local[2]) from another test
    try:
        with local_cluster(tmp_path / "cluster", workers=2) as cluster:
            assert cluster.alive_workers() == 2
            workers = cluster.state()["workers"]
            assert {w["host"] for w in workers} == {LOOPBACK}  # bound to loopback, no other
            assert cluster.master.startswith(f"spark://{LOOPBACK}:")
            on_cluster = run(root, years, "spark", validate=False, spark_master=cluster.master)
            context = spark_session(cluster.master).sparkContext
            assert context.master == cluster.master
            executors = context._jsc.sc().getExecutorMemoryStatus().size() - 1  # not the driver
            assert executors == 2
    finally:
        stop_spark()
    assert {c.indicator_id for c in on_cluster.cells} == {d.indicator_id for d in DEFINITIONS}
    assert_same_cells(duck, on_cluster.cells, "spark on a standalone cluster")


def test_a_cluster_that_cannot_start_says_why_and_leaves_nothing_running(tmp_path):
    from naravard.engine.local_cluster import ClusterError

    with pytest.raises(ClusterError, match=r"workers did not start(.|\n)*worker-1\.log") as failed:
        with local_cluster(tmp_path / "cluster", workers=1, memory="no memory"):
            pass
    assert "master.log" in str(failed.value)

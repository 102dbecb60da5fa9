"""Connect Ibis to the microdata on DuckDB, Polars or Spark, and run an expression there.

DuckDB and Polars (streaming) run on one machine; each indicator names the one that
runs it faster (``Definition.local``, measured by ``bench/engine_bench.py``). Spark is for
registers one machine cannot hold: in this process (``local[2]``) or on a cluster, any
master URL Spark accepts (``--spark-master`` or ``NARAVARD_SPARK_MASTER``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import ibis

from naravard.core.errors import Invalid
from naravard.engine.schemas import TABLES

BACKENDS = ("auto", "duckdb", "polars", "spark")


def _parquet(root: Path, name: str) -> str:
    return str(root / name / "year=*" / "*.parquet")


def duckdb_tables(root: Path, threads: int | None = None) -> tuple[object, dict[str, ibis.Table]]:
    con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
    tables = {
        name: con.read_parquet(_parquet(root, name), table_name=name, hive_partitioning=False)
        for name in TABLES
    }
    return con, tables


def polars_tables(root: Path) -> tuple[object, dict[str, ibis.Table]]:
    """Lazy Parquet scans: nothing is read until an expression runs."""
    con = ibis.polars.connect()
    tables = {
        name: con.read_parquet(_parquet(root, name), table_name=name, hive_partitioning=False)
        for name in TABLES
    }
    return con, tables


LOCAL_SPARK = "local[2]"  # Spark inside this process on two cores
SPARK_MASTER_ENV = "NARAVARD_SPARK_MASTER"  # a cluster's master URL, when none is given
DRIVER_MEMORY = "4g"  # the driver holds the aggregated cells only, never the register
# Partitions after a shuffle (a join or a grouping): few for one machine, where each costs a
# task's overhead; on a cluster about three per executor core (README, "Scaling, measured").
SHUFFLE_PARTITIONS_ENV = "NARAVARD_SPARK_SHUFFLE_PARTITIONS"
SHUFFLE_PARTITIONS = 8

_spark_session = None


def spark_master(master: str | None = None) -> str:
    """The master a Spark run uses: the one given, else :data:`SPARK_MASTER_ENV`'s, else
    Spark in this process (:data:`LOCAL_SPARK`)."""
    return master or os.environ.get(SPARK_MASTER_ENV) or LOCAL_SPARK


def shuffle_partitions() -> int:
    """The partitions after a shuffle: :data:`SHUFFLE_PARTITIONS_ENV`'s, else
    :data:`SHUFFLE_PARTITIONS`."""
    text = os.environ.get(SHUFFLE_PARTITIONS_ENV, "").strip()
    if not text:
        return SHUFFLE_PARTITIONS
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise Invalid(
            f"{SHUFFLE_PARTITIONS_ENV} must be a whole number of at least 1, not {text!r}"
        )
    return int(text)


def spark_session(master: str | None = None):
    """One Spark session per process (starting one takes seconds), on ``master``
    (:func:`spark_master`): a session on another master is stopped first. Its driver binds
    to ``SPARK_LOCAL_IP`` when that is set, so a cluster on loopback is reached on loopback
    only."""
    global _spark_session
    master = spark_master(master)
    if _spark_session is not None and _spark_session.sparkContext.master != master:
        stop_spark()
    if _spark_session is None:
        from pyspark.sql import SparkSession

        warehouse = tempfile.mkdtemp(prefix="naravard-spark-")
        builder = (
            SparkSession.builder.master(master)
            .appName("naravard")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", str(shuffle_partitions()))
            .config("spark.sql.warehouse.dir", warehouse)
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", DRIVER_MEMORY)
        )
        local_ip = os.environ.get("SPARK_LOCAL_IP")
        if local_ip:
            builder = builder.config("spark.driver.host", local_ip).config(
                "spark.driver.bindAddress", local_ip
            )
        _spark_session = builder.getOrCreate()
        _spark_session.sparkContext.setLogLevel("ERROR")
    return _spark_session


def stop_spark() -> None:
    """Stop this process's Spark session, if there is one (a cluster's executors with it)."""
    global _spark_session
    if _spark_session is not None:
        _spark_session.stop()
        _spark_session = None


def spark_tables(root: Path, master: str | None = None) -> tuple[object, dict[str, ibis.Table]]:
    """The register's tables on Spark. On a cluster ``root`` must be a path every worker can
    read at the same place (shared storage); only each indicator's aggregated cells come
    back to this process."""
    spark = spark_session(master)
    con = ibis.pyspark.connect(spark)
    tables = {}
    for name in TABLES:
        frame = spark.read.option("recursiveFileLookup", "true").parquet(str(root / name))
        frame.createOrReplaceTempView(f"naravard_{name}")
        tables[name] = con.table(f"naravard_{name}")
    return con, tables


def connect(
    backend: str, root: Path, spark_master: str | None = None
) -> tuple[object, dict[str, ibis.Table]]:
    """One named backend (not 'auto') over the register at ``root``; Spark on
    ``spark_master`` (:func:`spark_master`)."""
    if backend == "spark":
        return spark_tables(root, spark_master)
    opener = {"duckdb": duckdb_tables, "polars": polars_tables}.get(backend)
    if opener is None:
        raise ValueError(f"unknown backend {backend!r}: duckdb, polars or spark")
    return opener(root)


def execute(expr: ibis.Table, backend: str):
    """The expression's result as a pandas frame. Polars runs its streaming engine, which is
    both faster and leaner than its in-memory one on these queries."""
    if backend == "polars":
        return expr.execute(engine="streaming")
    return expr.execute()


class Session:
    """The backends a run needs, opened on first use, and which one runs each indicator."""

    def __init__(self, root: Path, backend: str = "auto", spark_master: str | None = None):
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}: {', '.join(BACKENDS)}")
        self.root, self.backend, self.spark_master = root, backend, spark_master
        self._tables: dict[str, dict[str, ibis.Table]] = {}

    def backend_for(self, definition) -> str:
        return definition.local if self.backend == "auto" else self.backend

    def tables(self, backend: str) -> dict[str, ibis.Table]:
        if backend not in self._tables:
            self._tables[backend] = connect(backend, self.root, self.spark_master)[1]
        return self._tables[backend]

    def run(self, definition, years: Sequence[int]) -> list[dict]:
        """One indicator's rows for ``years`` (each with its ``year``), on its backend: from
        one query, or one per year where its definition says that is faster."""
        backend = self.backend_for(definition)
        tables = self.tables(backend)
        parts = [years] if definition.years_at_once else [[year] for year in years]
        return [
            row
            for part in parts
            for row in execute(definition.build(tables, part), backend).to_dict("records")
        ]

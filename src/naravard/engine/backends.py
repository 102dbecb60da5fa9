"""Connect Ibis to the microdata on DuckDB, Polars or Spark, and run an expression there.

DuckDB and Polars (streaming) run on one machine; each indicator names the one that
runs it faster (``Definition.local``, measured by ``bench/engine_bench.py``). Spark
(local mode or a cluster) is for registers one machine cannot hold.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import ibis

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


_spark_session = None


def spark_session(master: str = "local[2]"):
    """One Spark session per process (starting one takes seconds)."""
    global _spark_session
    if _spark_session is None:
        from pyspark.sql import SparkSession

        warehouse = tempfile.mkdtemp(prefix="naravard-spark-")
        _spark_session = (
            SparkSession.builder.master(master)
            .appName("naravard")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.warehouse.dir", warehouse)
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        _spark_session.sparkContext.setLogLevel("ERROR")
    return _spark_session


def spark_tables(root: Path, master: str = "local[2]") -> tuple[object, dict[str, ibis.Table]]:
    spark = spark_session(master)
    con = ibis.pyspark.connect(spark)
    tables = {}
    for name in TABLES:
        frame = spark.read.option("recursiveFileLookup", "true").parquet(str(root / name))
        frame.createOrReplaceTempView(f"naravard_{name}")
        tables[name] = con.table(f"naravard_{name}")
    return con, tables


def connect(backend: str, root: Path) -> tuple[object, dict[str, ibis.Table]]:
    """One named backend (not 'auto') over the register at ``root``."""
    opener = {"duckdb": duckdb_tables, "polars": polars_tables, "spark": spark_tables}.get(backend)
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

    def __init__(self, root: Path, backend: str = "auto"):
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}: {', '.join(BACKENDS)}")
        self.root, self.backend = root, backend
        self._tables: dict[str, dict[str, ibis.Table]] = {}

    def backend_for(self, definition) -> str:
        return definition.local if self.backend == "auto" else self.backend

    def tables(self, backend: str) -> dict[str, ibis.Table]:
        if backend not in self._tables:
            self._tables[backend] = connect(backend, self.root)[1]
        return self._tables[backend]

    def run(self, definition, year: int):
        """One indicator for one year, on its backend, as a pandas frame."""
        backend = self.backend_for(definition)
        return execute(definition.build(self.tables(backend), year), backend)

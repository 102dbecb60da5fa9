"""Connect Ibis to the microdata on DuckDB (default) or Spark (local mode or a cluster)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import ibis

from naravard.engine.schemas import TABLES


def duckdb_tables(root: Path, threads: int | None = None) -> tuple[object, dict[str, ibis.Table]]:
    con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
    tables = {name: con.read_parquet(str(root / name / "year=*" / "*.parquet"), table_name=name,
                                     hive_partitioning=False) for name in TABLES}
    return con, tables


_spark_session = None


def spark_session(master: str = "local[2]"):
    """One Spark session per process (starting one takes seconds)."""
    global _spark_session
    if _spark_session is None:
        from pyspark.sql import SparkSession

        warehouse = tempfile.mkdtemp(prefix="naravard-spark-")
        _spark_session = (SparkSession.builder.master(master).appName("naravard")
                          .config("spark.ui.enabled", "false")
                          .config("spark.sql.shuffle.partitions", "8")
                          .config("spark.sql.warehouse.dir", warehouse)
                          .config("spark.sql.session.timeZone", "UTC")
                          .config("spark.driver.memory", "4g")
                          .getOrCreate())
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
    if backend == "duckdb":
        return duckdb_tables(root)
    if backend == "spark":
        return spark_tables(root)
    raise ValueError(f"unknown backend {backend!r}: duckdb or spark")

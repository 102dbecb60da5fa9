"""The register engine: indicators computed from microdata with Ibis, on DuckDB or Spark."""

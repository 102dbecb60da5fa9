"""The outside sources naravard reads by itself: Kolada, PxWeb tables (Statistics Sweden and
other agencies), CSV/XLSX and JSON-stat files published at a URL; their registry, fetching with
provenance, and the sync into the indicator store and the population."""

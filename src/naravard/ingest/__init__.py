"""Indicator values: the store with its history and provenance, importers and their validation."""

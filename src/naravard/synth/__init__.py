"""A synthetic national register for demos, tests and benchmarks (deterministic for a seed)."""

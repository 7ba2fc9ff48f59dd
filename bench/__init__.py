"""Benchmarks and the synthetic data set they run on (scripts, not tests)."""

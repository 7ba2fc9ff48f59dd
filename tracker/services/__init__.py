"""Writes: each service changes records, writes their history, flushes and never commits."""

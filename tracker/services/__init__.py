"""Writes: each service changes records, writes their history, flushes and never commits."""

from tracker.services import search_index as search_index  # keeps the search index current

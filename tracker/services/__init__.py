"""Writes: each service changes records, writes their history, flushes and never commits."""

from tracker.services import search_index as search_index  # keeps the search index current
from tracker.services import stored_values as _stored_values

_stored_values.install()

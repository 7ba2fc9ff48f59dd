"""Benchmark of the place picker: ranked lookups over OCHA's gazetteer of Syrian communities,
against a plain substring search of the same table as the reference measured in the same run.

Needs the shared research data beside the project (as the tests find it); prints the figures
and the command that reproduces them.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from tests.functional.test_name_variants import COMMUNITIES, _load_gazetteer, variants
from tracker import migrate
from tracker.db import engine_for, session_factory
from tracker.models import Place
from tracker.queries.lookup import ranked
from tracker.rules.names import query_keys

COMMAND = "python -m bench.bench_lookup"


def main() -> int:
    if not COMMUNITIES.exists():
        print(f"the OCHA gazetteer is not at {COMMUNITIES}: nothing to measure")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'lookup.db'}"
        migrate.upgrade(url)
        _load_gazetteer(url)
        typed = [name for name, _pcode in variants()]
        with session_factory(url)() as session:
            started = time.perf_counter()
            ranked(session, Place, "warm up")
            first = time.perf_counter() - started
            timings, reference = [], []
            for text in typed:
                started = time.perf_counter()
                ranked(session, Place, text, limit=15)
                timings.append(time.perf_counter() - started)
                started = time.perf_counter()
                key = query_keys(text)[0]
                statement = select(Place).where(Place.search_key.contains(key, autoescape=True))
                list(session.scalars(statement.limit(15)))
                reference.append(time.perf_counter() - started)
            places = session.query(Place).count()
        engine_for(url).dispose()
    ranked_ms, reference_ms = statistics.median(timings) * 1000, statistics.median(reference) * 1000
    print(f"places: {places}; lookups: {len(typed)} real ACLED spellings")
    print(f"first lookup (builds the name keys once per process): {first * 1000:.0f} ms")
    print(f"ranked lookup: median {ranked_ms:.1f} ms, max {max(timings) * 1000:.1f} ms")
    print(f"reference (substring LIKE, no ranking): median {reference_ms:.1f} ms")
    print(f"ratio ranked / reference: {ranked_ms / reference_ms:.1f}x")
    print(f"reproduce: {COMMAND}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

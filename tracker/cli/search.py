"""The ``search`` commands: rebuild the full-text index."""

from __future__ import annotations

import time

import click

from tracker.cli.context import Context, pass_context


@click.group("search")
def search_group() -> None:
    """The full-text search index of incidents and sources."""


@search_group.command("rebuild")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@pass_context
def search_rebuild(ctx: Context, quiet: bool) -> None:
    """Index every incident and source again, in one transaction, with progress. Writes keep
    the index current by themselves; run this after loading a dump with psql or sqlite3, or
    after changing data with raw SQL."""
    from tracker.services.search_index import rebuild

    started = time.perf_counter()
    shown = [0.0]

    def progress(table: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if quiet or (now - shown[0] < 0.5 and done < total):
            return
        shown[0] = now
        click.echo(f"  {table}: {done:,}/{total:,}", err=True)

    with ctx.transaction() as session:
        count = rebuild(session.connection(), progress=progress)
    click.echo(f"{count:,} records indexed in {time.perf_counter() - started:.1f} s")

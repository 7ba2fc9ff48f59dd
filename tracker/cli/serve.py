"""The ``serve`` command: the development server."""

from __future__ import annotations

import click

from tracker.cli.context import Context, pass_context


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@pass_context
def serve(ctx: Context, host: str, port: int) -> None:
    """Run the development server (use gunicorn in production: see the README)."""
    ctx.app().run(host=host, port=port, debug=False)

"""The ``demo`` commands: the demo data set and its accounts."""

from __future__ import annotations

import secrets

import click

from tracker.cli.context import Context, pass_context


@click.group("demo")
def demo_group() -> None:
    """The demo data set (Idlib, 2017-2019)."""


@demo_group.command("load")
@click.option(
    "--with-users",
    is_flag=True,
    help="Also create the demo accounts viewer, analyst, reviewer and admin (one of each role).",
)
@click.option(
    "--demo-password",
    help="Password of the demo accounts (default: a random one, printed once).",
)
@pass_context
def demo_load(ctx: Context, with_users: bool, demo_password: str | None) -> None:
    """Load the demo data set; records already present are kept, so running it twice adds
    nothing. With --with-users, the demo accounts are created too (existing ones are kept)."""
    from tracker.demo.load import load_demo
    from tracker.services.users import ensure_demo_users

    password = demo_password or secrets.token_urlsafe(12)
    with ctx.transaction() as session:
        created = ensure_demo_users(session, password) if with_users else {}
        counts = load_demo(
            session,
            ctx.tz,
            user=created.get("analyst"),
            progress=lambda name, n: click.echo(f"  {name}: {n} added", err=True),
        )
    total = sum(counts.values())
    click.echo(f"demo data set loaded: {total} records added")
    if created:
        click.echo(f"demo accounts created: {', '.join(sorted(created))}")
        if not demo_password:
            click.echo(f"their password (shown once): {password}")
    elif with_users:
        click.echo("demo accounts already exist: kept as they are")

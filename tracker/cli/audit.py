"""The ``audit`` commands: verify the hash-chained audit log."""

from __future__ import annotations

import click

from tracker.cli.context import Context, pass_context


@click.group("audit")
def audit_group() -> None:
    """The audit log: every change, sign-in and export, each event chained to the one before
    by its hash."""


@audit_group.command("verify")
@click.option("--quiet", is_flag=True, help="No progress on standard error.")
@pass_context
def audit_verify(ctx: Context, quiet: bool) -> None:
    """Recompute the hash of every audit event in order, with progress; exit non-zero at the
    first event that was altered, removed from between two others, or chained to the same
    event as another, naming it."""
    from tracker.services.history import verify_audit_chain

    def shown(done: int, total: int) -> None:
        if not quiet:
            click.echo(f"  audit events: {done:,}/{total:,}", err=True)

    with ctx.transaction() as session:
        broken = verify_audit_chain(session, progress=shown)
    if broken is not None:
        raise click.ClickException(f"{broken.describe()}: the chain is broken from there")
    click.echo("audit chain intact")

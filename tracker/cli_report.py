"""The ``report`` command: an agreement's report as HTML, CSV, JSON or GeoJSON."""

from __future__ import annotations

import datetime as dt
import json

import click

from tracker.cli import Context, pass_context
from tracker.models import utcnow
from tracker.queries.report_formats import to_csv, to_geojson, to_json
from tracker.queries.report_types import ReportRequest
from tracker.queries.reports import build_report
from tracker.services.errors import ServiceError
from tracker.services.report_store import ensure_all_built


def _date(_ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param=param) from None


@click.command("report")
@click.argument("slug")
@click.option("--from", "date_from", callback=_date, metavar="DATE", help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", callback=_date, metavar="DATE", help="Last day (YYYY-MM-DD).")
@click.option(
    "--public",
    is_flag=True,
    help="The public version: public statuses only, no confidential source or field.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "csv", "json", "geojson"]),
    default="html",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write."
)
@pass_context
def report_command(
    ctx: Context,
    slug: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
    public: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Write the report of agreement SLUG (standard output unless -o FILE).

    Without --public the report holds every status but retracted; confidential sources are
    withheld either way (they appear only on the web page, to analysts and above)."""
    from tracker.views.reports import render_report_html

    wanted = ReportRequest(slug=slug, date_from=date_from, date_to=date_to, public=public)
    try:
        with ctx.transaction() as session:
            ensure_all_built(session)
            data = build_report(session, wanted, tz=ctx.tz, now=utcnow())
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        text = json.dumps(to_json(data), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "geojson":
        text = json.dumps(to_geojson(data), ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = to_csv(data)
    else:
        app = ctx.app()
        with app.test_request_context(f"/agreements/{slug}/report"):
            text = render_report_html(data, standalone=True)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        click.echo(f"report of {slug} written to {output}", err=True)
    else:
        click.echo(text, nl=False)


#: The ``report`` command, as ``tracker.cli`` registers it.
report: click.Command = report_command

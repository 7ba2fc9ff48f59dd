"""The ``report`` command: an agreement's report as HTML, CSV, JSON or GeoJSON."""

from __future__ import annotations

import datetime as dt
import json

import click
from sqlalchemy.orm import Session

from tracker.cli.context import Context, parse_date, pass_context
from tracker.models import utcnow
from tracker.queries.report_formats import to_csv, to_geojson, to_json
from tracker.queries.report_types import Report, ReportRequest
from tracker.queries.reports import build_report
from tracker.queries.visibility import Audience
from tracker.services.errors import ServiceError
from tracker.services.report_rebuild import ensure_all_built


@click.command("report")
@click.argument("slug")
@click.option(
    "--from", "date_from", callback=parse_date, metavar="DATE", help="First day (YYYY-MM-DD)."
)
@click.option("--to", "date_to", callback=parse_date, metavar="DATE", help="Last day (YYYY-MM-DD).")
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

    Without --public it is the staff version, as an admin reads it on the web: every status
    but retracted, and confidential sources shown and marked as such."""
    wanted = ReportRequest(
        slug=slug,
        date_from=date_from,
        date_to=date_to,
        audience=Audience.PUBLIC if public else Audience.ADMIN,
    )
    try:
        with ctx.transaction() as session:
            ensure_all_built(session)
            data = build_report(session, wanted, tz=ctx.tz, now=utcnow())
            text = _html(ctx, data, session) if fmt == "html" else _data(data, fmt)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        click.echo(f"report of {slug} written to {output}", err=True)
    else:
        click.echo(text, nl=False)


def _data(data: Report, fmt: str) -> str:
    """The report as JSON, GeoJSON or CSV, as the web page's downloads give it."""
    if fmt == "json":
        return json.dumps(to_json(data), ensure_ascii=False, indent=1) + "\n"
    if fmt == "geojson":
        return json.dumps(to_geojson(data), ensure_ascii=False) + "\n"
    return to_csv(data)


def _html(ctx: Context, data: Report, session: Session) -> str:
    """The report as one self-contained HTML file, through the web page's renderer; its links
    are the web application's paths."""
    from tracker.views.report_page import ReportLinks, render_report_html

    app = ctx.app()
    urls = app.url_map.bind("localhost")
    links = ReportLinks(lambda endpoint, **values: urls.build(endpoint, values))
    with app.app_context():
        return render_report_html(data, session, links, standalone=True)

"""Agreement reports (HTML with SVG pictures, CSV, JSON, GeoJSON) and the comparison page.

Who sees what (:mod:`tracker.queries.visibility`): every signed-in user (viewer and above) may
open a report. Analysts and above see the internal report page: every status but retracted,
and confidential sources. Viewers, like the incidents list, see public statuses only and no
confidential source. ``?public=1`` gives anyone the public version. Downloads (CSV, JSON,
GeoJSON) are the public version unless an admin asks for the full one with ``?full=1`` (the
links of an admin's internal report page do).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, NotFound

from tracker.db import get_session
from tracker.i18n import translator
from tracker.labels import report_label
from tracker.models import Agreement, utcnow
from tracker.permissions import requires
from tracker.queries.incidents import filter_errors
from tracker.queries.methodology import rules
from tracker.queries.report_formats import to_csv, to_geojson, to_json
from tracker.queries.report_rates import OPEN_ENDED_WINDOW_DAYS, compare
from tracker.queries.report_types import Report, ReportRequest
from tracker.queries.reports import build_report
from tracker.queries.visibility import Audience, full_export
from tracker.rules.values import parse_day
from tracker.services.errors import InvalidInputError, NotFoundError
from tracker.views.common import audience, local_zone, store_ready
from tracker.views.report_page import ReportLinks, render_report_html

bp = Blueprint("reports", __name__)

FORMATS = ("html", "csv", "json", "geojson")
#: The most agreements one comparison shows side by side.
COMPARE_LIMIT = 12


def _asked(args: Mapping[str, str], name: str) -> bool:
    return args.get(name) in {"1", "true", "on"}


def report_request(
    slug: str, args: Mapping[str, str], *, audience: Audience, download: bool = False
) -> ReportRequest:
    """The report asked for by query arguments ``from``, ``to``, ``public`` and ``stack``, for
    ``audience``; a ``download`` is public unless an admin asks ``full``.

    :raises InvalidInputError: when a date is not YYYY-MM-DD or the period is reversed."""
    errors = filter_errors(args)
    if errors:
        raise InvalidInputError(" ".join(errors.values()), errors)
    full = download and full_export(audience, _asked(args, "full"))
    public = (download and not full) or _asked(args, "public")
    return ReportRequest(
        slug=slug,
        date_from=parse_day(args.get("from")),
        date_to=parse_day(args.get("to")),
        audience=Audience.PUBLIC if public else audience,
        stack=args.get("stack") or "category",
    )


def _download(body: str, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report_download(data: Report, fmt: str, stem: str) -> Response:
    """The report as a ``csv``, ``json`` or ``geojson`` file named ``stem`` and the format."""
    if fmt == "csv":
        return _download(to_csv(data), "text/csv", f"{stem}.csv")
    if fmt == "json":
        return _download(
            json.dumps(to_json(data), ensure_ascii=False),
            "application/json",
            f"{stem}.json",
        )
    return _download(
        json.dumps(to_geojson(data), ensure_ascii=False),
        "application/geo+json",
        f"{stem}.geojson",
    )


def _invalid_report(fmt: str, message: str) -> Response:
    """The answer to a report asked for with a bad date or period, in the asked format."""
    if fmt == "html":
        return Response(render_template("reports/invalid.html", message=message), 400)
    return Response(message + "\n", 400, mimetype="text/plain")


@bp.route("/agreements/<slug>/report")
@requires("viewer")
def report(slug: str) -> Response | str:
    args = request.args
    fmt = args.get("format") or "html"
    if fmt not in FORMATS:
        raise BadRequest(_("Unknown format %(fmt)r: use html, csv, json or geojson.", fmt=fmt))
    try:
        wanted = report_request(slug, args, audience=audience(), download=fmt != "html")
        tz = local_zone()
        store_ready()
        data = build_report(get_session(), wanted, tz=tz, now=utcnow(), all_reasons=fmt != "html")
    except NotFoundError as exc:
        raise NotFound(str(exc)) from exc
    except InvalidInputError as exc:
        return _invalid_report(fmt, str(exc))
    if fmt != "html":
        return _report_download(data, fmt, f"report-{slug}" + ("-public" if data.public else ""))
    kept: Mapping[str, str] = (
        {**args, "full": "1"} if full_export(audience(), not data.public) else args
    )
    links = ReportLinks(url_for, request.script_root)
    return render_report_html(data, get_session(), links, args=kept)


def _chosen(args: MultiDict[str, str], known: set[str]) -> tuple[list[str], list[str]]:
    """The agreements to compare (``agreements``, comma-separated, then each ``agreement``):
    the first :data:`COMPARE_LIMIT` of those in ``known``, and the slugs of unknown ones."""
    asked = [s for s in (args.get("agreements") or "").split(",") if s.strip()]
    asked += [s for s in args.getlist("agreement") if s not in asked]
    unknown = [s for s in asked if s not in known]
    return [s for s in asked if s in known][:COMPARE_LIMIT], unknown


@bp.route("/reports/compare")
@requires("viewer")
def compare_page() -> str:
    session = get_session()
    agreements = list(
        session.execute(
            select(Agreement.slug, Agreement.name_en).order_by(Agreement.effective_from)
        )
    )
    chosen, unknown = _chosen(request.args, {slug for slug, _name in agreements})
    public = _asked(request.args, "public") or audience().public
    tz = local_zone()
    store_ready()
    lines = compare(session, chosen, public=public, now=utcnow(), tz=tz) if chosen else []
    peak = max((w.bound_per_day for line in lines for w in line.windows), default=0.0)
    return render_template(
        "reports/compare.html",
        agreements=agreements,
        chosen=chosen,
        unknown=unknown,
        lines=lines,
        peak=peak or 1.0,
        label=report_label,
        tr=translator(),
        public=public,
        open_ended_days=OPEN_ENDED_WINDOW_DAYS,
        report_url=lambda slug: url_for("reports.report", slug=slug),
    )


@bp.route("/methodology")
@requires("viewer")
def methodology_page() -> str:
    public = _asked(request.args, "public") or audience().public
    zone = str(current_app.config["LOCAL_TIMEZONE"])
    shown = [
        (rule.key, gettext(rule.title), rule.sentence(gettext))
        for rule in rules(public=public, timezone=zone)
    ]
    return render_template("reports/methodology.html", rules=shown, public=public)

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
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.exceptions import BadRequest, NotFound

from tracker.charts import (
    OTHER_VERDICTS_COLOUR,
    VERDICT_COLOURS,
    colour,
    map_svg,
    series_colour,
    timeline_svg,
)
from tracker.db import get_session
from tracker.forms.agreements import AGREEMENT_KIND_LABELS
from tracker.forms.incidents import STANCE_LABELS
from tracker.i18n import current_locale, translator
from tracker.models import Agreement, utcnow
from tracker.permissions import requires
from tracker.queries.display_names import admin_area_names, arabic_names
from tracker.queries.incidents import filter_errors
from tracker.queries.methodology import rules
from tracker.queries.report_formats import to_csv, to_geojson, to_json
from tracker.queries.reports import (
    OPEN_ENDED_WINDOW_DAYS,
    REASON_LIST_LIMIT,
    TABLE_LIMIT,
    Report,
    ReportRequest,
    build_report,
    compare,
    label,
)
from tracker.queries.timeline_ranges import imprecise_ranges
from tracker.queries.visibility import Audience, full_export
from tracker.rules.values import parse_day
from tracker.security import file_content_security_policy
from tracker.services.errors import InvalidInputError, NotFoundError
from tracker.views.common import audience, store_ready

bp = Blueprint("reports", __name__)

FORMATS = ("html", "csv", "json", "geojson")
#: The most agreements one comparison shows side by side.
COMPARE_LIMIT = 12


def incidents_url(args: Mapping[str, str]) -> str:
    """The incidents list filtered by ``args`` (the list page reads the same arguments)."""
    return f"{request.script_root}/incidents/?{urlencode(dict(args))}"


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
    if download:
        public = not full_export(audience, _asked(args, "full"))
    else:
        public = _asked(args, "public") or audience.public
    return ReportRequest(
        slug=slug,
        date_from=parse_day(args.get("from")),
        date_to=parse_day(args.get("to")),
        public=public,
        show_confidential=not public,
        stack=args.get("stack") or "category",
    )


def render_report_html(
    report: Report, *, args: Mapping[str, str] | None = None, standalone: bool = False
) -> str:
    """The report page, with download links that keep ``args`` (``standalone``: one file with
    its stylesheet inlined, for the command line)."""
    tile_url = str(current_app.config.get("MAP_TILE_URL") or "")
    kept = {k: v for k, v in (args or {}).items() if k in {"from", "to", "public", "stack", "full"}}
    session = get_session()
    language = "ar" if current_locale() == "ar" else "en"
    names = arabic_names(session) if language == "ar" else {}
    translate = translator()
    pcodes = [code for shape in report.map.territories for code in shape.admin_pcodes]
    context = {
        "report": report,
        "label": label,
        "tr": translate,
        "colour": colour,
        "series_colour": series_colour,
        "verdict_colours": VERDICT_COLOURS,
        "other_colour": OTHER_VERDICTS_COLOUR,
        "shown_name": lambda name: names.get(name, name) if name else name,
        "kind_labels": {str(k): v for k, v in AGREEMENT_KIND_LABELS.items()},
        "stance_labels": {str(k): v for k, v in STANCE_LABELS.items()},
        "marker_text": marker_text,
        "area_names": admin_area_names(session, pcodes),
        "downloads": {
            fmt: url_for("reports.report", **_values(report.agreement.slug, kept, fmt))
            for fmt in ("csv", "json", "geojson")
        },
        "incidents_url": incidents_url,
        "timeline_svg": timeline_svg(
            report.timeline,
            title=_("Incidents over time"),
            ranges=imprecise_ranges(
                session,
                report.agreement.slug,
                public=report.public,
                date_from=report.date_from,
                date_to=report.date_to,
                tz=ZoneInfo(current_app.config["LOCAL_TIMEZONE"]),
            ),
            language=language,
            translate=lambda text: names.get(text) or _marker_words(text) or translate(text),
        ),
        "map_svg": map_svg(
            report.map,
            title=_("Map of incidents"),
            tile_url=tile_url,
            names=names,
            words={"incidents": _("incidents"), "violations": _("violations")},
        ),
        "table_limit": TABLE_LIMIT,
        "reason_limit": REASON_LIST_LIMIT,
        "open_ended_days": OPEN_ENDED_WINDOW_DAYS,
    }
    if standalone:
        static = Path(current_app.static_folder or "")
        css = "\n".join(
            (static / name).read_text(encoding="utf-8") for name in ("tracker.css", "report.css")
        )
        # The project's own stylesheets, not data: inlined as they are (escaping would turn
        # their quotes into entities, which a <style> element does not decode).
        context["inline_css"] = Markup(css)  # noqa: S704
        context["file_policy"] = file_content_security_policy(css, tile_url)
        return render_template("reports/standalone.html", **context)
    return render_template("reports/report.html", **context)


#: Words of the report's data that no other module marks for translation.
REPORT_WORDS = (_l("In force"),)


def _marker_words(label: str) -> str:
    """A timeline marker's label ("entry into force", "expiry", "A1 deadline") in the page's
    language; "" for any other text."""
    if label == "entry into force":
        return str(_("entry into force"))
    if label == "expiry":
        return str(_("expiry"))
    if label.endswith(" deadline"):
        return str(_("deadline of %(code)s", code=label.removesuffix(" deadline")))
    return ""


def marker_text(marker: Any) -> str:
    """The legend's words for a timeline marker."""
    return _marker_words(marker.label) or str(marker.label)


def _values(slug: str, kept: Mapping[str, str], fmt: str) -> dict[str, Any]:
    return {"slug": slug, **kept, "format": fmt}


def _download(body: str, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/agreements/<slug>/report")
@requires("viewer")
def report(slug: str) -> Response | str:
    args = request.args
    fmt = args.get("format") or "html"
    if fmt not in FORMATS:
        raise BadRequest(_("Unknown format %(fmt)r: use html, csv, json or geojson.", fmt=fmt))
    try:
        wanted = report_request(slug, args, audience=audience(), download=fmt != "html")
        tz = ZoneInfo(current_app.config["LOCAL_TIMEZONE"])
        store_ready()
        data = build_report(get_session(), wanted, tz=tz, now=utcnow())
    except NotFoundError as exc:
        raise NotFound(str(exc)) from exc
    except InvalidInputError as exc:
        if fmt == "html":
            return Response(render_template("reports/invalid.html", message=str(exc)), 400)
        return Response(str(exc) + "\n", 400, mimetype="text/plain")
    stem = f"report-{slug}" + ("-public" if wanted.public else "")
    if fmt == "csv":
        return _download(to_csv(data), "text/csv", f"{stem}.csv")
    if fmt == "json":
        return _download(
            json.dumps(to_json(data), ensure_ascii=False),
            "application/json",
            f"{stem}.json",
        )
    if fmt == "geojson":
        return _download(
            json.dumps(to_geojson(data), ensure_ascii=False),
            "application/geo+json",
            f"{stem}.geojson",
        )
    if full_export(audience(), not data.public):
        return render_report_html(data, args={**args, "full": "1"})
    return render_report_html(data, args=args)


@bp.route("/reports/compare")
@requires("viewer")
def compare_page() -> str:
    session = get_session()
    agreements = list(
        session.execute(
            select(Agreement.slug, Agreement.name_en).order_by(Agreement.effective_from)
        )
    )
    chosen = [s for s in (request.args.get("agreements") or "").split(",") if s.strip()]
    chosen += [s for s in request.args.getlist("agreement") if s not in chosen]
    known = {slug for slug, _name in agreements}
    unknown = [s for s in chosen if s not in known]
    chosen = [s for s in chosen if s in known][:COMPARE_LIMIT]
    public = _asked(request.args, "public") or audience().public
    tz = ZoneInfo(current_app.config["LOCAL_TIMEZONE"])
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
        label=label,
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

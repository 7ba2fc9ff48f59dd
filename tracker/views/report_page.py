"""The HTML of an agreement's report, for the web page and for the ``report`` command alike.

The renderer needs an application context (the templates, the translations, the settings),
never a request: the caller passes the database session and where the report's links lead."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy.orm import Session

from tracker.charts import (
    OTHER_VERDICTS_COLOUR,
    VERDICT_COLOURS,
    colour,
    series_colour,
    timeline_svg,
)
from tracker.forms.agreements import AGREEMENT_KIND_LABELS
from tracker.forms.incidents import STANCE_LABELS
from tracker.i18n import current_locale, translator
from tracker.labels import report_label
from tracker.maps.base import base_map
from tracker.maps.report import map_svg, report_points
from tracker.queries.display_names import admin_area_names, arabic_names
from tracker.queries.report_breakdowns import VERDICTS
from tracker.queries.report_rates import OPEN_ENDED_WINDOW_DAYS
from tracker.queries.report_types import CountRow, Report
from tracker.queries.reports import REASON_LIST_LIMIT, TABLE_LIMIT
from tracker.queries.timeline_ranges import imprecise_ranges
from tracker.security import file_content_security_policy

#: The query arguments a report's download links keep.
KEPT_ARGS = frozenset({"from", "to", "public", "stack", "full"})


@dataclass(frozen=True)
class ReportLinks:
    """Where a report's links lead: ``build(endpoint, **values)`` gives the address of a page
    of the application, ``root`` the path the application is served under."""

    build: Callable[..., str]
    root: str = ""
    #: each argument's name or value as a query writes it, kept while one page is drawn
    #: (its tables link the same few filters hundreds of times)
    _quoted: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def report(self, slug: str, **values: str) -> str:
        """The report page of agreement ``slug``."""
        return self.build("reports.report", slug=slug, **values)

    def incidents(self, args: Mapping[str, str]) -> str:
        """The incidents list filtered by ``args`` (the list page reads the same arguments)."""
        # what urlencode writes of text names and values, each quoted once per page
        query = "&".join(f"{self._quote(str(k))}={self._quote(str(v))}" for k, v in args.items())
        return f"{self.root}/incidents/?{query}"

    def _quote(self, text: str) -> str:
        found = self._quoted.get(text)
        if found is None:
            found = self._quoted[text] = quote_plus(text)
        return found


def render_report_html(
    report: Report,
    session: Session,
    links: ReportLinks,
    *,
    args: Mapping[str, str] | None = None,
    standalone: bool = False,
) -> str:
    """The report page, with download links that keep ``args`` (``standalone``: one file with
    its stylesheet inlined, for the command line)."""
    tile_url = str(current_app.config.get("MAP_TILE_URL") or "")
    language = "ar" if current_locale() == "ar" else "en"
    names = arabic_names(session) if language == "ar" else {}
    translate = translator()
    pcodes = [code for shape in report.map.territories for code in shape.admin_pcodes]

    def shown_name(name: str | None) -> str | None:
        return names.get(name, name) if name else name

    context = {
        **PAGE_HELPERS,
        "report": report,
        "tr": translate,
        "shown_name": shown_name,
        "breakdown_cells": _breakdown_cells(links, shown_name, translate),
        "area_names": admin_area_names(session, pcodes, language),
        "downloads": _downloads(report, links, args or {}),
        "report_url": links.report,
        "incidents_url": links.incidents,
        "timeline_svg": _timeline(report, session, language, names, translate),
        "map_svg": _map(report, session, language, names, tile_url),
    }
    if standalone:
        return _standalone_page(context, tile_url)
    return render_template("reports/report.html", **context)


#: The verdicts of a breakdown's columns, in their order.
VERDICT_COLUMNS = tuple(str(v) for v in VERDICTS)

Cells = tuple[str, str | None, list[tuple[int, str | None]]]


def _breakdown_cells(
    links: ReportLinks,
    shown_name: Callable[[str | None], str | None],
    translate: Callable[[str], str],
) -> Callable[[CountRow], Cells]:
    """What a breakdown's line shows: its label (a record's name in the page's language, or
    the words of a key), the link of its incidents, and each verdict's count with its link
    (none for 0); made in one call per line, as a page draws hundreds of lines."""

    def cells(row: CountRow) -> Cells:
        name = shown_name(row.label) or row.label
        label = name if name != row.label else translate(row.label)
        link = row.link
        counts = [(v, row.verdicts.get(v, 0)) for v in VERDICT_COLUMNS]
        if not link:
            return label, None, [(n, None) for _v, n in counts]
        verdict_links = [
            (n, links.incidents({**link, "verdict": v}) if n else None) for v, n in counts
        ]
        return label, links.incidents(link), verdict_links

    return cells


def _downloads(report: Report, links: ReportLinks, args: Mapping[str, str]) -> dict[str, str]:
    """The report's download links by format, keeping the query arguments of :data:`KEPT_ARGS`."""
    kept = {k: v for k, v in args.items() if k in KEPT_ARGS}
    return {
        fmt: links.report(report.agreement.slug, **kept, format=fmt)
        for fmt in ("csv", "json", "geojson")
    }


def _timeline(
    report: Report,
    session: Session,
    language: str,
    names: dict[str, str],
    translate: Callable[[str], str],
) -> Markup:
    """The report's timeline, with the spans of imprecise dates, its words in ``language``
    (``names``: the Arabic names of records)."""
    return timeline_svg(
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
    )


def _map(
    report: Report, session: Session, language: str, names: dict[str, str], tile_url: str
) -> Markup:
    """The report's map over the base map of its territories."""
    return map_svg(
        report.map,
        title=_("Map of incidents"),
        tile_url=tile_url,
        names=names,
        words={"incidents": _("incidents"), "violations": _("violations")},
        more=lambda n: ngettext("and %(num)d more place", "and %(num)d more places", n),
        base=base_map(
            session,
            report_points(report.map),
            [(t.name, t.admin_pcodes) for t in report.map.territories],
            width=640,
            height=480,
            language=language,
        ),
    )


def _standalone_page(context: dict[str, Any], tile_url: str) -> str:
    """The report page as one file, its stylesheets inlined (for the command line)."""
    static = Path(current_app.static_folder or "")
    css = "\n".join(
        (static / name).read_text(encoding="utf-8") for name in ("tracker.css", "report.css")
    )
    # The project's own stylesheets, not data: inlined as they are (escaping would turn
    # their quotes into entities, which a <style> element does not decode).
    context["inline_css"] = Markup(css)  # noqa: S704
    context["file_policy"] = file_content_security_policy(css, tile_url)
    return render_template("reports/standalone.html", **context)


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


#: What every report page gets whatever the report: the words, colours and limits it shows.
PAGE_HELPERS: dict[str, Any] = {
    "label": report_label,
    "colour": colour,
    "series_colour": series_colour,
    "verdict_colours": VERDICT_COLOURS,
    "other_colour": OTHER_VERDICTS_COLOUR,
    "kind_labels": {str(k): v for k, v in AGREEMENT_KIND_LABELS.items()},
    "stance_labels": {str(k): v for k, v in STANCE_LABELS.items()},
    "marker_text": marker_text,
    "verdict_keys": list(VERDICT_COLUMNS),
    "table_limit": TABLE_LIMIT,
    "reason_limit": REASON_LIST_LIMIT,
    "open_ended_days": OPEN_ENDED_WINDOW_DAYS,
}

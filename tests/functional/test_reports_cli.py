"""``manage.py report``: the same figures as the web report, in every format, to a file or out."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from click.testing import Result

from tests.demo_data import demo_into
from tracker.db import session_factory

Run = Callable[..., Result]
TZ = ZoneInfo("Asia/Damascus")
CONFIDENTIAL_AUTHOR = "Witness K-17"
CONFIDENTIAL_TITLE = "Interview with a resident of Kafr Nabudah"


def _demo(database_url: str) -> None:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)


def _report(run_cli: Run, *args: str) -> dict[str, Any]:
    result = run_cli("report", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_report_command_gives_the_same_figures_in_json_and_csv(
    run_cli: Run, database_url: str
) -> None:
    _demo(database_url)
    report = _report(run_cli, "sochi-2018", "--format", "json")
    assert report["agreement"]["slug"] == "sochi-2018"
    assert report["total"] == sum(r["incidents"] for r in report["verdicts"]) > 0
    result = run_cli("report", "sochi-2018", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.output)))
    verdicts = {r[1]: int(r[4]) for r in rows if r[0] == "verdict"}
    assert verdicts == {r["key"]: r["incidents"] for r in report["verdicts"]}


def test_report_command_writes_html_with_inline_svg_to_a_file(
    run_cli: Run, database_url: str, tmp_path: Path
) -> None:
    _demo(database_url)
    target = tmp_path / "sochi.html"
    result = run_cli("report", "sochi-2018", "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    report = _report(run_cli, "sochi-2018", "--format", "json")
    assert html.count('class="bar"') == len(report["timeline"]["bars"])
    circles = r'class="incident-(?:cluster|group)"[^>]*data-count="(\d+)"'
    clustered = sum(int(n) for n in re.findall(circles, html))
    assert html.count('class="incident-point"') + clustered == report["map"]["mapped"]
    assert "@media print" in html  # the print stylesheet travels with the file
    # the staff version, as an admin reads the page: the confidential source is listed (its
    # author never is); the public version leaves it out
    assert CONFIDENTIAL_TITLE in html
    assert CONFIDENTIAL_AUTHOR not in html
    public = run_cli("report", "sochi-2018", "--public", "--format", "html").output
    assert "@media print" in public
    assert CONFIDENTIAL_TITLE not in public
    # the web page's renderer, with the application's paths and without the page's own form
    assert 'href="/agreements/astana-2017/report"' in html
    assert 'href="/agreements/truce-2019-05-17/report"' in html
    assert 'href="/incidents/?' in html
    assert 'class="report-period' not in html


def test_public_period_report_from_the_command_line(run_cli: Run, database_url: str) -> None:
    _demo(database_url)
    whole = _report(run_cli, "sochi-2018", "--format", "json")
    public = _report(
        run_cli,
        "sochi-2018",
        "--public",
        "--from",
        "2019-05-01",
        "--to",
        "2019-07-31",
        "--format",
        "json",
    )
    assert public["public"] is True
    assert public["date_from"] == "2019-05-01"
    assert 0 < public["total"] < whole["total"]
    statuses = {row["key"] for row in public["breakdowns"]["status"]}
    assert statuses <= {"submitted", "verified", "disputed", "rejected"}
    geo = json.loads(run_cli("report", "sochi-2018", "--public", "--format", "geojson").output)
    assert geo["type"] == "FeatureCollection"
    assert CONFIDENTIAL_AUTHOR not in json.dumps(public) + json.dumps(geo)
    assert CONFIDENTIAL_TITLE not in json.dumps(public) + json.dumps(geo)


def test_report_command_refuses_bad_input_with_a_message(run_cli: Run, database_url: str) -> None:
    _demo(database_url)
    bad_date = run_cli("report", "sochi-2018", "--from", "2019-02-30")
    assert bad_date.exit_code != 0
    assert "is not a date" in bad_date.output
    unknown = run_cli("report", "no-such-agreement", "--format", "json")
    assert unknown.exit_code != 0
    assert "there is no agreement 'no-such-agreement'" in unknown.output

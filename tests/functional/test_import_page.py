"""The Import page: analysts upload, preview with proposed matches, import, and download the
rejected rows; viewers are refused; an oversized file gets a message, not an error page."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bench.acled_rows import write_acled_file
from tests.conftest import csrf_token
from tracker.db import session_factory
from tracker.models import ImportRun, Incident


def _upload(client: FlaskClient, data: bytes, name: str = "events.csv", **fields: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/imports/").get_data(as_text=True))
    form = {"csrf_token": token, "kind": "acled", "status": "submitted", **fields}
    form["file"] = (io.BytesIO(data), name)  # type: ignore[assignment]
    return client.post("/imports/", data=form, content_type="multipart/form-data")


def _incidents(url: str) -> int:
    with session_factory(url)() as session:
        return int(session.scalar(select(func.count()).select_from(Incident)) or 0)


def test_analyst_previews_then_imports_a_file(
    app: Flask,
    client: FlaskClient,
    login_as,
    database_url: str,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    app.config["IMPORT_DIR"] = str(tmp_path / "uploads")
    login_as("analyst")
    path = tmp_path / "a.csv"
    write_acled_file(path, 30)
    response = _upload(client, path.read_bytes())
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "SYN0000000" in page
    assert "[created]" in page
    assert _incidents(database_url) == 0  # the preview wrote nothing
    action = re.search(r'action="([^"]+/import)"', page)
    assert action
    done = client.post(action.group(1), data={"csrf_token": csrf_token(page)})
    assert done.status_code == 200
    assert "30 imported" in done.get_data(as_text=True)
    assert _incidents(database_url) == 30
    with session_factory(database_url)() as session:
        assert session.scalars(select(ImportRun.run_by)).one().endswith("(web)")


def test_rejected_rows_are_shown_and_downloadable_and_nothing_is_imported(
    app: Flask,
    client: FlaskClient,
    login_as,
    database_url: str,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    app.config["IMPORT_DIR"] = str(tmp_path / "uploads")
    login_as("analyst")
    path = tmp_path / "a.csv"
    write_acled_file(path, 5)
    text = path.read_text(encoding="utf-8").replace(",2019-", ",=2019-", 1)
    response = _upload(client, text.encode())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 rejected" in page
    assert "not a real calendar day" in page
    assert '/import"' not in page
    link = re.search(r'href="([^"]+/rejected\.csv)"', page)
    assert link
    download = client.get(link.group(1))
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0]["row"] == "1"
    assert rows[0]["value"].startswith("'=")
    assert _incidents(database_url) == 0


def test_an_oversized_file_gets_a_message(
    app: Flask,
    client: FlaskClient,
    login_as,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    app.config["IMPORT_DIR"] = str(tmp_path / "uploads")
    app.config["IMPORT_MAX_MB"] = 1
    login_as("analyst")
    response = _upload(client, b"x" * (2 * 1024 * 1024))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "larger than 1 MB" in page
    assert not any((tmp_path / "uploads").rglob("upload.csv"))


def test_a_file_that_is_not_csv_gets_a_message(
    app: Flask,
    client: FlaskClient,
    login_as,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    app.config["IMPORT_DIR"] = str(tmp_path / "uploads")
    login_as("analyst")
    response = _upload(client, b"\x89PNG\r\n\x1a\n\x00\x00binary", name="x.png")
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "cannot be imported" in page


def test_viewers_cannot_import(app: Flask, client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("viewer")
    assert client.get("/imports/").status_code == 403


def test_preview_names_the_agreements_an_event_may_fall_under_and_a_match_can_be_fixed(
    app: Flask,
    client: FlaskClient,
    login_as,
    database_url: str,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from tests.conftest import TZ
    from tracker.demo.load import load_demo
    from tracker.models import Agreement, Place

    with session_factory(database_url)() as session, session.begin():
        load_demo(session, TZ, user=None)
    app.config["IMPORT_DIR"] = str(tmp_path / "uploads")
    login_as("analyst")
    path = tmp_path / "a.csv"
    write_acled_file(path, 1)
    table = list(csv.reader(path.open(encoding="utf-8", newline="")))
    col = table[0].index
    # a shelling of Kafr Nabudah (north Hama) by government forces the day after Sochi
    table[1][col("event_date")] = "2018-09-20"
    table[1][col("time_precision")] = "1"
    table[1][col("actor1")] = "Syrian Arab Army"
    table[1][col("location")] = "Kafr Naboudeh village"
    table[1][col("admin1")] = "Hama"
    table[1][col("latitude")], table[1][col("longitude")] = "35.4736", "36.4936"
    table[1][col("geo_precision")] = "1"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    response = _upload(client, buffer.getvalue().encode())
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    with session_factory(database_url)() as session:
        sochi = session.scalars(select(Agreement.name_en).where(Agreement.pax_id == 2169)).one()
        kafr_nabudah = session.scalars(select(Place).where(Place.slug == "kafr-nabudah")).one()
    assert sochi in page, page[page.find('class="preview"') :][:1500]
    label = "Kafr Naboudeh village, Hama, Syria"
    assert f"{label} <small>[created" in page
    fixed = client.post(
        preview_url + "/match",
        data={
            "csrf_token": csrf_token(page),
            "kind": "places",
            "name": label,
            "slug": "kafr-nabudah",
        },
    )
    assert fixed.status_code == 302
    page = client.get(preview_url).get_data(as_text=True)
    assert "[chosen by the analyst" in page
    unknown = client.post(
        preview_url + "/match",
        data={"csrf_token": csrf_token(page), "kind": "places", "name": label, "slug": "nowhere"},
        follow_redirects=True,
    )
    assert "no record with the short name nowhere" in unknown.get_data(as_text=True)
    client.post(preview_url + "/import", data={"csrf_token": csrf_token(page)})
    with session_factory(database_url)() as session:
        place_ids = session.scalars(
            select(Incident.place_id).where(Incident.ref == table[1][col("event_id_cnty")])
        ).all()
    assert place_ids == [kafr_nabudah.id]


def test_import_page_in_arabic(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("analyst")
    token = csrf_token(client.get("/imports/").get_data(as_text=True))
    client.post("/language", data={"locale": "ar", "next": "/imports/", "csrf_token": token})
    html = client.get("/imports/").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert "استيراد الأحداث" in html

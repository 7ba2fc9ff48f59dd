"""Imports of outside data through the commands: ACLED and GED events, the OCHA gazetteer and
boundaries, PA-X agreements; on the real files where they are at hand, and on hostile ones."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import SHARED, TempPostgres, empty_all_tables, require_postgres
from tests.demo_data import demo_into
from tracker import migrate
from tracker.cli import cli
from tracker.db import engine_for, session_factory
from tracker.models import (
    Actor,
    AdminArea,
    Agreement,
    AgreementSource,
    ExternalRecord,
    ImportRun,
    Incident,
    IncidentSource,
    Place,
    Revision,
    Source,
)
from tracker.rules.geo import contains

DATA = SHARED / "research-data"
ACLED_SYRIA = DATA / "acled" / "acled_syria_2022H1_acledR_307.csv"
ACLED_WORLD = DATA / "acled" / "acled_multicountry_2022H1_acledR_9000.csv"
GAZETTEER = DATA / "gazetteer" / "ocha_syr_locations_communities.csv"
BOUNDARIES = [
    DATA / "boundaries" / f"syr_admbnda_adm{n}_uncs_unocha_20201217.geojson" for n in range(4)
]
PAX = DATA / "agreements" / "pax_all_agreements_data.csv"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"no research data at {DATA}")

Run = Callable[..., Result]


def count(url: str, model: Any) -> int:
    with session_factory(url)() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def counts_line(result: Result) -> str:
    return next(line for line in result.output.splitlines() if "rows read" in line)


# --- ACLED on the real files --------------------------------------------------------------


@needs_data
def test_acled_syria_rows_all_import_and_a_second_import_adds_nothing(
    run_cli: Run, database_url: str
) -> None:
    expected_ids = {row["event_id_cnty"] for row in file_rows(ACLED_SYRIA)}
    first = run_cli("import", "acled", str(ACLED_SYRIA), "--quiet")
    assert first.exit_code == 0, first.output
    assert f"{len(expected_ids)} rows read: {len(expected_ids)} imported" in counts_line(first)
    with session_factory(database_url)() as session:
        ids = set(session.scalars(select(ExternalRecord.external_id)))
        assert ids == expected_ids  # 0 silent drops
        assert session.scalar(select(func.count()).select_from(Incident)) == len(expected_ids)
        run = session.scalars(select(ImportRun)).one()
        assert (run.rows_read, run.imported, run.rejected) == (len(expected_ids),) * 2 + (0,)
        assert len(run.file_sha256) == 64
        # every source name of a row is a publisher source linked to its incident
        row = next(r for r in file_rows(ACLED_SYRIA) if ";" in r["source"])
        incident_id = session.scalar(
            select(ExternalRecord.incident_id).where(
                ExternalRecord.external_id == row["event_id_cnty"]
            )
        )
        publishers = set(
            session.scalars(
                select(Source.publisher)
                .join(IncidentSource, IncidentSource.source_id == Source.id)
                .where(IncidentSource.incident_id == incident_id)
            )
        )
        assert publishers == {s.strip() for s in row["source"].split(";")}
        history = session.scalars(
            select(Revision).where(
                Revision.entity_type == "incidents", Revision.entity_id == incident_id
            )
        ).one()
        assert row["event_id_cnty"] in history.changes["imported_from"][1]
    incidents_before = count(database_url, Incident)
    second = run_cli("import", "acled", str(ACLED_SYRIA), "--quiet")
    assert second.exit_code == 0, second.output
    assert f"0 imported, 0 updated, {len(expected_ids)} unchanged, 0 rejected" in counts_line(
        second
    )
    assert count(database_url, Incident) == incidents_before


@needs_data
def test_country_option_keeps_exactly_the_rows_of_that_country(
    run_cli: Run, database_url: str
) -> None:
    rows = file_rows(ACLED_WORLD)
    syria = {r["event_id_cnty"] for r in rows if r["country"] == "Syria"}
    assert 0 < len(syria) < len(rows)
    result = run_cli("import", "acled", str(ACLED_WORLD), "--country", "Syria", "--quiet")
    assert result.exit_code == 0, result.output
    assert f"{len(syria)} rows read" in counts_line(result)
    assert f"{len(rows) - len(syria):,} rows of other countries left aside" in result.output
    with session_factory(database_url)() as session:
        assert set(session.scalars(select(ExternalRecord.external_id))) == syria
    again = run_cli("import", "acled", str(ACLED_WORLD), "--country", "Syria", "--quiet")
    assert f"0 imported, 0 updated, {len(syria)} unchanged" in counts_line(again)


@needs_data
def test_a_changed_event_updates_its_incident_with_a_revision(
    run_cli: Run, database_url: str, tmp_path: Path
) -> None:
    rows = file_rows(ACLED_SYRIA)[:20]
    columns = list(rows[0])
    run_cli("import", "acled", str(write_rows(tmp_path / "a.csv", rows, columns)), "--quiet")
    rows[3]["fatalities"] = str(int(rows[3]["fatalities"]) + 7)
    result = run_cli(
        "import", "acled", str(write_rows(tmp_path / "b.csv", rows, columns)), "--quiet"
    )
    assert "0 imported, 1 updated, 19 unchanged, 0 rejected" in counts_line(result)
    with session_factory(database_url)() as session:
        incident = session.scalars(
            select(Incident)
            .join(ExternalRecord, ExternalRecord.incident_id == Incident.id)
            .where(ExternalRecord.external_id == rows[3]["event_id_cnty"])
        ).one()
        killed = (
            incident.civilians_killed_best
            if incident.civilians_killed_best is not None
            else incident.combatants_killed_best
        )
        assert killed == int(rows[3]["fatalities"])
        qualifiers = {incident.civilians_killed_qualifier, incident.combatants_killed_qualifier}
        assert "at_least" in qualifiers  # ACLED's figures are minimums
        assert incident.version == 2
        revisions = session.scalars(
            select(Revision).where(
                Revision.entity_type == "incidents", Revision.entity_id == incident.id
            )
        ).all()
        assert len(revisions) == 2


@needs_data
def test_dry_run_matches_everything_and_writes_nothing(run_cli: Run, database_url: str) -> None:
    result = run_cli("import", "acled", str(ACLED_SYRIA), "--dry-run", "--quiet")
    assert result.exit_code == 0, result.output
    assert "307 imported" in counts_line(result)
    assert "dry run: nothing would be written" in result.output
    assert count(database_url, Incident) == 0
    assert count(database_url, Actor) == 0
    assert count(database_url, ImportRun) == 0


def test_an_unknown_alleged_agreement_is_refused(run_cli: Run, tmp_path: Path) -> None:
    from bench.acled_rows import write_acled_file

    path = tmp_path / "a.csv"
    write_acled_file(path, 3)
    result = run_cli("import", "acled", str(path), "--alleged-agreement", "no-such-thing")
    assert result.exit_code != 0
    assert "no agreement 'no-such-thing'" in result.output


def test_imported_events_match_names_across_spellings(
    run_cli: Run, database_url: str, tmp_path: Path
) -> None:
    from bench.acled_rows import write_acled_file

    path = tmp_path / "a.csv"
    write_acled_file(path, 300)
    result = run_cli("import", "acled", str(path), "--quiet")
    assert result.exit_code == 0, result.output
    with session_factory(database_url)() as session:
        names = list(session.scalars(select(Place.name_en)))
    # Kafr Nabudah, Kafranbouda and Kafr-Nabudah are one place (OCHA's Kafr Nabutha is not
    # found by its Latin spelling alone)
    assert sum("nabud" in n.casefold() or "nbouda" in n.casefold() for n in names) == 1
    assert "Kafranbouda" in result.output
    assert "[transliteration]" in result.output


# --- ACLED round trip ---------------------------------------------------------------------


def _invoke(url: str, tmp_path: Path, *args: str) -> Result:
    env = {"TRACKER_DATABASE_URL": url, "TRACKER_INSTANCE_PATH": str(tmp_path / "instance")}
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def second_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database on the engine of ``database_url``, migrated to head."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'second.db'}"
        migrate.upgrade(url)
        yield url
        engine_for(url).dispose()
        return
    require_postgres()
    database = TempPostgres()
    try:
        migrate.upgrade(database.url)
        yield database.url
    finally:
        database.drop()


def _incidents(url: str) -> list[tuple[Any, ...]]:
    with session_factory(url)() as session:
        rows = session.execute(
            select(
                Incident.ref,
                Incident.occurred_start,
                Incident.occurred_end,
                Incident.date_precision,
                Incident.location_precision,
                Incident.category,
                Incident.description_en,
                Place.name_en,
                Place.latitude,
                Place.longitude,
                func.coalesce(Incident.civilians_killed_best, 0)
                + func.coalesce(Incident.combatants_killed_best, 0),
            )
            .outerjoin(Place, Place.id == Incident.place_id)
            .order_by(Incident.ref)
        ).all()
        actors = session.execute(
            select(Incident.ref, Actor.name_en)
            .join(Actor, Actor.id == Incident.perpetrator_id)
            .order_by(Incident.ref)
        ).all()
    return [tuple(r) for r in rows] + [tuple(a) for a in actors]


@needs_data
def test_exported_acled_imported_into_an_empty_database_gives_the_same_incidents(
    run_cli: Run, database_url: str, second_database: str, tmp_path: Path
) -> None:
    assert run_cli("import", "acled", str(ACLED_SYRIA), "--quiet").exit_code == 0
    exported = tmp_path / "export.csv"
    result = run_cli("export", "incidents", "--format", "acled", "-o", str(exported), "--quiet")
    assert result.exit_code == 0, result.output
    again = _invoke(second_database, tmp_path, "import", "acled", str(exported), "--quiet")
    assert again.exit_code == 0, again.output
    assert _incidents(second_database) == _incidents(database_url)
    empty_all_tables(second_database)


# --- hostile files ------------------------------------------------------------------------


def _acled_text(tmp_path: Path, rows: int = 5) -> list[list[str]]:
    from bench.acled_rows import write_acled_file

    path = tmp_path / "base.csv"
    write_acled_file(path, rows)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, table: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_hostile_rows_are_each_rejected_with_a_reason_and_nothing_is_written(
    run_cli: Run, database_url: str, tmp_path: Path
) -> None:
    table = _acled_text(tmp_path, 8)
    header = table[0]
    col = header.index
    table[1] = table[1][:10]  # truncated row
    table[2][col("event_date")] = "2022-02-30"
    table[3][col("event_id_cnty")] = table[4][col("event_id_cnty")]  # duplicate id
    table[5][col("notes")] = "x" * 100_001
    table[6][col("latitude")] = '=HYPERLINK("http://evil")'
    path = _write(tmp_path / "hostile.csv", table)
    report = tmp_path / "report.csv"
    result = run_cli("import", "acled", str(path), "--report", str(report), "--quiet")
    assert result.exit_code != 0
    assert "5 rejected" in counts_line(result)
    assert "nothing was imported" in result.output
    assert count(database_url, Incident) == 0
    assert count(database_url, ImportRun) == 0
    with report.open(encoding="utf-8", newline="") as handle:
        rejected = list(csv.DictReader(handle))
    reasons = {int(r["row"]): r["reason"] for r in rejected}
    assert "truncated" in reasons[1]
    assert "not a real calendar day" in reasons[2]
    assert "the same id as row 3" in reasons[4]
    assert "longer than 100,000 characters" in reasons[5]
    assert "not a number" in reasons[6]
    formula = next(r for r in rejected if r["row"] == "6")
    assert not formula["value"].startswith("=")  # neutralised in the report


def test_skip_invalid_imports_the_other_rows(
    run_cli: Run, database_url: str, tmp_path: Path
) -> None:
    table = _acled_text(tmp_path, 6)
    table[2][table[0].index("event_date")] = "2022-02-30"
    table[3][table[0].index("notes")] = "=cmd|' /C calc'!A0"  # kept as text, never run
    path = _write(tmp_path / "some-bad.csv", table)
    result = run_cli("import", "acled", str(path), "--skip-invalid", "--quiet")
    assert result.exit_code == 0, result.output
    assert "6 rows read: 5 imported, 0 updated, 0 unchanged, 1 rejected" in counts_line(result)
    assert count(database_url, Incident) == 5
    with session_factory(database_url)() as session:
        assert (
            session.scalar(
                select(func.count()).where(Incident.description_en == "=cmd|' /C calc'!A0")
            )
            == 1
        )


def test_a_file_in_another_encoding_is_rejected_row_by_row(
    run_cli: Run, database_url: str, tmp_path: Path
) -> None:
    table = _acled_text(tmp_path, 4)
    table[2][table[0].index("location")] = "Ma\u2019arrat Nu\u00e9man"
    path = _write(tmp_path / "cp1252.csv", table, encoding="cp1252")
    result = run_cli("import", "acled", str(path), "--quiet")
    assert result.exit_code != 0
    assert "1 rejected" in counts_line(result)
    assert "not UTF-8 text" in result.output
    assert count(database_url, Incident) == 0


def test_a_file_that_is_not_acled_is_refused_with_a_message(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_cli("import", "acled", str(path))
    assert result.exit_code != 0
    assert "lacks the column(s) event_id_cnty" in result.output
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "the file is empty" in run_cli("import", "acled", str(empty)).output
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text("event_id_cnty,event_date\n", encoding="utf-16")
    assert "the header is not UTF-8 text" in run_cli("import", "acled", str(utf16)).output


def test_bom_crlf_and_newlines_in_notes_are_read(
    run_cli: Run, database_url: str, tmp_path: Path
) -> None:
    table = _acled_text(tmp_path, 3)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode())
    result = run_cli("import", "acled", str(path), "--quiet")
    assert "3 rows read: 3 imported" in counts_line(result)
    with session_factory(database_url)() as session:
        notes = session.scalars(select(Incident.description_en)).all()
    assert all("\nSecond line." in n for n in notes)


def test_text_inter_codes_of_api_downloads_are_read(
    run_cli: Run, database_url: str, tmp_path: Path
) -> None:
    table = _acled_text(tmp_path, 2)
    table[1][table[0].index("inter1")] = "State forces"
    table[1][table[0].index("inter2")] = "Civilians"
    path = _write(tmp_path / "api.csv", table)
    result = run_cli("import", "acled", str(path), "--quiet")
    assert result.exit_code == 0, result.output


# --- GED ----------------------------------------------------------------------------------

# Rows built by hand from the published UCDP GED codebook (version 23.1: columns id, relid,
# date_prec, date_start, date_end, where_prec, side_a, side_b, deaths_a, deaths_b,
# deaths_civilians, deaths_unknown, low, best, high, source_office, ...): no real GED file is
# at hand, so these are not UCDP data.
GED_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_name",
    "dyad_name", "side_a", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "country", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low",
]  # fmt: skip


def _ged_row(**changes: Any) -> dict[str, Any]:
    row = {
        "id": "244657", "relid": "SYR-2019-1-100-1", "year": 2019, "active_year": 1,
        "code_status": "Clear", "type_of_violence": 1, "conflict_name": "Syria: Government",
        "dyad_name": "Government of Syria - Syrian insurgents", "side_a": "Government of Syria",
        "side_b": "Syrian insurgents", "number_of_sources": 2,
        "source_article": "SOHR 2019-05-22", "source_office": "SOHR;Reuters",
        "source_date": "2019-05-22", "source_headline": "Clashes in Kafr Nabudah",
        "source_original": "SOHR", "where_prec": 1, "where_coordinates": "Kafr Nabudah town",
        "where_description": "Kafr Nabudah, north Hama", "adm_1": "Hama governorate",
        "adm_2": "As-Suqaylabiyah district", "latitude": 35.4736, "longitude": 36.4936,
        "country": "Syria", "region": "Middle East", "event_clarity": 1, "date_prec": 1,
        "date_start": "2019-05-22 00:00:00.000", "date_end": "2019-05-22 00:00:00.000",
        "deaths_a": 4, "deaths_b": 6, "deaths_civilians": 1, "deaths_unknown": 0,
        "best": 11, "high": 15, "low": 9,
    }  # fmt: skip
    row.update(changes)
    return row


def test_ged_rows_import_with_their_precisions_and_deaths_then_stay_unchanged(
    run_cli: Run, database_url: str, tmp_path: Path
) -> None:
    rows = [
        _ged_row(),
        _ged_row(
            id="244658", date_prec=4, date_start="2019-05-01", date_end="2019-05-31", where_prec=4
        ),
        _ged_row(
            id="244659", date_prec=2, date_start="2019-06-10", date_end="2019-06-14", where_prec=2
        ),
    ]
    path = write_rows(tmp_path / "ged.csv", rows, GED_COLUMNS)
    result = run_cli("import", "ged", str(path), "--status", "draft", "--quiet")
    assert result.exit_code == 0, result.output
    assert "3 rows read: 3 imported" in counts_line(result)
    with session_factory(database_url)() as session:
        by_id = {
            r.external_id: r.Incident
            for r in session.execute(
                select(ExternalRecord.external_id, Incident).join(
                    Incident, Incident.id == ExternalRecord.incident_id
                )
            )
        }
        exact, month, days = by_id["244657"], by_id["244658"], by_id["244659"]
        assert (exact.date_precision, exact.location_precision) == ("day", "exact")
        assert (exact.combatants_killed_best, exact.civilians_killed_best) == (10, 1)
        assert (month.date_precision, month.location_precision) == ("month", "admin1")
        assert (month.occurred_end - month.occurred_start).days == 31
        assert (days.date_precision, days.location_precision) == ("week", "near")
        assert (days.occurred_end - days.occurred_start).days == 5
        assert exact.place is not None
        assert exact.place.name_en == "Kafr Nabudah"
        assert exact.perpetrator is not None
        assert exact.perpetrator.kind == "state_force"
        assert {i.status for i in by_id.values()} == {"draft"}
    again = run_cli("import", "ged", str(path), "--status", "draft", "--quiet")
    assert "0 imported, 0 updated, 3 unchanged" in counts_line(again)
    bad = write_rows(tmp_path / "bad.csv", [_ged_row(id="9", date_prec=9)], GED_COLUMNS)
    refused = run_cli("import", "ged", str(bad), "--quiet")
    assert refused.exit_code != 0
    assert "not a GED code" in refused.output


# --- gazetteer, boundaries ----------------------------------------------------------------


@needs_data
def test_gazetteer_and_boundaries_load_and_the_points_lie_in_their_sub_districts(
    run_cli: Run, database_url: str
) -> None:
    for path in BOUNDARIES:
        result = run_cli("import", "boundaries", str(path))
        assert result.exit_code == 0, result.output
    result = run_cli("import", "places", str(GAZETTEER))
    assert result.exit_code == 0, result.output
    communities = file_rows(GAZETTEER)
    assert f"{len(communities):,} rows read: {len(communities):,} imported" in counts_line(result)
    with session_factory(database_url)() as session:
        levels = dict(
            session.execute(select(AdminArea.level, func.count()).group_by(AdminArea.level)).all()
        )
        features = [len(__import__("json").loads(p.read_text())["features"]) for p in BOUNDARIES]
        assert [levels[n] for n in range(4)] == features
        polygons = {
            a.pcode: a.geometry
            for a in session.scalars(select(AdminArea).where(AdminArea.level == 3))
        }
        places = session.execute(
            select(Place.admin3_pcode, Place.longitude, Place.latitude).where(
                Place.pcode.isnot(None)
            )
        ).all()
        assert len(places) == len(communities)
        inside = sum(1 for code, lon, lat in places if contains(polygons[code], lon, lat))
        assert inside / len(places) >= 0.99
        name_ar = session.scalar(
            select(Place.name_ar).where(Place.pcode == communities[0]["Location_Pcode"])
        )
        assert name_ar == communities[0]["LocationName_ar"]
    again = run_cli("import", "places", str(GAZETTEER))
    assert f"0 imported, 0 updated, {len(communities):,} unchanged" in counts_line(again)
    for path in BOUNDARIES:
        assert "0 imported, 0 updated" in counts_line(run_cli("import", "boundaries", str(path)))


@needs_data
def test_acled_places_gain_ocha_pcodes_when_the_gazetteer_is_loaded(
    run_cli: Run, database_url: str
) -> None:
    for path in BOUNDARIES[1:]:
        run_cli("import", "boundaries", str(path))
    result = run_cli("import", "acled", str(ACLED_SYRIA), "--quiet")
    assert result.exit_code == 0, result.output
    with session_factory(database_url)() as session:
        places = session.execute(select(Place.admin1_pcode, Place.admin3_pcode)).all()
    assert sum(1 for a1, _a3 in places if a1) / len(places) >= 0.95
    assert sum(1 for _a1, a3 in places if a3) / len(places) >= 0.9


def test_a_boundary_file_that_is_not_geojson_is_refused(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text('{"type": "Feature"}', encoding="utf-8")
    result = run_cli("import", "boundaries", str(path))
    assert result.exit_code != 0
    assert "not a GeoJSON FeatureCollection" in result.output


# --- PA-X ---------------------------------------------------------------------------------


@needs_data
def test_pax_syria_rows_import_by_pax_id_with_their_text_as_sources(
    run_cli: Run, database_url: str
) -> None:
    rows = file_rows(PAX)
    syria = {
        int(r["AgtId"])
        for r in rows
        if "syria" in [c.strip().casefold() for c in r["Con"].split("/")]
    }
    result = run_cli("import", "agreements", str(PAX), "--country", "Syria")
    assert result.exit_code == 0, result.output
    assert f"{len(syria)} rows read: {len(syria)} imported" in counts_line(result)
    with session_factory(database_url)() as session:
        imported = set(session.scalars(select(Agreement.pax_id)))
        assert imported == syria
        assert {2093, 2169, 2273} <= imported
        sochi = session.scalars(select(Agreement).where(Agreement.pax_id == 2169)).one()
        assert str(sochi.signed_on) == "2018-09-17"
        claims = {
            link.claim: link.excerpt
            for link in session.scalars(
                select(AgreementSource).where(AgreementSource.agreement_id == sochi.id)
            )
        }
        assert "Russian Federation" in claims["parties"]
    again = run_cli("import", "agreements", str(PAX), "--country", "Syria")
    assert f"0 imported, 0 updated, {len(syria)} unchanged" in counts_line(again)


def _session(url: str) -> Session:
    return session_factory(url)()


# --- reports right after an import --------------------------------------------------------


def test_reports_right_after_an_import_count_the_imported_events(
    run_cli: Run, database_url: str, tmp_path: Path
) -> None:
    import json

    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
    before = json.loads(run_cli("report", "sochi-2018", "--format", "json").output)
    table = _acled_text(tmp_path, 40)
    col = table[0].index
    for row in table[1:]:
        row[col("event_date")] = "2019-05-2" + row[col("event_date")][-1]
        row[col("time_precision")] = "1"
    path = _write(tmp_path / "sochi.csv", table)
    result = run_cli("import", "acled", str(path), "--alleged-agreement", "sochi-2018", "--quiet")
    assert result.exit_code == 0, result.output
    after = json.loads(run_cli("report", "sochi-2018", "--format", "json").output)
    assert after["total"] == before["total"] + 40
    rebuilt = run_cli("db", "rebuild-reports", "sochi-2018")
    assert rebuilt.exit_code == 0, rebuilt.output
    again = json.loads(run_cli("report", "sochi-2018", "--format", "json").output)
    assert {**again, "generated_at": None} == {**after, "generated_at": None}


@needs_data
def test_with_the_gazetteer_alone_acled_places_gain_admin_pcodes(
    run_cli: Run, database_url: str
) -> None:
    assert run_cli("import", "places", str(GAZETTEER)).exit_code == 0
    result = run_cli("import", "acled", str(ACLED_SYRIA), "--quiet")
    assert result.exit_code == 0, result.output
    with session_factory(database_url)() as session:
        created = session.execute(
            select(Place.admin1_pcode, Place.admin2_pcode).where(Place.pcode.is_(None))
        ).all()
    assert created
    assert sum(1 for a1, a2 in created if a1 and a2) / len(created) >= 0.9

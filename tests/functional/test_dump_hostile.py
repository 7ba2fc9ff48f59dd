"""Dumps that keep every byte: hostile text and boundary integers survive a dump and a load
by the stock client in both dialects; signed dumps are verified with TRACKER_DUMP_KEY."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests import factories
from tests.functional.test_export_sql import (
    DIALECTS,
    digests,
    expected,
    invoke,
    load_with_client,
    make_dump,
    table_count,
    target,
)
from tracker.db import engine_for, session_factory
from tracker.models import Actor, Agreement, Incident

__all__ = ["target"]  # the fixture, imported for this module's tests

UTC = dt.UTC
HOSTILE = [
    "it's \"quoted\" and 'single' and `back` ticks",
    "back\\slash \\n \\\\ \\x41 \\0 at the end\\",
    "windows\r\nline\r\nends\rand a lone return\n",
    "emoji 🙂🏳️‍🌈 𝕏 and astral 𠜎",
    "\u200fRTL mark\u200e and \u202eoverride\u202c كفرنبودة",
    "tab\there -- not a comment; /* nor this */ $$dollar$$ E'\\x'",
    "COPY x FROM stdin;\n\\.\nDROP TABLE actors;",
    "x" * 100_000,
]


def _fill(url: str) -> dict[str, int]:
    with session_factory(url)() as db, db.begin():
        agreement = factories.make_agreement(
            db, slug="bounds", pax_id=2_147_483_647, summary_en=HOSTILE[0], summary_ar=HOSTILE[4]
        )
        actors = [
            factories.make_actor(db, name_en=text[:300], aliases=[text[:500]]) for text in HOSTILE
        ]
        incident = factories.make_incident(
            db,
            agreement=agreement,
            perpetrator=actors[0],
            count_period_hours=0,
            civilians_killed_low=0,
            civilians_killed_best=1_000_000,
            description_ar=HOSTILE[4],
            claimed_justification=HOSTILE[-1],
            occurred_start=dt.datetime(1900, 1, 1, 0, 0, tzinfo=UTC),
        )
        # beyond what the entry form accepts, as far as the columns go
        incident.event_count = 2_147_483_647
        incident.description_en = "".join(HOSTILE)
        db.flush()
        return {"agreement": agreement.id, "incident": incident.id}


@pytest.fixture
def hostile(database_url: str) -> dict[str, int]:
    from tests.conftest import empty_all_tables

    ids = _fill(database_url)
    yield ids  # type: ignore[misc]
    empty_all_tables(database_url)


@DIALECTS
def test_hostile_text_and_boundary_integers_survive_a_dump_in_both_dialects(
    database_url: str, hostile: dict[str, int], dialect: str, target: str, tmp_path: Path
) -> None:
    dump = tmp_path / "dump.sql"
    manifest = make_dump(database_url, dump, dialect=dialect)
    loaded = load_with_client(dump, target)
    assert loaded.returncode == 0, loaded.stderr[:2000]
    assert digests(target, manifest) == expected(manifest)
    with Session(engine_for(target)) as db:
        incident = db.get(Incident, hostile["incident"])
        assert incident is not None
        assert incident.description_en == "".join(HOSTILE)
        assert incident.claimed_justification == HOSTILE[-1]
        assert incident.event_count == 2_147_483_647
        agreement = db.get(Agreement, hostile["agreement"])
        assert agreement is not None
        assert agreement.pax_id == 2_147_483_647
        assert agreement.summary_ar == HOSTILE[4]
        names = sorted(a.name_en for a in db.query(Actor))
        assert names == sorted(text[:300] for text in HOSTILE)
    engine_for(target).dispose()


def _forge(dump: Path) -> None:
    """Edit a value in the dump and recompute its SHA-256 line, as anyone with the project's
    own digest could; drop the signature line."""
    lines = dump.read_bytes().splitlines(keepends=True)
    if lines[-1].startswith(b"-- dump-hmac-sha256"):
        lines.pop()
    body = b"".join(lines[:-1]).replace(b"Agreement ", b"Agreemenx ", 1)
    digest = hashlib.sha256(body).hexdigest()
    dump.write_bytes(body + f"-- dump-sha256 {digest} {len(body)}\n".encode())


@DIALECTS
def test_a_signed_dump_is_verified_and_a_forged_or_unsigned_one_refused(
    database_url: str,
    hostile: dict[str, int],
    dialect: str,
    target: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dump = tmp_path / "signed.sql"
    monkeypatch.delenv("TRACKER_DUMP_KEY", raising=False)
    refused = invoke(database_url, "export", "sql", "--sign", "-o", str(dump))
    assert refused.exit_code != 0  # type: ignore[attr-defined]
    assert "TRACKER_DUMP_KEY" in refused.output  # type: ignore[attr-defined]

    monkeypatch.setenv("TRACKER_DUMP_KEY", "a long random key only the team holds")
    made = invoke(database_url, "export", "sql", "--sign", "--dialect", dialect, "-o", str(dump))
    assert made.exit_code == 0, made.output  # type: ignore[attr-defined]
    assert dump.read_bytes().splitlines()[-1].startswith(b"-- dump-hmac-sha256 ")
    unsigned = tmp_path / "unsigned.sql"
    assert invoke(database_url, "export", "sql", "--dialect", dialect, "-o", str(unsigned))
    (tmp_path / "unsigned.sql.manifest.json").unlink()
    forged = tmp_path / "forged.sql"
    forged.write_bytes(dump.read_bytes())
    _forge(forged)
    signed_forged = tmp_path / "signed-forged.sql"
    signed_forged.write_bytes(dump.read_bytes().replace(b"Agreement ", b"Agreemenx ", 1))

    result = invoke(target, "import", "sql", str(unsigned), "--require-signature")
    assert result.exit_code != 0  # type: ignore[attr-defined]
    assert "not signed" in result.output  # type: ignore[attr-defined]
    result = invoke(target, "import", "sql", str(forged), "--require-signature")
    assert result.exit_code != 0  # type: ignore[attr-defined]
    result = invoke(target, "import", "sql", str(signed_forged))
    assert result.exit_code != 0  # type: ignore[attr-defined]
    assert "signature" in result.output or "changed" in result.output  # type: ignore[attr-defined]
    assert table_count(target) == 0

    monkeypatch.setenv("TRACKER_DUMP_KEY", "another key")
    wrong = invoke(target, "import", "sql", str(dump), "--quiet")
    assert wrong.exit_code != 0  # type: ignore[attr-defined]
    assert "valid signature" in wrong.output  # type: ignore[attr-defined]
    assert table_count(target) == 0

    monkeypatch.setenv("TRACKER_DUMP_KEY", "a long random key only the team holds")
    restored = invoke(target, "import", "sql", str(dump), "--quiet", "--require-signature")
    assert restored.exit_code == 0, restored.output  # type: ignore[attr-defined]
    engine_for(target).dispose()


@DIALECTS
def test_a_dump_holding_values_that_break_the_rules_is_refused_and_nothing_loaded(
    database_url: str, hostile: dict[str, int], dialect: str, target: str, tmp_path: Path
) -> None:
    with engine_for(database_url).begin() as conn:
        conn.execute(
            text("UPDATE actors SET name_en = :name WHERE id = (SELECT min(id) FROM actors)"),
            {"name": "Bell\x07Brigade"},
        )
    dump = tmp_path / "dump.sql"
    made = invoke(database_url, "export", "sql", "--dialect", dialect, "-o", str(dump))
    assert made.exit_code == 0, made.output  # type: ignore[attr-defined]
    result = invoke(target, "import", "sql", str(dump), "--quiet")
    assert result.exit_code != 0  # type: ignore[attr-defined]
    assert "actors.name_en: control in rows" in result.output  # type: ignore[attr-defined]
    assert table_count(target) == 0

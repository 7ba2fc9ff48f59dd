"""Full-text search: stemming, Arabic folding, name variants, phrases, ranking, filters,
highlighting, confidentiality and the rebuild command, on both engines."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.conftest import empty_all_tables
from tests.factories import make_actor, make_incident, make_place, make_source
from tests.functional.test_export_sql import invoke, make_dump, target  # noqa: F401 (a fixture)
from tracker.db import engine_for, session_factory
from tracker.models import IncidentSource
from tracker.models.search import INCIDENT_INDEX
from tracker.queries import search
from tracker.queries.incidents import IncidentFilters, filtered
from tracker.queries.search import ranked_incidents, ranked_sources
from tracker.rules.search_terms import highlight, parse_query


def _found(session: Session, words: str, **filters: object) -> set[int]:
    query = filtered(IncidentFilters(text=words, **filters))  # type: ignore[arg-type]
    return {i.id for i in session.scalars(query)}


def test_english_word_forms_meet(session: Session) -> None:
    shelled = make_incident(session, description_en="The market was shelled at dawn.")
    rockets = make_incident(session, category="rocket_attack", description_en="Rockets fell.")
    for words in ("shelling", "shells", "shelled", "SHELL"):
        assert shelled.id in _found(session, words), words
        assert rockets.id not in _found(session, words), words
    assert rockets.id in _found(session, "rocket")


def test_categories_are_searched_in_both_languages(session: Session) -> None:
    drone = make_incident(session, category="drone_strike", description_en="An attack.")
    assert drone.id in _found(session, "drone")
    assert drone.id in _found(session, "طائرة مسيرة") or drone.id in _found(session, "مسيرة")


def test_arabic_spellings_and_the_article_meet(session: Session) -> None:
    incident = make_incident(session, description_ar="قصفت القوات مدرسةً في القرية")
    for words in ("مدرسة", "المدرسه", "قريه", "القرية", "مَدْرَسَة"):
        assert incident.id in _found(session, words), words


def test_place_names_match_in_any_transliteration(session: Session) -> None:
    place = make_place(session, name_en="Kafr Nabudah", name_ar="كفرنبودة", aliases=["Kafranbouda"])
    incident = make_incident(session, place=place, description_en="Shelling.")
    other = make_incident(session, description_en="Shelling.")
    for words in ("Kafr Nabouda", "Kafrnabuda", "kafr nabudah", "كفر نبودة", "كفرنبوده"):
        found = _found(session, words)
        assert incident.id in found, words
        assert other.id not in found, words


def test_renaming_a_place_reindexes_its_incidents(session: Session) -> None:
    place = make_place(session, name_en="Old Name")
    incident = make_incident(session, place=place)
    place.aliases = ["Tall Rifaat"]
    session.flush()
    assert incident.id in _found(session, "Tell Rifaat")


def test_actor_names_and_aliases_are_searched(session: Session) -> None:
    actor = make_actor(session, name_en="Hayat Tahrir al-Sham", aliases=["HTS"])
    incident = make_incident(session, perpetrator=actor)
    assert incident.id in _found(session, "hts")
    assert incident.id in _found(session, "tahrir")


def test_a_quoted_phrase_needs_its_words_side_by_side(session: Session) -> None:
    side = make_incident(session, description_en="Heavy shelling hit the town.")
    apart = make_incident(session, description_en="Shelling was heavy in the town.")
    found = _found(session, '"heavy shelling"')
    assert side.id in found
    assert apart.id not in found
    assert {side.id, apart.id} <= _found(session, "heavy shelling")


def test_search_combines_with_the_other_filters(session: Session) -> None:
    one = make_incident(session, description_en="Sniper fire", category="sniper_fire")
    two = make_incident(session, description_en="Sniper fire", category="shelling")
    found = _found(session, "sniper", category="shelling")
    assert two.id in found
    assert one.id not in found


def test_operators_typed_in_the_box_are_words(session: Session) -> None:
    for words in ("NEAR(a b)", "a OR", '"', "*", "'; DROP TABLE incidents; --", "a:b", "(("):
        session.scalars(filtered(IncidentFilters(text=words))).all()


def test_ranked_results_put_the_better_match_first(session: Session) -> None:
    once = make_incident(session, description_en="A shelling among many other words of text.")
    often = make_incident(session, description_en="Shelling, shelling and more shelling.")
    ranked = [i.id for i, _score in ranked_incidents(session, IncidentFilters(text="shelling"))]
    assert ranked.index(often.id) < ranked.index(once.id)


@pytest.mark.parametrize(
    ("prepared_up_to", "known_newest"), [(1000, None), (3, None), (3, -6), (1000, 1000)]
)
def test_only_the_newest_matches_are_ranked_and_pages_follow_each_other(
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    prepared_up_to: int,
    known_newest: int | None,
) -> None:
    """The newest matches that pass the filters are ranked, wherever they lie among the ids,
    with the words sent apart or, on a large index, written into the statement (PostgreSQL
    decides by the highest id read now or, ``known_newest`` away from the real one, some
    seconds ago)."""
    monkeypatch.setattr(search, "RANK_WINDOW", 4)
    monkeypatch.setattr(search, "PREPARED_UP_TO", prepared_up_to)
    monkeypatch.setattr(search, "_NEWEST", {})
    made = [
        make_incident(session, description_en=words, category=category)
        for words, category in [
            ("Shelling, shelling and shelling.", "shelling"),
            ("Shelling of the market.", "shelling"),
            ("Sniper fire.", "sniper_fire"),
            ("Shelling near the school.", "shelling"),
            ("Shelling and shelling again.", "shelling"),
            ("Sniper fire again.", "sniper_fire"),
            ("Shelling of the bakery and nothing more.", "shelling"),
            ("Sniper fire at night.", "sniper_fire"),
            ("Shelling at night.", "sniper_fire"),
        ]
    ]
    if known_newest is not None:
        key = (str(session.get_bind().engine.url), INCIDENT_INDEX)
        search._NEWEST[key] = (time.monotonic(), made[-1].id + known_newest)
    filters = IncidentFilters(text="shelling", category="shelling")
    first = [i.id for i, _s in ranked_incidents(session, filters, size=3)]
    second = [i.id for i, _s in ranked_incidents(session, filters, offset=3, size=3)]
    newest_four = {made[n].id for n in (1, 3, 4, 6)}
    assert set(first + second) == newest_four
    assert len(first + second) == 4
    assert first[0] == made[4].id


def test_highlight_marks_matched_words_and_escapes_the_rest() -> None:
    html = highlight("<script>x</script> The SHELLED town", parse_query("shelling"))
    assert str(html) == "&lt;script&gt;x&lt;/script&gt; The <mark>SHELLED</mark> town"


def test_viewer_search_never_matches_confidential_source_text(session: Session) -> None:
    secret = make_source(session, title="Canaryword informant", is_confidential=True)
    open_source = make_source(session, title="Canaryword bulletin")
    visible = {s.id for s, _r in ranked_sources(session, "canaryword", public=True)}
    assert visible == {open_source.id}
    everything = {s.id for s, _r in ranked_sources(session, "canaryword", public=False)}
    assert everything == {secret.id, open_source.id}


def test_excerpts_of_a_source_are_searched(session: Session) -> None:
    source = make_source(session, title="Daily report")
    incident = make_incident(session)
    session.add(IncidentSource(incident_id=incident.id, source_id=source.id, excerpt="Barrels"))
    session.flush()
    assert [s.id for s, _r in ranked_sources(session, "barrel", public=False)] == [source.id]


def test_a_rolled_back_write_leaves_no_index_row(session: Session) -> None:
    savepoint = session.begin_nested()
    incident = make_incident(session, description_en="Zyxwvut")
    assert incident.id in _found(session, "zyxwvut")
    savepoint.rollback()
    assert _found(session, "zyxwvut") == set()


def test_search_rebuild_command_indexes_what_was_written_behind_its_back(
    run_cli: object, database_url: str
) -> None:
    with session_factory(database_url)() as db:
        incident = make_incident(db, description_en="Quuxword")
        db.commit()
        incident_id = incident.id
    with engine_for(database_url).begin() as conn:
        conn.execute(text("DELETE FROM incident_fts"))
    with session_factory(database_url)() as db:
        assert _found(db, "quuxword") == set()
    result = run_cli("search", "rebuild")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    assert "indexed" in result.output
    with session_factory(database_url)() as db:
        assert _found(db, "quuxword") == {incident_id}


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_restored_dump_is_searchable(
    database_url: str,
    target: str,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
    dialect: str,
) -> None:
    if dialect not in database_url:
        pytest.skip("a dump is restored into the engine it was made on")
    with session_factory(database_url)() as db:
        incident = make_incident(db, description_en="Corvidword")
        db.commit()
    try:
        dump = tmp_path / "dump.sql"
        make_dump(database_url, dump, dialect=dialect)
        result = invoke(target, "import", "sql", str(dump))
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        with session_factory(target)() as db:
            assert _found(db, "corvidword") == {incident.id}
            make_incident(db, description_en="Second corvidword")
            db.flush()
            assert len(_found(db, "corvidword")) == 2
            if dialect == "postgresql":
                assert _without_parallel_workers(db)
    finally:
        empty_all_tables(database_url)


def _without_parallel_workers(db: Session) -> bool:
    """Whether both search index tables are marked to be scanned without parallel workers."""
    marked = db.scalars(
        text(
            "SELECT relname FROM pg_class WHERE relname IN ('incident_fts', 'source_fts') "
            "AND 'parallel_workers=0' = ANY(reloptions)"
        )
    )
    return set(marked) == {"incident_fts", "source_fts"}


def test_postgresql_scans_the_search_indexes_without_parallel_workers(session: Session) -> None:
    """A ranked page reads a window of 1,000 rows: starting parallel workers for it cost more
    than they saved (a rare word 5 ms instead of 2 at 1,000,000 incidents)."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no parallel workers")
    assert _without_parallel_workers(session)


def test_the_incidents_list_ranks_and_highlights_search_results(
    app: object, client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        make_incident(db, description_en="A <b>shelled</b> market", status="verified")
        make_incident(
            db, description_en="Rockets only", category="rocket_attack", status="verified"
        )
    login_as("viewer")
    html = client.get("/incidents/", query_string={"q": "shelling"}).get_data(as_text=True)
    assert "<mark>shelled</mark>" in html
    assert "&lt;b&gt;" in html
    assert "Rockets only" not in html
    assert 'value="relevance" selected' in html
    newest = client.get("/incidents/", query_string={"q": "shelling", "order": "newest"})
    assert newest.status_code == 200

"""The synthetic benchmark data set: sizes, integrity, derived columns and the verdict rule."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.synthetic import AGREEMENTS, populate
from tracker.db import engine_for
from tracker.models import (
    Actor,
    Agreement,
    Base,
    Incident,
    IncidentSource,
    Place,
    Source,
)
from tracker.queries.applicability import judge_incidents, judged_agreements, judged_incidents
from tracker.rules.applicability import VERDICT_OF_FINDING
from tracker.rules.dates import local_date
from tracker.rules.names import search_key

TZ = ZoneInfo("Asia/Damascus")
INCIDENTS = 2_000
ENGINES = pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)


@ENGINES
def test_populate_fills_every_table_with_consistent_records(empty_database_url: str) -> None:
    populate(empty_database_url, INCIDENTS, seed=3, progress=False)
    with Session(engine_for(empty_database_url)) as session:
        count = {
            model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Actor, Place, Agreement, Incident, Source, IncidentSource)
        }
        assert count["Actor"] == 300
        assert count["Place"] == 5_000
        assert count["Agreement"] == len(AGREEMENTS) == 7
        assert count["Incident"] == INCIDENTS
        assert count["Source"] == INCIDENTS // 3
        assert 1.3 * INCIDENTS <= count["IncidentSource"] <= 1.7 * INCIDENTS

        per_agreement = Counter(session.scalars(select(Incident.alleged_agreement_id)))
        assert 0.25 <= max(per_agreement.values()) / INCIDENTS <= 0.40
        confidential = session.scalar(select(func.count()).where(Source.is_confidential))
        assert 0 < confidential < 0.1 * count["Source"]
        assert session.scalar(select(func.count()).where(Agreement.is_unilateral)) == 2
        assert len(per_agreement) == 7  # every agreement has incidents alleged against it
        parents = Counter(session.scalars(select(Agreement.parent_id)))
        zone = session.scalar(
            select(Agreement.id).where(Agreement.slug.like("%sochi-idlib")).limit(1)
        )
        assert parents[zone] == 3  # three agreements nest inside the demilitarised zone
        assert parents[None] == 3  # and the zone itself inside the de-escalation zone
        assert session.scalar(select(func.count()).where(Actor.parent_id.is_not(None))) > 250

        for incident in session.scalars(select(Incident).limit(300)):
            names = [incident.ref, incident.description_en, incident.description_ar]
            assert incident.search_key == search_key([*names, incident.weapon])
            assert incident.occurred_on == local_date(incident.occurred_start, TZ)
        for place in session.scalars(select(Place).limit(100)):
            assert place.search_key == search_key([place.name_en, place.name_ar, *place.aliases])
            assert 32.3 <= place.latitude <= 37.4
            assert 35.7 <= place.longitude <= 42.4
            assert place.pcode.startswith(place.admin3_pcode)
            assert place.admin3_pcode.startswith(place.admin2_pcode)


@ENGINES
def test_populate_leaves_no_dangling_reference(empty_database_url: str) -> None:
    populate(empty_database_url, INCIDENTS, seed=4, progress=False)
    with engine_for(empty_database_url).connect() as conn:
        for table in Base.metadata.sorted_tables:
            for key in table.foreign_keys:
                parent = key.column.table.alias().c[key.column.name]
                orphans = select(func.count()).where(
                    key.parent.is_not(None),
                    ~select(parent).where(parent == key.parent).exists(),
                )
                assert conn.scalar(orphans) == 0, f"{table.name}.{key.parent.name}"


@ENGINES
def test_applicability_rule_judges_the_synthetic_incidents(empty_database_url: str) -> None:
    populate(empty_database_url, INCIDENTS, seed=5, progress=False)
    with Session(engine_for(empty_database_url)) as session:
        incidents = list(session.scalars(judged_incidents().order_by(Incident.id).limit(600)))
        agreements = list(session.scalars(judged_agreements()))
        verdicts = judge_incidents(incidents, agreements)
    alleged = {(i.id, i.alleged_agreement_id) for i in incidents}
    assert alleged <= set(verdicts)  # every incident is judged against its alleged agreement
    assert len(verdicts) > len(alleged)  # and against others whose lens holds it
    found = Counter(VERDICT_OF_FINDING[j.finding].value for j in verdicts.values())
    assert found["violation"] > 0
    assert found["outside_scope"] > 0
    assert found["contested"] + found["indeterminate"] > 0


def test_populate_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    dumps = []
    for name in ("first", "second"):
        url = f"sqlite:///{tmp_path / name}.db"
        populate(url, 200, seed=9, progress=False)
        with engine_for(url).connect() as conn:
            rows = conn.execute(select(Incident.__table__).order_by(Incident.id)).all()
            links = conn.execute(select(IncidentSource.__table__).order_by("id")).all()
        dumps.append((rows, links))
        engine_for(url).dispose()
    assert dumps[0] == dumps[1]


def test_agreement_shares_sum_to_one() -> None:
    assert sum(plan.share for plan in AGREEMENTS) == pytest.approx(1.0)
    assert max(plan.share for plan in AGREEMENTS) == pytest.approx(0.33)


def test_populate_refuses_a_count_that_is_not_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        populate(f"sqlite:///{tmp_path / 'none.db'}", 0, progress=False)

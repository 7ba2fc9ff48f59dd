"""The verdict's reasons are shown in the page's language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from sqlalchemy import select, update

from tracker.db import session_factory
from tracker.demo.load import load_demo
from tracker.models import Incident, User


def demo_incident_id(database_url: str, ref: str) -> int:
    with session_factory(database_url)() as session, session.begin():
        load_demo(session, ZoneInfo("Asia/Damascus"))
    with session_factory(database_url)() as session:
        found = session.scalar(select(Incident.id).where(Incident.ref == ref))
        assert found is not None
        return found


def test_reasons_follow_the_interface_language(
    client: FlaskClient, login_as: object, database_url: str
) -> None:
    incident_id = demo_incident_id(database_url, "DEMO-016")  # unilateral truce, government
    user_id = login_as("analyst")  # type: ignore[operator]
    english = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "a unilateral truce binds only its announcer" in english
    with session_factory(database_url)() as session, session.begin():
        session.execute(update(User).where(User.id == user_id).values(locale="ar"))
    arabic = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert 'dir="rtl"' in arabic
    assert "الهدنة من جانب واحد لا تُلزم إلا من أعلنها" in arabic
    assert "binds only its announcer" not in arabic
    assert "قوات النظام السوري لم يعلنها" in arabic  # the actor named in Arabic

"""The verdict's reasons are shown in the page's language."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select, update

from tests.demo_data import demo_into
from tracker.db import session_factory
from tracker.models import Incident, User


def demo_incident_id(database_url: str, ref: str) -> int:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
    with session_factory(database_url)() as session:
        found = session.scalar(select(Incident.id).where(Incident.ref == ref))
        assert found is not None
        return found


def test_reasons_follow_the_interface_language(
    client: FlaskClient, login_as: object, database_url: str
) -> None:
    incident_id = demo_incident_id(database_url, "DEMO-016")  # government attack, June truce
    user_id = login_as("analyst")  # type: ignore[operator]
    english = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Syrian government forces (through Syrian government) is bound" in english
    with session_factory(database_url)() as session, session.begin():
        session.execute(update(User).where(User.id == user_id).values(locale="ar"))
    arabic = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert 'dir="rtl"' in arabic
    assert "قوات النظام السوري (عبر النظام السوري) ملزم" in arabic  # the actors named in Arabic
    assert "is bound" not in arabic

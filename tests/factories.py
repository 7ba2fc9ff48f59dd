"""Builders of valid records for tests; each takes keyword overrides (column values, or the
related records themselves: ``agreement=``, ``place=``, ``perpetrator=``, ``parent=``) and
writes through the write services, so that a record made here has its revisions, audit events,
search terms and verdicts as one entered in the app has. An override the service did not store
as given is an error."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from tracker.models import Actor, Agreement, AgreementParty, Base, Incident, Place, Source, User
from tracker.rules.dates import When
from tracker.services import actors, agreement_parts, agreements, incidents, places, sources
from tracker.services.sources import DEFAULT_TZ
from tracker.services.users import create_user

_seq = itertools.count(1)
UTC = dt.UTC
#: The reviewer who decides on incidents made with a reviewed status (one per database).
REVIEWER = "factory-reviewer"
#: Related records given as objects, and the column that holds their id.
_RELATED = {
    "agreement": "alleged_agreement_id",
    "alleged_agreement": "alleged_agreement_id",
    "agreement_id": "alleged_agreement_id",
    "place": "place_id",
    "perpetrator": "perpetrator_id",
    "target_actor": "target_actor_id",
    "claimed_target": "claimed_target_id",
    "parent": "parent_id",
}


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with related records replaced by the columns holding their ids."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        column = _RELATED.get(key, key)
        out[column] = value.id if isinstance(value, Base) else value
    return out


def _entered(session: Session, record: Any, overrides: dict[str, Any]) -> Any:
    """Check that every override came back as given; ``created_at`` (when the record was
    entered, for tests of the order of entry) is the one value set after the service."""
    if "created_at" in overrides:  # bookkeeping, not an edit: no new version
        table = type(record)
        moment = {"created_at": overrides["created_at"]}
        session.execute(update(table).where(table.id == record.id).values(moment))
        session.expire(record, ["created_at"])
    mapper = inspect(type(record))
    for key, value in _columns(overrides).items():
        # the services trim most text; a value kept as given is as good
        given = [value, value.strip()] if isinstance(value, str) else [value]
        if key in mapper.column_attrs and getattr(record, key) not in given:
            message = (
                f"{type(record).__name__}.{key}: asked {value!r}, stored {getattr(record, key)!r}"
            )
            raise ValueError(message)
    return record


def _user(session: Session, user_id: int | None) -> User | None:
    return session.get(User, user_id) if user_id is not None else None


def reviewer(session: Session) -> User:
    """The factories' reviewer (an account nobody signs in to), created when missing."""
    found = session.scalar(select(User).where(User.username == REVIEWER))
    return found or create_user(session, REVIEWER, None, "reviewer", display_name="Reviewer")


def make_actor(session: Session, **overrides: Any) -> Actor:
    n = next(_seq)
    values: dict[str, Any] = {"slug": f"actor-{n}", "name_en": f"Actor {n}", "kind": "armed_group"}
    record = actors.create_actor(session, _columns(values | overrides), actor=None)
    return _entered(session, record, overrides)


def make_place(session: Session, **overrides: Any) -> Place:
    n = next(_seq)
    values: dict[str, Any] = {
        "slug": f"place-{n}",
        "name_en": f"Place {n}",
        "kind": "village",
        "latitude": 35.4,
        "longitude": 36.6,
    }
    record = places.create_place(session, _columns(values | overrides), actor=None)
    return _entered(session, record, overrides)


def make_agreement(session: Session, **overrides: Any) -> Agreement:
    n = next(_seq)
    values: dict[str, Any] = {
        "slug": f"agreement-{n}",
        "kind": "truce",
        "name_en": f"Agreement {n}",
        "effective_from": dt.datetime(2019, 5, 17, 21, tzinfo=UTC),
        "expires_at": dt.datetime(2019, 5, 20, 21, tzinfo=UTC),
    }
    record = agreements.create_agreement(session, _columns(values | overrides), actor=None)
    return _entered(session, record, overrides)


def add_party(session: Session, agreement: Agreement, actor: Actor, role: str) -> AgreementParty:
    data = {"actor_id": actor.id, "role": role}
    return agreement_parts.add_party(session, agreement, data, actor=None)


def make_source(session: Session, **overrides: Any) -> Source:
    """A source; ``state="retracted"`` retracts it (with ``retraction_reason``)."""
    n = next(_seq)
    values: dict[str, Any] = {"kind": "news_article", "title": f"Report {n}", "reliability": "C"}
    values |= overrides
    state, reason = values.pop("state", "active"), values.pop("retraction_reason", None)
    record = sources.create_source(session, values, actor=None, tz=DEFAULT_TZ)
    if state == "retracted":
        sources.retract_source(session, record.id, reason or "Withdrawn.", actor=None)
    return _entered(session, record, overrides)


def _when(values: dict[str, Any]) -> When:
    start = values.pop("occurred_start", dt.datetime(2019, 5, 19, 9, tzinfo=UTC))
    end = values.pop("occurred_end", start)
    return When(start, end, values.pop("date_precision", "time"))


def make_incident(session: Session, **overrides: Any) -> Incident:
    """An incident entered by ``created_by_id`` (a command's when None), submitted unless
    ``status`` says otherwise: a reviewed status is the decision of ``reviewed_by_id`` (by
    default :func:`reviewer`) and a retraction the author's, each with ``status_reason``; the
    local day ``occurred_on`` is the day of ``occurred_start`` in the default time zone."""
    values = _columns(overrides)
    provisions = values.pop("provisions", [])
    data: dict[str, Any] = {"category": "shelling", "when": _when(values)}
    data |= {k: v for k, v in values.items() if k not in {"created_at", "occurred_on"}}
    data["provision_ids"] = [p.id for p in provisions]
    if "alleged_agreement_id" not in data:
        data["alleged_agreement_id"] = make_agreement(session).id
    if "place_id" not in data:
        data["place_id"] = make_place(session).id
    status = data.pop("status", "submitted")
    reason = data.pop("status_reason", None)
    author = _user(session, data.pop("created_by_id", None))
    decider = _user(session, data.pop("reviewed_by_id", None))
    data["status"] = "draft" if status == "draft" else "submitted"
    record = incidents.create_incident(session, data, actor=author, tz=DEFAULT_TZ)
    if status == "retracted":
        incidents.retract_incident(session, record.id, reason or "Withdrawn.", actor=author)
    elif status not in {"draft", "submitted"}:
        decider = decider or reviewer(session)
        incidents.change_status(
            session, record.id, status, record.version, actor=decider, reason=reason
        )
    return _entered(session, record, overrides)

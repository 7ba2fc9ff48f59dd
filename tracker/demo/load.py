"""Load the demo data set through the write services, as analysts and reviewers would enter it:
every record is checked, has its revisions and audit events, and every incident its verdicts.
Records already present (by slug or ref) are kept."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from functools import cache
from importlib.resources import files
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from tracker.models import Actor, Agreement, Base, Incident, Place, Role, Source, Status, User
from tracker.services import agreement_parts, search_index
from tracker.services import agreements as agreement_service
from tracker.services.actors import create_actor
from tracker.services.agreement_sources import cite_source
from tracker.services.history import audit, dated
from tracker.services.incidents import create_incident
from tracker.services.places import create_place
from tracker.services.review import decide
from tracker.services.sources import create_source
from tracker.services.users import create_user

M = TypeVar("M", bound=Base)

#: The demo data set, shipped inside the package beside this module.
DATA_FILE = "idlib.json"

#: The accounts the demo's entries are attributed to, by role: the analyst enters every
#: record, the reviewer decides on the incidents (never on their own entries). Nobody signs
#: in as them (:func:`tracker.services.users.create_user` without a password).
AUTHORS: dict[str, tuple[str, str]] = {
    Role.ANALYST: ("demo-analyst", "Demo analyst (Idlib data set)"),
    Role.REVIEWER: ("demo-reviewer", "Demo reviewer (Idlib data set)"),
}
#: How long after an incident is entered the reviewer decides on it.
REVIEW_DELAY = dt.timedelta(days=1)


@cache
def _dataset() -> dict[str, list[dict[str, Any]]]:
    text = files("tracker.demo").joinpath(DATA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, list[dict[str, Any]]] = json.loads(text)
    return loaded


def dataset() -> dict[str, list[dict[str, Any]]]:
    """The demo records by kind (``actors``, ``places``, ``sources``, ``agreements``,
    ``incidents``), as written in the data file; a fresh copy the caller may change."""
    copy: dict[str, list[dict[str, Any]]] = json.loads(json.dumps(_dataset()))
    return copy


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


@cache
def _read_at() -> dict[str, dt.datetime]:
    """When the analyst read each source (by ref): when it was accessed, else published. The
    revisions of every entry are dated after the sources it rests on."""
    return {
        item["ref"]: dt.datetime.fromisoformat(item["accessed_at"] or item["published_at"])
        for item in _dataset()["sources"]
    }


def _first_read() -> dt.datetime:
    """When the first source was read: the actors and places are entered then."""
    return min(_read_at().values())


def _ids(session: Session, model: type[M], key: str, values: Iterable[str]) -> dict[str, int]:
    """The ids of the records of ``model`` whose ``key`` is one of ``values``, by key."""
    column = getattr(model, key)
    [primary_key] = inspect(model).primary_key
    rows = session.execute(select(column, primary_key).where(column.in_(list(values))))
    return {value: record_id for value, record_id in rows}


def authors(session: Session) -> dict[str, User]:
    """The demo's analyst and reviewer (:data:`AUTHORS`), created when missing."""
    found: dict[str, User] = {}
    for role, (username, label) in AUTHORS.items():
        user = session.scalar(select(User).where(User.username == username))
        found[role] = user or create_user(session, username, None, role, display_name=label)
    return found


def _in_order(items: list[dict[str, Any]], present: dict[str, int]) -> list[dict[str, Any]]:
    """The actors to add, each after its parent."""
    ordered: list[dict[str, Any]] = []
    placed = set(present)
    waiting = [item for item in items if item["slug"] not in present]
    while waiting:
        ready = [item for item in waiting if item.get("parent") in placed | {None}]
        if not ready:
            raise ValueError(f"unknown or circular parents: {[i['slug'] for i in waiting]}")
        ordered += ready
        placed |= {item["slug"] for item in ready}
        waiting = [item for item in waiting if item["slug"] not in placed]
    return ordered


def _load_actors(session: Session, analyst: User) -> int:
    items = dataset()["actors"]
    ids = _ids(session, Actor, "slug", (a["slug"] for a in items))
    added = _in_order(items, ids)
    for item in added:
        data = {k: v for k, v in item.items() if k != "parent"}
        data["parent_id"] = ids.get(item.get("parent") or "")
        with dated(session, _first_read()):
            ids[item["slug"]] = create_actor(session, data, actor=analyst).id
    return len(added)


def _load_places(session: Session, analyst: User) -> int:
    items = dataset()["places"]
    present = _ids(session, Place, "slug", (p["slug"] for p in items))
    added = [item for item in items if item["slug"] not in present]
    for item in added:
        with dated(session, _first_read()):
            create_place(session, item, actor=analyst)
    return len(added)


def _load_sources(session: Session, analyst: User) -> int:
    """The demo's sources; a source carried by another (a quote in an article) after it."""
    items = dataset()["sources"]
    ids = _ids(session, Source, "ref", (s["ref"] for s in items))
    added = [item for item in items if item["ref"] not in ids]
    for item in sorted(added, key=lambda i: i.get("carried_by") is not None):
        data = {k: v for k, v in item.items() if k != "carried_by"}
        data["published_at"] = _moment(item["published_at"])
        data["accessed_at"] = _moment(item["accessed_at"])
        data["carried_by_id"] = ids.get(item.get("carried_by") or "")
        with dated(session, _read_at()[item["ref"]]):
            ids[item["ref"]] = create_source(session, data, actor=analyst).id
    return len(added)


def _agreement_fields(item: dict[str, Any], parent_id: int | None) -> dict[str, Any]:
    nested = ("parties", "provisions", "territories", "sources", "parent")
    data = {k: v for k, v in item.items() if k not in nested}
    data["signed_on"] = dt.date.fromisoformat(item["signed_on"]) if item["signed_on"] else None
    data["effective_from"] = _moment(item["effective_from"])
    data["expires_at"] = _moment(item.get("expires_at"))
    data["parent_id"] = parent_id
    return data


def _load_agreements(session: Session, analyst: User) -> int:
    """Each agreement, then its parties, provisions, territories and the sources of its facts,
    as the agreement pages add them."""
    items = dataset()["agreements"]
    ids = _ids(session, Agreement, "slug", (a["slug"] for a in items))
    actors = _ids(session, Actor, "slug", (a["slug"] for a in dataset()["actors"]))
    sources = _ids(session, Source, "ref", (s["ref"] for s in dataset()["sources"]))
    added = [item for item in items if item["slug"] not in ids]
    read_at = _read_at()
    for item in added:
        cited = [read_at[link["source"]] for link in item["sources"]]
        entered = max(cited, default=dt.datetime.fromisoformat(item["effective_from"]))
        with dated(session, entered):
            data = _agreement_fields(item, ids.get(item.get("parent") or ""))
            agreement = agreement_service.create_agreement(session, data, actor=analyst)
            ids[item["slug"]] = agreement.id
            for party in item["parties"]:
                values = {**party, "actor_id": actors[party["actor"]]}
                agreement_parts.add_party(session, agreement, values, actor=analyst)
            for provision in item["provisions"]:
                values = {**provision, "deadline": _moment(provision["deadline"])}
                agreement_parts.add_provision(session, agreement, values, actor=analyst)
            for territory in item["territories"]:
                shape = territory["geometry"]
                values = {
                    **territory,
                    "geometry": json.dumps(shape) if shape else None,
                    "admin_pcodes": ", ".join(territory["admin_pcodes"] or ()),
                }
                agreement_parts.add_territory(session, agreement, values, actor=analyst)
            for link in item["sources"]:
                values = {**link, "source_id": sources[link["source"]]}
                cite_source(session, agreement, values, actor=analyst)
    return len(added)


_CASUALTIES = ("civilians_killed", "civilians_injured", "combatants_killed")
_REFERENCES = {
    # field of the data file: (column it names, model, key)
    "agreement": ("alleged_agreement_id", Agreement, "slug"),
    "place": ("place_id", Place, "slug"),
    "perpetrator": ("perpetrator_id", Actor, "slug"),
    "target_actor": ("target_actor_id", Actor, "slug"),
    "claimed_target": ("claimed_target_id", Actor, "slug"),
}


def _incident_fields(
    session: Session, item: dict[str, Any], ids: dict[str, dict[str, int]]
) -> dict[str, Any]:
    """What the incident form would send for ``item``: ids for names, casualty figures by
    level, the sources cited, and ``submitted`` for every entry a reviewer has decided on."""
    leave_out = {*_REFERENCES, *_CASUALTIES, "provisions", "sources", "status", "status_reason"}
    data = {k: v for k, v in item.items() if k not in leave_out}
    for field, (column, _model, _key) in _REFERENCES.items():
        data[column] = ids[field].get(item.get(field) or "")
    for group in _CASUALTIES:
        low, best, high = item.get(group) or (None, None, None)
        data.update({f"{group}_low": low, f"{group}_best": best, f"{group}_high": high})
    agreement = session.get(Agreement, data["alleged_agreement_id"])
    codes = set(item["provisions"])
    data["provision_ids"] = (
        [p.id for p in agreement.provisions if p.code in codes] if agreement else []
    )
    data["sources"] = [
        {
            "source_id": ids["source"][link["source"]],
            "credibility": link["credibility"],
            "blames_actor_id": ids["perpetrator"].get(link.get("blames") or ""),
            "stance": link.get("stance"),
            "excerpt": link.get("excerpt"),
        }
        for link in item["sources"]
    ]
    data["status"] = (
        Status.DRAFT.value if item["status"] == Status.DRAFT else Status.SUBMITTED.value
    )
    return data


def _load_incidents(session: Session, tz: ZoneInfo, analyst: User, reviewer: User) -> int:
    """Each incident as the analyst enters it, then the reviewer's decision on it (with the
    reason the data file gives for a dispute or a rejection)."""
    data = dataset()
    present = _ids(session, Incident, "ref", (i["ref"] for i in data["incidents"]))
    actors = _ids(session, Actor, "slug", (a["slug"] for a in data["actors"]))
    ids = {
        "agreement": _ids(session, Agreement, "slug", (a["slug"] for a in data["agreements"])),
        "place": _ids(session, Place, "slug", (p["slug"] for p in data["places"])),
        "source": _ids(session, Source, "ref", (s["ref"] for s in data["sources"])),
        "perpetrator": actors,
        "target_actor": actors,
        "claimed_target": actors,
    }
    added = [item for item in data["incidents"] if item["ref"] not in present]
    read_at = _read_at()
    for item in added:
        entered = max(read_at[link["source"]] for link in item["sources"])
        with dated(session, entered):
            fields = _incident_fields(session, item, ids)
            incident = create_incident(session, fields, actor=analyst, tz=tz)
        if item["status"] not in {Status.DRAFT, Status.SUBMITTED}:
            with dated(session, entered + REVIEW_DELAY):
                decide(
                    session,
                    incident.id,
                    item["status"],
                    incident.version,
                    item.get("status_reason"),
                    actor=reviewer,
                )
    return len(added)


def load_demo(
    session: Session,
    tz: ZoneInfo,
    *,
    user: User | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Add the demo records that are not yet in the database, entered by the demo's authors
    (:func:`authors`); return how many of each were added. ``user`` is who loads the demo (the
    audit event of the load).

    Everything happens in the caller's transaction; nothing is committed here.

    :raises InvalidInputError: when a record of the data file breaks a rule of the services.
    """
    team = authors(session)
    analyst, reviewer = team[Role.ANALYST], team[Role.REVIEWER]
    steps: list[tuple[str, Callable[[], int]]] = [
        ("actors", lambda: _load_actors(session, analyst)),
        ("places", lambda: _load_places(session, analyst)),
        ("sources", lambda: _load_sources(session, analyst)),
        ("agreements", lambda: _load_agreements(session, analyst)),
        ("incidents", lambda: _load_incidents(session, tz, analyst, reviewer)),
    ]
    counts: dict[str, int] = {}
    with search_index.deferred(session):
        for name, step in steps:
            counts[name] = step()
            if progress is not None:
                progress(name, counts[name])
    audit(session, "demo.load", user=user, details={"added": counts})
    return counts

"""Writes of an agreement's parties, provisions and territories: each change writes a revision
of the part and counts as a new version of its agreement, so that an edit form of the agreement
opened before it is refused as stale."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.models import (
    Actor,
    Agreement,
    AgreementParty,
    Base,
    PartyRole,
    Provision,
    ProvisionKind,
    Territory,
    User,
)
from tracker.queries.boundaries import find_admin_areas, known_pcodes
from tracker.rules.values import MESSAGES, ValueProblemError, parse_geometry_text
from tracker.services.errors import InvalidInputError, StaleEditError
from tracker.services.history import record_revision, snapshot
from tracker.services.report_rebuild import invalidate

_PCODE = re.compile(r"^[A-Z]{2}[0-9A-Z]*$")


def _add_part(
    session: Session, agreement: Agreement, part: Base, actor: User | None, kind: str, what: str
) -> None:
    """Add ``part`` (a party, provision or territory) with its revision, as a new version of
    the agreement (:func:`_touch`)."""
    session.add(part)
    record_revision(session, part, user=actor, action=f"agreement.{kind}.add")
    _touch(session, agreement, actor, f"agreement.{kind}.add", what)


def _touch(
    session: Session, agreement: Agreement, actor: User | None, action: str, what: str
) -> None:
    """Count a change of the agreement's parties, provisions or territories as a new version of
    the agreement, so that an edit form opened before it is refused as stale.

    :raises StaleEditError: when another request saved the agreement meanwhile.
    """
    invalidate(session, [agreement.id])
    before = snapshot(agreement)
    opened = agreement.version
    agreement.version = opened + 1
    try:
        record_revision(
            session, agreement, user=actor, action=action, before=before, details={"changed": what}
        )
    except StaleDataError as exc:  # another request changed the agreement at the same moment
        raise StaleEditError(
            _("Someone else saved this agreement at the same moment; nothing was saved."),
            current_version=opened + 1,
        ) from exc


def add_party(
    session: Session, agreement: Agreement, data: dict[str, Any], *, actor: User | None
) -> AgreementParty:
    """Add a party (``actor_id``, ``role``, ``note``) to ``agreement``.

    :raises InvalidInputError: for an unknown actor or role, or a party already there in that
        role.
    """
    errors: dict[str, str] = {}
    party_actor = session.get(Actor, data.get("actor_id")) if data.get("actor_id") else None
    if party_actor is None:
        errors["actor_id"] = _("Choose an actor from the list.")
    if data.get("role") not in {r.value for r in PartyRole}:
        errors["role"] = _("Choose a role from the list.")
    if not errors and session.scalar(
        select(AgreementParty.id).where(
            AgreementParty.agreement_id == agreement.id,
            AgreementParty.actor_id == data["actor_id"],
            AgreementParty.role == data["role"],
        )
    ):
        errors["actor_id"] = _("This actor is already a party in this role.")
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)
    party = AgreementParty(
        agreement=agreement, actor=party_actor, role=data["role"], note=data.get("note")
    )
    _add_part(session, agreement, party, actor, "party", "parties")
    return party


def _checked_provision(
    session: Session, agreement_id: int, data: dict[str, Any], *, other_than: int | None = None
) -> str:
    """The provision's code, once its code (not used by another provision of the agreement),
    kind and English title are checked.

    :raises InvalidInputError: naming each field in error."""
    errors: dict[str, str] = {}
    code = (data.get("code") or "").strip()
    same_code = select(Provision.id).where(
        Provision.agreement_id == agreement_id, Provision.code == code
    )
    if other_than is not None:
        same_code = same_code.where(Provision.id != other_than)
    if not code:
        errors["code"] = _("A code is required.")
    elif session.scalar(same_code):
        errors["code"] = _("This agreement already has a provision %(code)s.", code=code)
    if data.get("kind") not in {k.value for k in ProvisionKind}:
        errors["kind"] = _("Choose a kind from the list.")
    if not (data.get("title_en") or "").strip():
        errors["title_en"] = _("An English title is required.")
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)
    return code


def add_provision(
    session: Session, agreement: Agreement, data: dict[str, Any], *, actor: User
) -> Provision:
    """Add a provision (``code``, ``title_en``, ``title_ar``, ``kind``, ``deadline``, ``text``).

    :raises InvalidInputError: for a code already used in this agreement or an unknown kind.
    """
    code = _checked_provision(session, agreement.id, data)
    provision = Provision(
        agreement=agreement,
        code=code,
        title_en=data["title_en"],
        title_ar=data.get("title_ar"),
        kind=data["kind"],
        deadline=data.get("deadline"),
        text=data.get("text"),
    )
    _add_part(session, agreement, provision, actor, "provision", "provisions")
    return provision


def parse_geometry(raw: str | None) -> dict[str, Any] | None:
    """The GeoJSON Polygon or MultiPolygon in ``raw`` (None when empty), checked by
    :func:`tracker.rules.values.parse_geometry_text`.

    :raises InvalidInputError: when it is not such a shape with finite numeric positions in
        range, or is too large.
    """
    if not raw or not raw.strip():
        return None
    try:
        return parse_geometry_text(raw)
    except ValueProblemError as problem:
        message = _(MESSAGES[problem.key], **problem.params)
        raise InvalidInputError(message, {"geometry": message}) from problem


def parse_pcodes(session: Session, raw: str | None) -> list[str] | None:
    """The P-codes of the admin areas ``raw`` gives, each by its P-code or by its name at any
    level, in English or Arabic (separated by commas, semicolons or lines; P-codes also by
    spaces); None when empty.

    :raises InvalidInputError: for a name that no admin area bears, or several do.
    """
    codes: list[str] = []
    names: list[str] = []
    known = known_pcodes(session)
    for item in (t.strip() for t in re.split(r"[,;\u060c\n]+", raw or "")):
        words = item.upper().split()
        if words and all(_is_pcode(w, known) for w in words):
            codes += words
        elif item:
            names.append(item)
    found, unknown, several = find_admin_areas(session, names)
    problems = (
        [_("No admin area is called %(names)s.", names=", ".join(unknown))] if unknown else []
    )
    problems += [
        _(
            "%(name)s names several admin areas (%(codes)s): give the P-code of the one meant.",
            name=name,
            codes=", ".join(codes),
        )
        for name, codes in several.items()
    ]
    if problems:
        message = " ".join(problems)
        raise InvalidInputError(message, {"admin_pcodes": message})
    return list(dict.fromkeys([*codes, *found])) or None


def _is_pcode(word: str, known: set[str]) -> bool:
    return word in known or (
        bool(_PCODE.match(word)) and len(word) <= 20 and any(c.isdigit() for c in word)
    )


def _territory_values(session: Session, data: dict[str, Any]) -> dict[str, Any]:
    """A territory's column values from ``data`` (see :func:`add_territory`).

    :raises InvalidInputError: for a bad shape or P-code, or when both are missing.
    """
    geometry = parse_geometry(data.get("geometry"))
    pcodes = parse_pcodes(session, data.get("admin_pcodes"))
    if geometry is None and pcodes is None:
        message = _("Give admin area P-codes, a shape, or both.")
        raise InvalidInputError(message, {"admin_pcodes": message})
    if not (data.get("name_en") or "").strip():
        message = _("An English name is required.")
        raise InvalidInputError(message, {"name_en": message})
    return {
        "name_en": data["name_en"],
        "name_ar": data.get("name_ar"),
        "geometry": geometry,
        "admin_pcodes": pcodes,
    }


def add_territory(
    session: Session, agreement: Agreement, data: dict[str, Any], *, actor: User
) -> Territory:
    """Add a territory (``name_en``, ``name_ar``, ``admin_pcodes`` text, ``geometry`` GeoJSON
    text) to ``agreement``.

    :raises InvalidInputError: for a bad shape or P-code, or when both are missing.
    """
    territory = Territory(agreement=agreement, **_territory_values(session, data))
    _add_part(session, agreement, territory, actor, "territory", "territories")
    return territory


def update_party(
    session: Session, party: AgreementParty, data: dict[str, Any], *, actor: User
) -> AgreementParty:
    """Change a party's ``role`` and ``note``.

    :raises InvalidInputError: for an unknown role, or a role the actor already holds.
    """
    role = data.get("role")
    errors: dict[str, str] = {}
    if role not in {r.value for r in PartyRole}:
        errors["role"] = _("Choose a role from the list.")
    elif role != party.role and session.scalar(
        select(AgreementParty.id).where(
            AgreementParty.agreement_id == party.agreement_id,
            AgreementParty.actor_id == party.actor_id,
            AgreementParty.role == role,
        )
    ):
        errors["role"] = _("This actor is already a party in this role.")
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)
    before = snapshot(party)
    party.role = str(role)
    party.note = data.get("note")
    record_revision(session, party, user=actor, action="agreement.party.update", before=before)
    _touch(session, party.agreement, actor, "agreement.party.update", "parties")
    return party


def update_provision(
    session: Session, provision: Provision, data: dict[str, Any], *, actor: User
) -> Provision:
    """Change a provision's code, titles, kind, deadline and text.

    :raises InvalidInputError: for a code used by another provision of the agreement, an
        unknown kind or a missing title.
    """
    code = _checked_provision(session, provision.agreement_id, data, other_than=provision.id)
    before = snapshot(provision)
    provision.code = code
    for key in ("title_en", "title_ar", "kind", "deadline", "text"):
        setattr(provision, key, data.get(key))
    record_revision(
        session, provision, user=actor, action="agreement.provision.update", before=before
    )
    _touch(session, provision.agreement, actor, "agreement.provision.update", "provisions")
    return provision


def update_territory(
    session: Session, territory: Territory, data: dict[str, Any], *, actor: User
) -> Territory:
    """Change a territory's names, P-codes and shape (as for :func:`add_territory`).

    :raises InvalidInputError: for a bad shape or P-code, or when both are missing.
    """
    values = _territory_values(session, data)
    before = snapshot(territory)
    for name, value in values.items():
        setattr(territory, name, value)
    record_revision(
        session, territory, user=actor, action="agreement.territory.update", before=before
    )
    _touch(session, territory.agreement, actor, "agreement.territory.update", "territories")
    return territory

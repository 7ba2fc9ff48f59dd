"""Writes of the sources for an agreement's facts (who declared it, when it began): facts about
an agreement are claims too; each citation is written with a revision and an audit event."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Agreement, AgreementSource, Source, Stance, User
from tracker.services.errors import InvalidInputError
from tracker.services.history import record_revision

#: The longest claim a citation states.
CLAIM_LENGTH = 500


def cite_source(
    session: Session, agreement: Agreement, data: dict[str, Any], *, actor: User | None
) -> AgreementSource:
    """Cite a source for a claim about ``agreement``: ``source_id``, ``claim`` (what the source
    says), ``stance`` (supports by default) and ``excerpt``.

    :raises InvalidInputError: for an unknown source, a missing or over-long claim, an unknown
        stance, or a claim the source is already cited for.
    """
    errors: dict[str, str] = {}
    source_id = data.get("source_id")
    source = session.get(Source, source_id) if isinstance(source_id, int) else None
    if source is None:
        errors["source_id"] = _("Choose a source from the list.")
    claim = str(data.get("claim") or "").strip()
    if not claim:
        errors["claim"] = _("Say what the source claims.")
    elif len(claim) > CLAIM_LENGTH:
        errors["claim"] = _("At most %(number)s characters.", number=CLAIM_LENGTH)
    stance = data.get("stance") or Stance.SUPPORTS.value
    if stance not in {s.value for s in Stance}:
        errors["stance"] = _("Choose one of the listed values.")
    if not errors and session.scalar(
        select(AgreementSource.id).where(
            AgreementSource.agreement_id == agreement.id,
            AgreementSource.source_id == source_id,
            AgreementSource.claim == claim,
        )
    ):
        errors["claim"] = _("This source is already cited above.")
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)
    link = AgreementSource(
        agreement_id=agreement.id,
        source_id=source_id,
        claim=claim,
        stance=stance,
        excerpt=(data.get("excerpt") or "").strip() or None,
    )
    session.add(link)
    record_revision(session, link, user=actor, action="agreement.source.add")
    return link

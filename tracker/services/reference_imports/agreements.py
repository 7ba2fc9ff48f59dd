"""The import of PA-X agreements: an agreement per PA-X id, with PA-X's text fields as the claims
of a PA-X source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.imports import pax
from tracker.imports.table import RawRow
from tracker.models import (
    Agreement,
    AgreementSource,
    Source,
    User,
)
from tracker.services.history import record_revision, snapshot
from tracker.services.import_matching import unique_slug
from tracker.services.import_runs import Summary, finish_run, start_run
from tracker.services.reference_imports.rows import checked_rows, without_duplicates
from tracker.services.report_rebuild import rebuild_all

PAX_PUBLISHER = "PA-X Peace Agreements Database, University of Edinburgh"
PAX_URL = "https://www.peaceagreements.org/view/{}"


def import_agreements(
    session: Session,
    path: Path,
    tz: ZoneInfo,
    *,
    user: User | None,
    run_by: str,
    countries: Sequence[str] = (),
    skip_invalid: bool = False,
) -> Summary:
    """Import PA-X agreements: one agreement per PA-X id, created (slug ``pax-ID``) or
    matched by ``agreements.pax_id``; PA-X's text fields become the claims of a PA-X source
    of the agreement. An agreement recorded before keeps its own name and dates (PA-X's are
    kept as claims); one created from PA-X follows PA-X's.

    :raises FileRefusedError: when the file is not PA-X's CSV.
    """
    wanted = {c.casefold() for c in countries}

    def keep(raw: RawRow) -> bool:
        return not wanted or any(c.casefold() in wanted for c in pax.countries(raw))

    items, summary = checked_rows(path, "agreements", pax.REQUIRED, pax.read_row, keep)
    items = without_duplicates(items, "pax_id", "AgtId", summary)
    if summary.rejected and not skip_invalid:
        return summary
    options = {"countries": list(countries), "skip_invalid": skip_invalid}
    start_run(session, summary, options, user, run_by)
    by_pax = {
        a.pax_id: a for a in session.scalars(select(Agreement).where(Agreement.pax_id.isnot(None)))
    }
    slugs = set(session.scalars(select(Agreement.slug)))
    for item in items:
        record = by_pax.get(item.pax_id)
        if record is None:
            record = Agreement(
                slug=unique_slug(f"pax-{item.pax_id}", slugs),
                pax_id=item.pax_id,
                **_agreement_values(item, tz),
            )
            session.add(record)
            record_revision(session, record, user=user, action="agreement.import")
            _claims(session, record, item, user)
            by_pax[item.pax_id] = record
            summary.imported += 1
            continue
        changed = False
        if record.slug.startswith(f"pax-{item.pax_id}"):
            before = snapshot(record)
            for key, value in _agreement_values(item, tz).items():
                if getattr(record, key) != value:
                    setattr(record, key, value)
                    changed = True
            if changed:
                record_revision(
                    session, record, user=user, action="agreement.import", before=before
                )
        changed = _claims(session, record, item, user) or changed
        if changed:
            summary.updated += 1
        else:
            summary.unchanged += 1
    finish_run(session, summary, user)
    if summary.updated:
        rebuild_all(session)  # every agreement may hold what changed
    summary.written = True
    return summary


def _agreement_values(item: pax.PaxAgreement, tz: ZoneInfo) -> dict[str, Any]:
    name = item.name if len(item.name) <= 300 else item.name[:299] + "…"
    start = dt.datetime.combine(item.signed_on, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    return {
        "name_en": name,
        "kind": item.kind,
        "signed_on": item.signed_on,
        "effective_from": start,
        "is_unilateral": item.is_unilateral,
        "text_url": PAX_URL.format(item.pax_id),
    }


def _claims(
    session: Session, agreement: Agreement, item: pax.PaxAgreement, user: User | None
) -> bool:
    session.flush()
    ref = f"pax:{item.pax_id}"
    source = session.scalar(select(Source).where(Source.ref == ref))
    if source is None:
        source = Source(
            ref=ref,
            kind="dataset",
            title=f"PA-X agreement {item.pax_id}: {item.name}"[:500],
            url=PAX_URL.format(item.pax_id),
            publisher=PAX_PUBLISHER,
            reliability="B",
            created_by_id=user.id if user else None,
        )
        session.add(source)
        session.flush()
    existing = {
        link.claim: link
        for link in session.scalars(
            select(AgreementSource).where(
                AgreementSource.agreement_id == agreement.id,
                AgreementSource.source_id == source.id,
            )
        )
    }
    changed = False
    for column, claim in pax.CLAIMS.items():
        text = item.claims.get(column)
        link = existing.get(claim)
        if text is None:
            continue
        if link is None:
            session.add(
                AgreementSource(
                    agreement_id=agreement.id, source_id=source.id, claim=claim, excerpt=text
                )
            )
            changed = True
        elif link.excerpt != text:
            link.excerpt = text
            changed = True
    session.flush()
    return changed

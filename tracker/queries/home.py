"""What the home page tells: per agreement in force, violations lately against the month
before; what waits for review; the user's recent work; the last imports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Agreement, ImportRun, Incident, IncidentVerdict, Status, User
from tracker.rules.applicability import Finding

#: Days shown by each agreement's trend line.
TREND_DAYS = 60


@dataclass(frozen=True)
class AgreementActivity:
    """Violations of one agreement in force: the last 7 and 30 days, the 30 days before, and
    one count per day of the last :data:`TREND_DAYS` days (oldest first)."""

    agreement: Agreement
    last_7: int
    last_30: int
    previous_30: int
    daily: list[int]
    last_violation: dt.date | None = None

    @property
    def change(self) -> int:
        """Violations of the last 30 days minus those of the 30 before."""
        return self.last_30 - self.previous_30


def in_force(session: Session, today: dt.date) -> list[Agreement]:
    """Agreements in force on ``today`` (entered into force, not expired), newest first."""
    moment = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    statement = (
        select(Agreement)
        .where(
            Agreement.effective_from <= moment,
            or_(Agreement.expires_at.is_(None), Agreement.expires_at > moment),
        )
        .order_by(Agreement.effective_from.desc())
    )
    return list(session.scalars(statement))


def activity(
    session: Session, agreements: Iterable[Agreement], today: dt.date, statuses: Iterable[str]
) -> list[AgreementActivity]:
    """Violations per day of each agreement over the last :data:`TREND_DAYS` days, and the day
    of its last violation, counted from the stored verdicts, for incidents in ``statuses``.

    :raises sqlalchemy.exc.SQLAlchemyError: when the database cannot be read."""
    chosen = list(agreements)
    if not chosen:
        return []
    first = today - dt.timedelta(days=TREND_DAYS - 1)
    violations = [
        IncidentVerdict.agreement_id.in_([a.id for a in chosen]),
        IncidentVerdict.finding == int(Finding.INSIDE),
        IncidentVerdict.occurred_on <= today,
        Incident.status.in_(list(statuses)),
    ]
    violations.append(IncidentVerdict.in_report.is_(True))
    rows = session.execute(
        select(IncidentVerdict.agreement_id, IncidentVerdict.occurred_on, func.count())
        .join(Incident, Incident.id == IncidentVerdict.incident_id)
        .where(*violations, IncidentVerdict.occurred_on >= first)
        .group_by(IncidentVerdict.agreement_id, IncidentVerdict.occurred_on)
    )
    latest = dict(
        session.execute(
            select(IncidentVerdict.agreement_id, func.max(IncidentVerdict.occurred_on))
            .join(Incident, Incident.id == IncidentVerdict.incident_id)
            .where(*violations)
            .group_by(IncidentVerdict.agreement_id)
        ).all()
    )
    per_day: dict[int, dict[dt.date, int]] = {a.id: {} for a in chosen}
    for agreement_id, day, count in rows:
        per_day[agreement_id][day] = int(count)
    result = []
    for agreement in chosen:
        daily = [
            per_day[agreement.id].get(first + dt.timedelta(days=n), 0) for n in range(TREND_DAYS)
        ]
        result.append(
            AgreementActivity(
                agreement=agreement,
                last_7=sum(daily[-7:]),
                last_30=sum(daily[-30:]),
                previous_30=sum(daily[-60:-30]),
                daily=daily,
                last_violation=latest.get(agreement.id),
            )
        )
    return result


def waiting_for_review(session: Session) -> int:
    """How many incidents are submitted and wait for a reviewer."""
    return int(session.scalar(select(func.count()).where(Incident.status == Status.SUBMITTED)) or 0)


def recent_work(session: Session, user: User, limit: int = 8) -> list[Incident]:
    """The incidents ``user`` entered or changed last, newest first."""
    statement = (
        select(Incident)
        .where(or_(Incident.created_by_id == user.id, Incident.updated_by_id == user.id))
        .options(selectinload(Incident.place))
        .order_by(Incident.updated_at.desc(), Incident.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def last_imports(session: Session, limit: int = 5) -> list[ImportRun]:
    """The last imports, newest first (import runs are internal: callers show them to the
    staff only)."""
    statement = select(ImportRun).order_by(ImportRun.created_at.desc(), ImportRun.id.desc())
    return list(session.scalars(statement.limit(limit)))

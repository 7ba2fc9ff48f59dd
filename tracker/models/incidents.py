"""Incidents: reported violations with dated precision, place, attribution, counts, casualties."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.actors import Actor
from tracker.models.agreements import Agreement, Provision
from tracker.models.base import (
    Base,
    created_at,
    enum_check,
    internal,
    intpk,
    non_negative,
    public,
    updated_at,
)
from tracker.models.places import Place
from tracker.models.sources import IncidentSource
from tracker.rules.names import search_key


class DatePrecision(enum.StrEnum):
    TIME = "time"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class LocationPrecision(enum.StrEnum):
    EXACT = "exact"  # the named place itself (ACLED geo_precision 1)
    NEAR = "near"  # near the named place, in its area (ACLED 2)
    ADMIN3 = "admin3"  # only the sub-district is known (ACLED 3)
    ADMIN2 = "admin2"  # only the district is known
    ADMIN1 = "admin1"  # only the governorate is known


class Confidence(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Category(enum.StrEnum):
    AIR_STRIKE = "air_strike"
    SHELLING = "shelling"
    ROCKET_ATTACK = "rocket_attack"
    GROUND_ASSAULT = "ground_assault"
    DRONE_STRIKE = "drone_strike"
    SNIPER_FIRE = "sniper_fire"
    HEAVY_WEAPONS_IN_ZONE = "heavy_weapons_in_zone"
    TROOP_BUILD_UP = "troop_build_up"
    ATTACK_ON_MONITORING_POST = "attack_on_monitoring_post"
    OTHER = "other"


#: Categories that are breaches without being attacks.
NON_ATTACK_CATEGORIES = frozenset({Category.HEAVY_WEAPONS_IN_ZONE, Category.TROOP_BUILD_UP})


class CountQualifier(enum.StrEnum):
    EXACT = "exact"
    ABOUT = "about"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"


class FigureQualifier(enum.StrEnum):
    """How a casualty figure was reported: exactly, roughly, as a minimum or as a maximum."""

    EXACT = "exact"
    ABOUT = "about"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    REJECTED = "rejected"
    RETRACTED = "retracted"


CASUALTY_GROUPS = ("civilians_killed", "civilians_injured", "combatants_killed")


def _casualty_checks() -> list[CheckConstraint]:
    checks: list[CheckConstraint] = []
    for group in CASUALTY_GROUPS:
        checks.append(enum_check(f"{group}_qualifier", FigureQualifier))
        low, best, high = f"{group}_low", f"{group}_best", f"{group}_high"
        checks += [non_negative(low), non_negative(best), non_negative(high)]
        checks.append(
            CheckConstraint(
                f"({low} IS NULL OR {best} IS NULL OR {low} <= {best}) AND "
                f"({best} IS NULL OR {high} IS NULL OR {best} <= {high}) AND "
                f"({low} IS NULL OR {high} IS NULL OR {low} <= {high})",
                name=f"{group}_ordered",
            )
        )
    return checks


incident_provisions = Table(
    "incident_provisions",
    Base.metadata,
    Column(
        "incident_id",
        ForeignKey("incidents.id", ondelete="RESTRICT"),
        primary_key=True,
        info=public(),
    ),
    Column(
        "provision_id",
        ForeignKey("provisions.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
        info=public(),
    ),
)


class Incident(Base):
    __tablename__ = "incidents"
    __table_args__ = (
        enum_check("date_precision", DatePrecision),
        enum_check("location_precision", LocationPrecision),
        enum_check("perpetrator_confidence", Confidence),
        enum_check("category", Category),
        enum_check("count_qualifier", CountQualifier),
        enum_check("status", Status),
        CheckConstraint("occurred_end >= occurred_start", name="end_not_before_start"),
        non_negative("event_count"),
        non_negative("count_period_hours"),
        *_casualty_checks(),
        Index(
            "ix_incidents_alleged_agreement_id_occurred_on",
            "alleged_agreement_id",
            "occurred_on",
            "id",
        ),
        Index("ix_incidents_occurred_on_id", "occurred_on", "id"),
        #: A place's incidents by day and category: the likely duplicates of an incident page.
        Index("ix_incidents_place_id_occurred_on", "place_id", "occurred_on", "category"),
    )

    id: Mapped[intpk] = mapped_column(info=public())
    ref: Mapped[str | None] = mapped_column(String(120), unique=True, info=public())
    #: The agreement an analyst or a source names; the incident is judged against every
    #: agreement it may fall under (:class:`tracker.models.IncidentVerdict`), this one included.
    alleged_agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), info=public()
    )
    occurred_start: Mapped[dt.datetime] = mapped_column(info=public())
    occurred_end: Mapped[dt.datetime] = mapped_column(info=public())
    occurred_on: Mapped[dt.date] = mapped_column(Date, info=public())
    date_precision: Mapped[str] = mapped_column(String(10), info=public())
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="RESTRICT"), info=public()
    )
    location_precision: Mapped[str] = mapped_column(
        String(10), default=LocationPrecision.EXACT, info=public()
    )
    perpetrator_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="RESTRICT"), index=True, info=public()
    )
    perpetrator_confidence: Mapped[str | None] = mapped_column(String(10), info=public())
    target_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="RESTRICT"), index=True, info=public()
    )
    category: Mapped[str] = mapped_column(String(30), info=public())
    weapon: Mapped[str | None] = mapped_column(String(200), info=public())
    event_count: Mapped[int | None] = mapped_column(Integer, info=public())
    count_qualifier: Mapped[str] = mapped_column(
        String(10), default=CountQualifier.EXACT, info=public()
    )
    count_period_hours: Mapped[int | None] = mapped_column(Integer, info=public())
    civilians_killed_low: Mapped[int | None] = mapped_column(Integer, info=public())
    civilians_killed_best: Mapped[int | None] = mapped_column(Integer, info=public())
    civilians_killed_high: Mapped[int | None] = mapped_column(Integer, info=public())
    civilians_injured_low: Mapped[int | None] = mapped_column(Integer, info=public())
    civilians_injured_best: Mapped[int | None] = mapped_column(Integer, info=public())
    civilians_injured_high: Mapped[int | None] = mapped_column(Integer, info=public())
    combatants_killed_low: Mapped[int | None] = mapped_column(Integer, info=public())
    combatants_killed_best: Mapped[int | None] = mapped_column(Integer, info=public())
    combatants_killed_high: Mapped[int | None] = mapped_column(Integer, info=public())
    civilians_killed_qualifier: Mapped[str] = mapped_column(
        String(10), default=FigureQualifier.EXACT, info=public()
    )
    civilians_injured_qualifier: Mapped[str] = mapped_column(
        String(10), default=FigureQualifier.EXACT, info=public()
    )
    combatants_killed_qualifier: Mapped[str] = mapped_column(
        String(10), default=FigureQualifier.EXACT, info=public()
    )
    description_en: Mapped[str | None] = mapped_column(Text, info=public())
    description_ar: Mapped[str | None] = mapped_column(Text, info=public())
    claimed_justification: Mapped[str | None] = mapped_column(Text, info=public())
    claimed_target_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="RESTRICT"), info=public()
    )
    status: Mapped[str] = mapped_column(String(10), default=Status.DRAFT, index=True, info=public())
    status_reason: Mapped[str | None] = mapped_column(Text, info=internal())
    search_key: Mapped[str] = mapped_column(Text, default="", info=public())
    version: Mapped[int] = mapped_column(Integer, default=1, info=public())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), info=internal()
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), info=internal()
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), info=internal()
    )
    created_at: Mapped[created_at] = mapped_column(info=public())
    updated_at: Mapped[updated_at] = mapped_column(info=public())

    alleged_agreement: Mapped[Agreement | None] = relationship()
    place: Mapped[Place | None] = relationship()
    perpetrator: Mapped[Actor | None] = relationship(foreign_keys=[perpetrator_id])
    target_actor: Mapped[Actor | None] = relationship(foreign_keys=[target_actor_id])
    claimed_target: Mapped[Actor | None] = relationship(foreign_keys=[claimed_target_id])
    provisions: Mapped[list[Provision]] = relationship(
        secondary=incident_provisions, order_by="Provision.code"
    )
    source_links: Mapped[list[IncidentSource]] = relationship(order_by="IncidentSource.id")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<Incident {self.id} {self.ref or ''}>"


@event.listens_for(Incident, "before_insert")
@event.listens_for(Incident, "before_update")
def _refresh_search_key(_mapper: object, _connection: object, target: Incident) -> None:
    target.search_key = search_key(
        [target.ref, target.description_en, target.description_ar, target.weapon]
    )

"""Agreements, their parties with roles, provisions with deadlines, territories and sources."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.actors import Actor
from tracker.models.base import Base, created_at, enum_check, intpk, public, updated_at


class AgreementKind(enum.StrEnum):
    CEASEFIRE = "ceasefire"
    TRUCE = "truce"
    DE_ESCALATION_ZONE = "de_escalation_zone"
    DEMILITARIZED_ZONE = "demilitarized_zone"
    HUMANITARIAN_PAUSE = "humanitarian_pause"
    EVACUATION_DEAL = "evacuation_deal"


class PartyRole(enum.StrEnum):
    SIGNATORY = "signatory"
    GUARANTOR = "guarantor"
    BOUND = "bound"
    EXCLUDED = "excluded"
    OBSERVER = "observer"
    NOT_NOTIFIED = "not_notified"
    REJECTED = "rejected"


#: Roles whose holders the agreement obliges to keep its terms.
BINDING_ROLES = frozenset({PartyRole.SIGNATORY, PartyRole.GUARANTOR, PartyRole.BOUND})


class ProvisionKind(enum.StrEnum):
    CEASE_FIRE = "cease_fire"
    HEAVY_WEAPONS_WITHDRAWAL = "heavy_weapons_withdrawal"
    FORCE_WITHDRAWAL = "force_withdrawal"
    PATROLS = "patrols"
    ROAD_ACCESS = "road_access"
    MONITORING = "monitoring"
    HUMANITARIAN = "humanitarian"
    OTHER = "other"


class Agreement(Base):
    __tablename__ = "agreements"
    __table_args__ = (
        enum_check("kind", AgreementKind),
        CheckConstraint(
            "expires_at IS NULL OR expires_at > effective_from", name="expiry_after_entry"
        ),
    )

    id: Mapped[intpk] = mapped_column(info=public())
    slug: Mapped[str] = mapped_column(String(120), unique=True, info=public())
    kind: Mapped[str] = mapped_column(String(30), info=public())
    name_en: Mapped[str] = mapped_column(String(300), info=public())
    name_ar: Mapped[str | None] = mapped_column(String(300), info=public())
    signed_on: Mapped[dt.date | None] = mapped_column(Date, info=public())
    effective_from: Mapped[dt.datetime] = mapped_column(info=public())
    expires_at: Mapped[dt.datetime | None] = mapped_column(info=public())
    is_unilateral: Mapped[bool] = mapped_column(Boolean, default=False, info=public())
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), index=True, info=public()
    )
    summary_en: Mapped[str | None] = mapped_column(Text, info=public())
    summary_ar: Mapped[str | None] = mapped_column(Text, info=public())
    text_url: Mapped[str | None] = mapped_column(String(1000), info=public())
    pax_id: Mapped[int | None] = mapped_column(Integer, info=public())
    version: Mapped[int] = mapped_column(Integer, default=1, info=public())
    created_at: Mapped[created_at] = mapped_column(info=public())
    updated_at: Mapped[updated_at] = mapped_column(info=public())

    parent: Mapped[Agreement | None] = relationship(remote_side="Agreement.id")
    parties: Mapped[list[AgreementParty]] = relationship(
        back_populates="agreement", order_by="AgreementParty.id"
    )
    provisions: Mapped[list[Provision]] = relationship(
        back_populates="agreement", order_by="Provision.code"
    )
    territories: Mapped[list[Territory]] = relationship(
        back_populates="agreement", order_by="Territory.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<Agreement {self.slug}>"


class AgreementParty(Base):
    __tablename__ = "agreement_parties"
    __table_args__ = (
        enum_check("role", PartyRole),
        UniqueConstraint("agreement_id", "actor_id", "role"),
    )

    id: Mapped[intpk] = mapped_column(info=public())
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), info=public()
    )
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete="RESTRICT"), index=True, info=public()
    )
    role: Mapped[str] = mapped_column(String(20), info=public())
    note: Mapped[str | None] = mapped_column(Text, info=public())

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    actor: Mapped[Actor] = relationship()


class Provision(Base):
    __tablename__ = "provisions"
    __table_args__ = (
        enum_check("kind", ProvisionKind),
        UniqueConstraint("agreement_id", "code"),
    )

    id: Mapped[intpk] = mapped_column(info=public())
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), info=public()
    )
    code: Mapped[str] = mapped_column(String(40), info=public())
    title_en: Mapped[str] = mapped_column(String(300), info=public())
    title_ar: Mapped[str | None] = mapped_column(String(300), info=public())
    text: Mapped[str | None] = mapped_column(Text, info=public())
    kind: Mapped[str] = mapped_column(String(30), info=public())
    deadline: Mapped[dt.datetime | None] = mapped_column(info=public())

    agreement: Mapped[Agreement] = relationship(back_populates="provisions")


class Territory(Base):
    """Where an agreement applies: a GeoJSON geometry, a list of admin-area P-codes, or both."""

    __tablename__ = "territories"
    __table_args__ = (
        CheckConstraint(
            "geometry IS NOT NULL OR admin_pcodes IS NOT NULL", name="shape_or_admin_areas"
        ),
    )

    id: Mapped[intpk] = mapped_column(info=public())
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), index=True, info=public()
    )
    name_en: Mapped[str] = mapped_column(String(300), info=public())
    name_ar: Mapped[str | None] = mapped_column(String(300), info=public())
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON, info=public())
    admin_pcodes: Mapped[list[str] | None] = mapped_column(JSON, info=public())

    agreement: Mapped[Agreement] = relationship(back_populates="territories")

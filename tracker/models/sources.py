"""Sources with Admiralty reliability grades, and their links to incidents and agreements."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.actors import Actor
from tracker.models.base import (
    Base,
    created_at,
    enum_check,
    internal,
    intpk,
    public,
    range_check,
    updated_at,
)


class SourceKind(enum.StrEnum):
    NEWS_ARTICLE = "news_article"
    SOCIAL_MEDIA_POST = "social_media_post"
    NGO_REPORT = "ngo_report"
    OFFICIAL_STATEMENT = "official_statement"
    WITNESS = "witness"
    MONITORING_REPORT = "monitoring_report"
    DATASET = "dataset"


class Reliability(enum.StrEnum):
    """Admiralty code: reliability of the source."""

    A = "A"  # completely reliable
    B = "B"  # usually reliable
    C = "C"  # fairly reliable
    D = "D"  # not usually reliable
    E = "E"  # unreliable
    F = "F"  # reliability cannot be judged


class Stance(enum.StrEnum):
    SUPPORTS = "supports"
    DENIES = "denies"
    MENTIONS = "mentions"


class RecordState(enum.StrEnum):
    ACTIVE = "active"
    RETRACTED = "retracted"


class Publisher(Base):
    """An outlet or organisation that publishes sources, with the other names it goes by
    ("Sasa Post", "ساسة بوست"): sources of one publisher are one origin, not independent."""

    __tablename__ = "publishers"

    id: Mapped[intpk] = mapped_column(info=public())
    name: Mapped[str] = mapped_column(String(300), unique=True, info=public())
    aliases: Mapped[list[str] | None] = mapped_column(JSON, info=public())
    created_at: Mapped[created_at] = mapped_column(info=public())

    def __repr__(self) -> str:
        return f"<Publisher {self.id} {self.name!r}>"


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (
        enum_check("kind", SourceKind),
        enum_check("reliability", Reliability),
        enum_check("state", RecordState),
        CheckConstraint(
            "content_sha256 IS NULL OR length(content_sha256) = 64", name="sha256_length"
        ),
        CheckConstraint("carried_by_id IS NULL OR carried_by_id <> id", name="not_carried_by_self"),
    )

    id: Mapped[intpk] = mapped_column(info=public())
    ref: Mapped[str | None] = mapped_column(String(120), unique=True, info=public())
    kind: Mapped[str] = mapped_column(String(30), info=public())
    title: Mapped[str] = mapped_column(String(500), info=public())
    url: Mapped[str | None] = mapped_column(String(2000), info=public())
    #: the publisher's name as the source prints it
    publisher: Mapped[str | None] = mapped_column(String(300), info=public())
    #: the publisher as one entity (its aliases included), found from ``publisher``
    publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("publishers.id", ondelete="RESTRICT"), index=True, info=public()
    )
    #: the source that printed this one (a quote carried by an article): not independent of it
    carried_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True, info=public()
    )
    author: Mapped[str | None] = mapped_column(String(300), info=public())
    language: Mapped[str | None] = mapped_column(String(10), info=public())
    published_at: Mapped[dt.datetime | None] = mapped_column(info=public())
    accessed_at: Mapped[dt.datetime | None] = mapped_column(info=public())
    archive_url: Mapped[str | None] = mapped_column(String(2000), info=public())
    content_sha256: Mapped[str | None] = mapped_column(String(64), info=public())
    reliability: Mapped[str] = mapped_column(String(1), default=Reliability.F, info=public())
    is_confidential: Mapped[bool] = mapped_column(Boolean, default=False, info=public())
    notes: Mapped[str | None] = mapped_column(Text, info=internal())
    state: Mapped[str] = mapped_column(String(10), default=RecordState.ACTIVE, info=public())
    retraction_reason: Mapped[str | None] = mapped_column(Text, info=internal())
    version: Mapped[int] = mapped_column(Integer, default=1, info=public())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), info=internal()
    )
    created_at: Mapped[created_at] = mapped_column(info=public())
    updated_at: Mapped[updated_at] = mapped_column(info=public())

    publisher_entity: Mapped[Publisher | None] = relationship()
    carried_by: Mapped[Source | None] = relationship(remote_side="Source.id")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<Source {self.id} {self.title[:30]!r}>"


class IncidentSource(Base):
    """What one source says of one incident: its credibility, whom it blames, an excerpt."""

    __tablename__ = "incident_sources"
    __table_args__ = (
        UniqueConstraint("incident_id", "source_id"),
        range_check("credibility", 1, 6),
        enum_check("stance", Stance),
        enum_check("state", RecordState),
    )

    id: Mapped[intpk] = mapped_column(info=public())
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), info=public()
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True, info=public()
    )
    credibility: Mapped[int] = mapped_column(Integer, default=6, info=public())
    blames_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="RESTRICT"), index=True, info=public()
    )
    stance: Mapped[str] = mapped_column(String(10), default=Stance.SUPPORTS, info=public())
    excerpt: Mapped[str | None] = mapped_column(Text, info=public())
    state: Mapped[str] = mapped_column(String(10), default=RecordState.ACTIVE, info=public())
    created_at: Mapped[created_at] = mapped_column(info=public())

    source: Mapped[Source] = relationship()
    blames_actor: Mapped[Actor | None] = relationship()


class AgreementSource(Base):
    """A source for a fact about an agreement (who declared it, when it began): facts are claims."""

    __tablename__ = "agreement_sources"
    __table_args__ = (
        UniqueConstraint("agreement_id", "source_id", "claim"),
        enum_check("stance", Stance),
    )

    id: Mapped[intpk] = mapped_column(info=public())
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), info=public()
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True, info=public()
    )
    claim: Mapped[str] = mapped_column(String(500), info=public())
    stance: Mapped[str] = mapped_column(String(10), default=Stance.SUPPORTS, info=public())
    excerpt: Mapped[str | None] = mapped_column(Text, info=public())

    source: Mapped[Source] = relationship()

"""Actors: states, their forces, militias, armed and designated groups, operations rooms."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, created_at, enum_check, intpk, public
from tracker.rules.names import search_key


class ActorKind(enum.StrEnum):
    STATE = "state"
    STATE_FORCE = "state_force"
    FOREIGN_STATE_FORCE = "foreign_state_force"
    MILITIA = "militia"
    ARMED_GROUP = "armed_group"
    DESIGNATED_GROUP = "designated_group"
    OPERATIONS_ROOM = "operations_room"
    MONITOR = "monitor"
    CIVILIANS = "civilians"
    OTHER = "other"


class Actor(Base):
    __tablename__ = "actors"
    __table_args__ = (enum_check("kind", ActorKind),)

    id: Mapped[intpk] = mapped_column(info=public())
    slug: Mapped[str] = mapped_column(String(120), unique=True, info=public())
    name_en: Mapped[str] = mapped_column(String(300), info=public())
    name_ar: Mapped[str | None] = mapped_column(String(300), info=public())
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list, info=public())
    kind: Mapped[str] = mapped_column(String(30), info=public())
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="RESTRICT"), index=True, info=public()
    )
    country: Mapped[str | None] = mapped_column(String(2), info=public())
    search_key: Mapped[str] = mapped_column(Text, default="", info=public())
    created_at: Mapped[created_at] = mapped_column(info=public())

    parent: Mapped[Actor | None] = relationship(remote_side="Actor.id", back_populates="members")
    #: The factions of an operations room or coalition, the units of a state's forces.
    members: Mapped[list[Actor]] = relationship(back_populates="parent", order_by="Actor.slug")

    def ancestry(self) -> list[Actor]:
        """This actor and its parents, nearest first (cycles are cut)."""
        chain: list[Actor] = []
        node: Actor | None = self
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain

    def __repr__(self) -> str:
        return f"<Actor {self.slug}>"


@event.listens_for(Actor, "before_insert")
@event.listens_for(Actor, "before_update")
def _refresh_search_key(_mapper: object, _connection: object, target: Actor) -> None:
    target.search_key = search_key([target.name_en, target.name_ar, *(target.aliases or [])])

"""The gazetteer: places with names in both languages, admin areas, P-codes and coordinates."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, CheckConstraint, Float, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, created_at, enum_check, intpk, public, range_check
from tracker.rules.names import search_key


class PlaceKind(enum.StrEnum):
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    BASE = "base"
    AIRPORT = "airport"
    HILL = "hill"
    MOUNTAIN = "mountain"
    ROAD = "road"
    MONITORING_POST = "monitoring_post"
    AREA = "area"
    OTHER = "other"


class Place(Base):
    __tablename__ = "places"
    __table_args__ = (
        enum_check("kind", PlaceKind),
        range_check("latitude", -90, 90),
        range_check("longitude", -180, 180),
        CheckConstraint(
            "(latitude IS NULL) = (longitude IS NULL)", name="coordinates_both_or_neither"
        ),
        #: The places inside a box: those near an incident's place.
        Index("ix_places_latitude_longitude", "latitude", "longitude"),
    )

    id: Mapped[intpk] = mapped_column(info=public())
    slug: Mapped[str] = mapped_column(String(120), unique=True, info=public())
    name_en: Mapped[str] = mapped_column(String(300), info=public())
    name_ar: Mapped[str | None] = mapped_column(String(300), info=public())
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list, info=public())
    kind: Mapped[str] = mapped_column(String(30), info=public())
    pcode: Mapped[str | None] = mapped_column(String(20), unique=True, info=public())
    admin1_name: Mapped[str | None] = mapped_column(String(120), info=public())
    admin1_pcode: Mapped[str | None] = mapped_column(String(20), index=True, info=public())
    admin2_name: Mapped[str | None] = mapped_column(String(120), info=public())
    admin2_pcode: Mapped[str | None] = mapped_column(String(20), index=True, info=public())
    admin3_name: Mapped[str | None] = mapped_column(String(120), info=public())
    admin3_pcode: Mapped[str | None] = mapped_column(String(20), index=True, info=public())
    latitude: Mapped[float | None] = mapped_column(Float, info=public())
    longitude: Mapped[float | None] = mapped_column(Float, info=public())
    search_key: Mapped[str] = mapped_column(Text, default="", info=public())
    created_at: Mapped[created_at] = mapped_column(info=public())

    @property
    def admin_pcodes(self) -> set[str]:
        """The P-codes of the place and of the admin areas that contain it."""
        codes = (self.pcode, self.admin1_pcode, self.admin2_pcode, self.admin3_pcode)
        return {c for c in codes if c}

    def __repr__(self) -> str:
        return f"<Place {self.slug}>"


@event.listens_for(Place, "before_insert")
@event.listens_for(Place, "before_update")
def _refresh_search_key(_mapper: object, _connection: object, target: Place) -> None:
    target.search_key = search_key([target.name_en, target.name_ar, *(target.aliases or [])])

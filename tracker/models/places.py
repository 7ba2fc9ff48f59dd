"""The gazetteer: places with names in both languages, admin areas, P-codes and coordinates."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, CheckConstraint, Float, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, created_at, enum_check, intpk, range_check
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
    )

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_ar: Mapped[str | None] = mapped_column(String(300))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(30))
    pcode: Mapped[str | None] = mapped_column(String(20), unique=True)
    admin1_name: Mapped[str | None] = mapped_column(String(120))
    admin1_pcode: Mapped[str | None] = mapped_column(String(20), index=True)
    admin2_name: Mapped[str | None] = mapped_column(String(120))
    admin2_pcode: Mapped[str | None] = mapped_column(String(20), index=True)
    admin3_name: Mapped[str | None] = mapped_column(String(120))
    admin3_pcode: Mapped[str | None] = mapped_column(String(20), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    search_key: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]

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

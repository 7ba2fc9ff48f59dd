"""A map's offline base layer, read from the database: the admin boundaries around what the
map shows (simplified to its scale), the admin areas a territory is given as, and where no
boundaries are loaded the gazetteer's own places."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from sqlalchemy.orm import Session

from tracker.maps.frame import Frame, fit
from tracker.maps.marks import Labels
from tracker.queries.boundaries import (
    Area,
    BoundaryIndex,
    PlacePoint,
    Ring,
    boundary_index,
    outlines,
    places_within,
    scale_tolerance,
)
from tracker.svg import attrs, fmt

#: A level of admin areas is drawn when at most this many of its areas meet the picture.
LEVEL_AREA_LIMIT = 80
#: The most gazetteer places a base map draws, and the most of them it names.
PLACE_POINT_LIMIT = 300
PLACE_NAME_LIMIT = 15
#: The most area names written on a map.
AREA_NAME_LIMIT = 40


@dataclass(frozen=True)
class Outline:
    area: Area
    rings: list[Ring]


@dataclass
class BaseMap:
    """What a map draws under its marks, in the frame it was chosen for."""

    frame: Frame
    language: str = "en"
    #: admin areas drawn as lines, coarsest level first; the finest level drawn is named
    areas: list[Outline] = field(default_factory=list)
    named_level: int | None = None
    #: the admin areas a territory is given as, by territory name
    territory_areas: dict[str, list[Outline]] = field(default_factory=dict)
    places: list[PlacePoint] = field(default_factory=list)


def base_map(
    session: Session,
    points: Iterable[tuple[float, float]],
    territory_pcodes: Sequence[tuple[str, Sequence[str]]],
    *,
    width: int,
    height: int,
    language: str,
) -> BaseMap | None:
    """The base layer of a map that must show ``points`` (longitude, latitude) and the admin
    areas of each (territory name, P-codes); None when there is nothing to show."""
    index = boundary_index(session)
    wanted = [
        (name, [index.areas[c] for c in codes if c in index.areas])
        for name, codes in territory_pcodes
    ]
    corners = [pt for _name, areas in wanted for a in areas for pt in _corners(a)]
    frame = fit([*points, *corners], width, height)
    if frame is None:
        return None
    return layer(session, index, frame, language, wanted)


def layer(
    session: Session,
    index: BoundaryIndex,
    frame: Frame,
    language: str,
    territories: Sequence[tuple[str, Sequence[Area]]] = (),
) -> BaseMap:
    """The base layer of ``frame``: the admin boundaries of the finest level that keeps the
    picture legible, with the coarser ones over it, and the gazetteer's places."""
    tolerance = scale_tolerance(frame.degrees_per_pixel)
    base = BaseMap(frame=frame, language=language)
    drawn: list[Area] = []
    for level in index.levels:
        found = index.within(frame.box, level)
        if drawn and len(found) > LEVEL_AREA_LIMIT:
            break
        drawn += found
        base.named_level = level
    shapes = outlines(
        session,
        index,
        [a.pcode for a in drawn] + [a.pcode for _n, areas in territories for a in areas],
        tolerance,
    )
    base.areas = [Outline(a, shapes.get(a.pcode, [])) for a in sorted(drawn, key=lambda a: a.level)]
    base.territory_areas = {
        name: [Outline(a, shapes.get(a.pcode, [])) for a in areas] for name, areas in territories
    }
    base.places = places_within(session, frame.box, limit=PLACE_POINT_LIMIT)
    return base


def _corners(area: Area) -> list[tuple[float, float]]:
    west, south, east, north = area.box
    return [(west, south), (east, north)]


def draw_areas(base: BaseMap) -> list[str]:
    """The admin boundaries as lines, coarser levels heavier, each with its name as a tooltip."""
    finest = max((o.area.level for o in base.areas), default=0)
    parts = []
    for outline in base.areas:
        if not outline.rings:
            continue
        heavy = outline.area.level < finest
        parts.append(
            f'<path class="admin-area level-{outline.area.level:d}" '
            f'd="{base.frame.path(outline.rings)}" fill="none" '
            f'stroke="{"#8a8170" if heavy else "#b9b09d"}" '
            f'stroke-width="{"1.2" if heavy else "0.6"}" {attrs(data_pcode=outline.area.pcode)}>'
            f"<title>{escape(outline.area.name(base.language))}</title></path>"
        )
    return parts


def draw_territory_areas(base: BaseMap, shown: Callable[[str], str]) -> list[str]:
    """The admin areas a territory is given as, filled as the territory is; the tooltip names
    the territory and the area (``shown`` gives the territory's name in the page's language)."""
    parts = []
    for name, outlines_of in base.territory_areas.items():
        for outline in outlines_of:
            if not outline.rings:
                continue
            title = f"{shown(name)}: {outline.area.name(base.language)}"
            parts.append(
                f'<path class="territory territory-area" d="{base.frame.path(outline.rings)}" '
                f'fill="#9ecae1" fill-opacity="0.35" stroke="#3182bd" fill-rule="evenodd" '
                f"{attrs(data_pcode=outline.area.pcode)}><title>{escape(title)}</title></path>"
            )
    return parts


def draw_places(base: BaseMap) -> list[str]:
    """The gazetteer's places as small grey points."""
    parts = []
    for place in base.places:
        x, y = base.frame.project(place.longitude, place.latitude)
        name = (place.name_ar if base.language == "ar" else None) or place.name_en
        parts.append(
            f'<circle class="place-point" {attrs(cx=fmt(x), cy=fmt(y))} r="1.6" fill="#7a7468">'
            f"<title>{escape(name)}</title></circle>"
        )
    return parts


def name_base(base: BaseMap, labels: Labels) -> None:
    """Names of the territory's areas, then of the finest admin areas drawn, then of places,
    wherever each finds room."""
    language = base.language
    for outlines_of in base.territory_areas.values():
        for outline in outlines_of:
            x, y = base.frame.project(*outline.area.label_at)
            labels.add(
                x, y, outline.area.name(language), "territory-name", fill="#1f4e79", centred=True
            )
    named = 0
    for outline in base.areas:
        if named >= AREA_NAME_LIMIT or outline.area.level != base.named_level:
            continue
        x, y = base.frame.project(*outline.area.label_at)
        named += labels.add(
            x,
            y,
            outline.area.name(language),
            "area-name",
            size=9,
            fill="#6b6457",
            centred=True,
            once=True,
        )
    named = 0
    for place in base.places:
        if named >= PLACE_NAME_LIMIT:
            break
        x, y = base.frame.project(place.longitude, place.latitude)
        name = (place.name_ar if language == "ar" else None) or place.name_en
        named += labels.add(x, y, name, "base-place-name", size=9, fill="#4d483f", once=True)

"""Where a map's picture lies on the Earth: a Web Mercator frame fitted to what it must show,
its projection and inverse, and the map tiles under it when a tile server is configured."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from tracker.queries.boundaries import Box
from tracker.svg import attrs, fmt

#: The margin around what a map must show, in degrees.
PAD_DEGREES = 0.1


_QUARTER_TURN = math.pi / 4


@lru_cache(maxsize=65_536)
def mercator_y(lat: float) -> float:
    """Web Mercator's northing of a latitude, in degrees (as longitude is); remembered, as a
    report's map projects the same few thousand places at every request."""
    if lat > 85.0:
        lat = 85.0
    elif lat < -85.0:
        lat = -85.0
    return math.degrees(math.log(math.tan(_QUARTER_TURN + math.radians(lat) / 2)))


def latitude_of(merc: float) -> float:
    """The latitude of a Web Mercator northing in degrees (inverse of :func:`mercator_y`)."""
    return math.degrees(2 * math.atan(math.exp(math.radians(merc))) - math.pi / 2)


@dataclass(frozen=True)
class Frame:
    """A picture of ``width`` x ``height`` pixels: x = (lon - west) * scale and
    y = (north - mercator_y(lat)) * scale, where ``north`` is a northing."""

    west: float
    north: float
    scale: float
    width: int
    height: int

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.scale, (self.north - mercator_y(lat)) * self.scale

    @property
    def box(self) -> Box:
        """The part of the Earth the picture shows (west, south, east, north in degrees)."""
        south = latitude_of(self.north - self.height / self.scale)
        return self.west, south, self.west + self.width / self.scale, latitude_of(self.north)

    @property
    def degrees_per_pixel(self) -> float:
        return 1 / self.scale

    def data_attributes(self) -> str:
        """The frame in ``data-`` attributes, for a script that turns a click into a point."""
        return attrs(
            data_west=f"{self.west:.6f}", data_north=f"{self.north:.6f}", data_scale=self.scale
        )

    def path(self, rings: Iterable[Iterable[tuple[float, float]]]) -> str:
        """An SVG path's ``d`` of rings of (longitude, latitude)."""
        return " ".join(
            "M "
            + " L ".join(f"{fmt(x)} {fmt(y)}" for x, y in (self.project(*pt) for pt in ring))
            + " Z"
            for ring in rings
        )


def fit(points: Iterable[tuple[float, float]], width: int, height: int) -> Frame | None:
    """The frame that shows every (longitude, latitude) of ``points``, centred, with a margin
    of :data:`PAD_DEGREES`; None when there is no point."""
    lons, ys = [], []
    for lon, lat in points:
        lons.append(lon)
        ys.append(mercator_y(lat))
    if not lons:
        return None
    x0, x1 = min(lons) - PAD_DEGREES, max(lons) + PAD_DEGREES
    y0, y1 = min(ys) - PAD_DEGREES, max(ys) + PAD_DEGREES
    scale = min(width / (x1 - x0), height / (y1 - y0))
    west = x0 - (width / scale - (x1 - x0)) / 2
    north = y1 + (height / scale - (y1 - y0)) / 2
    return Frame(west, north, scale, width, height)


def tiles(template: str, frame: Frame) -> list[str]:
    """``<image>`` elements of the map tiles under the picture, at the zoom closest to the
    picture's scale, from ``template`` (``{z}``, ``{x}`` and ``{y}`` replaced)."""
    west, south, east, north = frame.box
    zoom = max(0, min(18, round(math.log2(frame.scale * 360 / 256))))
    n = float(2**zoom)

    def tile_x(lon: float) -> int:
        return int((lon + 180) / 360 * n)

    def tile_y(lat: float) -> int:
        return int((1 - math.radians(mercator_y(lat)) / math.pi) / 2 * n)

    def lon_of(tx: int) -> float:
        return tx / n * 360 - 180

    def lat_of(ty: int) -> float:
        return float(math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty / n)))))

    images = []
    for tx in range(tile_x(west), tile_x(east) + 1):
        for ty in range(tile_y(north), tile_y(south) + 1):
            left, top = frame.project(lon_of(tx), lat_of(ty))
            right, bottom = frame.project(lon_of(tx + 1), lat_of(ty + 1))
            href = (
                template.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty))
            )
            images.append(
                f'<image class="tile" {attrs(href=href, x=fmt(left), y=fmt(top))} '
                f"{attrs(width=fmt(right - left), height=fmt(bottom - top))} "
                'preserveAspectRatio="none"/>'
            )
    return images

"""The SVG pictures of a report: bars, markers, points, territories, tiles, escaping."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from tracker.charts import timeline_svg
from tracker.maps.marks import CLUSTER_TITLE_PLACES, MAP_POINT_LIMIT
from tracker.maps.report import map_svg
from tracker.queries.report_types import Bar, MapData, MapPlace, Marker, Series, Shape, Timeline

SVG = "{http://www.w3.org/2000/svg}"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[36.0, 35.0], [37.0, 35.0], [37.0, 36.0], [36.0, 36.0], [36.0, 35.0]]],
}


def _parse(markup: object) -> ET.Element:
    """Parse our own SVG output (which also proves it is well-formed XML)."""
    return ET.fromstring(str(markup))  # noqa: S314 (the app's own output, not untrusted)


def _timeline() -> Timeline:
    day = dt.date(2019, 5, 18)
    return Timeline(
        bin="day",
        start=day,
        end=day + dt.timedelta(days=3),
        stack="category",
        series=[Series("shelling", "Shelling"), Series("air_strike", "<script>x</script>")],
        bars=[
            Bar(day, "shelling", 2),
            Bar(day, "air_strike", 1),
            Bar(day + dt.timedelta(days=2), "shelling", 4),
        ],
        markers=[
            Marker(day, "entry", "entry into force"),
            Marker(day + dt.timedelta(days=3), "expiry", "expiry"),
        ],
    )


def test_timeline_has_one_rect_per_segment_and_a_line_per_marker() -> None:
    svg = _parse(timeline_svg(_timeline(), title="Incidents"))
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == 3
    markers = [line for line in svg.iter(f"{SVG}line") if "marker" in (line.get("class") or "")]
    assert [m.get("class") for m in markers] == ["marker marker-entry", "marker marker-expiry"]


def test_tallest_stack_reaches_the_top_and_segments_stack_without_overlap() -> None:
    svg = _parse(timeline_svg(_timeline(), title="Incidents", height=260))
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "bar"]
    heights = [float(r.get("height") or 0) for r in bars]
    plot = 260 - 20 - 30
    assert heights[2] == plot  # 4 incidents: the peak
    assert abs(heights[0] - plot / 2) < 0.11
    first, second = bars[0], bars[1]
    assert (
        abs(
            float(second.get("y") or 0)
            + float(second.get("height") or 0)
            - float(first.get("y") or 0)
        )
        < 0.11
    )


def test_labels_are_escaped() -> None:
    text = str(timeline_svg(_timeline(), title="<b>Incidents</b>"))
    assert "<script>" not in text
    assert "&lt;b&gt;Incidents" in text


def _map(counts: list[int]) -> MapData:
    places = [
        MapPlace(n, f"Place {n}", 35.2 + n / 10, 36.2 + n / 10, count, count // 2)
        for n, count in enumerate(counts)
    ]
    return MapData(
        places=places,
        territories=[Shape("Zone", SQUARE, []), Shape("Areas", None, ["SY07"])],
        unmapped=1,
    )


def test_map_draws_one_point_per_incident_and_the_territory_shape() -> None:
    svg = _parse(map_svg(_map([3, 1, 2]), title="Map"))
    circles = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "incident-point"]
    assert len(circles) == 6
    paths = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "territory"]
    assert len(paths) == 1
    for circle in circles:
        assert 0 <= float(circle.get("cx") or -1) <= 640
        assert 0 <= float(circle.get("cy") or -1) <= 480


def test_map_groups_points_by_place_above_the_limit() -> None:
    svg = _parse(map_svg(_map([MAP_POINT_LIMIT, 5]), title="Map"))
    groups = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "incident-group"]
    assert [g.get("data-count") for g in groups] == [str(MAP_POINT_LIMIT), "5"]
    assert not [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "incident-point"]


def test_map_works_without_tiles_and_references_tiles_when_configured() -> None:
    alone = str(map_svg(_map([1]), title="Map"))
    assert "<image" not in alone
    tiled = _parse(
        str(map_svg(_map([1]), title="Map", tile_url="https://tiles.example/{z}/{x}/{y}.png"))
    )
    hrefs = [i.get("href") or "" for i in tiled.iter(f"{SVG}image")]
    assert hrefs
    assert all(h.startswith("https://tiles.example/") and h.endswith(".png") for h in hrefs)


def test_empty_map_is_still_a_picture() -> None:
    svg = _parse(map_svg(MapData(places=[], territories=[], unmapped=0), title="Map"))
    assert svg.tag == f"{SVG}svg"
    assert not list(svg.iter(f"{SVG}circle"))


def test_count_axis_has_round_ticks_and_the_date_axis_names_months() -> None:
    start = dt.date(2019, 1, 10)
    timeline = Timeline(
        bin="week",
        start=start,
        end=dt.date(2019, 7, 1),
        stack="category",
        series=[Series("shelling", "Shelling")],
        bars=[Bar(start + dt.timedelta(weeks=n), "shelling", 3 + 4 * n) for n in range(5)],
        markers=[],
    )
    svg = _parse(timeline_svg(timeline, title="Incidents"))
    counts = [t.text for t in svg.iter(f"{SVG}text") if "count" in (t.get("class") or "")]
    assert counts == ["0", "5", "10", "15", "20"]  # the tallest bar holds 19
    dates = [t.text for t in svg.iter(f"{SVG}text") if "date" in (t.get("class") or "")]
    assert dates[:3] == ["February 2019", "March 2019", "April 2019"]
    arabic = _parse(timeline_svg(timeline, title="Incidents", language="ar"))
    assert "شباط 2019" in [t.text for t in arabic.iter(f"{SVG}text")]


def test_a_category_keeps_its_colour_whatever_else_is_in_the_report() -> None:
    day = dt.date(2019, 5, 18)

    def fill_of(series: list[str]) -> str:
        timeline = Timeline(
            bin="day",
            start=day,
            end=day,
            stack="category",
            series=[Series(k, k) for k in series],
            bars=[Bar(day, k, 1) for k in series],
            markers=[],
        )
        bars = _parse(timeline_svg(timeline, title="t")).iter(f"{SVG}rect")
        return next(b.get("fill") or "" for b in bars if b.get("data-key") == "shelling")

    assert fill_of(["shelling"]) == fill_of(["air_strike", "drone_strike", "shelling"])


def test_a_big_clusters_tooltip_names_its_busiest_places_and_counts_the_others() -> None:
    # 25 places a few metres apart: one cluster; its tooltip names the 10 busiest with their
    # figures and says how many others it holds, rather than listing all 25
    crowd = [MapPlace(i, f"Farm {i}", 36.0 + i * 1e-5, 35.0, 100 + i, i % 3) for i in range(1, 26)]
    svg = _parse(
        map_svg(
            MapData(places=crowd, territories=[], unmapped=0),
            title="Map",
            more=lambda n: f"{n} more",
        )
    )
    (cluster,) = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "incident-cluster"]
    assert cluster.get("data-count") == str(sum(p.incidents for p in crowd))
    tooltip = cluster.findtext(f"{SVG}title") or ""
    named = tooltip.split("; ")
    busiest = sorted(crowd, key=lambda p: -p.incidents)[:CLUSTER_TITLE_PLACES]
    assert named[:-1] == [
        f"{p.name}: {p.incidents} incidents, {p.violations} violations" for p in busiest
    ]
    assert named[-1] == f"{len(crowd) - CLUSTER_TITLE_PLACES} more"


def test_overlapping_places_are_one_cluster_with_their_count_and_dots_show_the_verdict() -> None:
    near = [
        MapPlace(1, "Kafr Nabudah", 35.4600, 36.5000, 3, 2),
        MapPlace(2, "Next door", 35.4601, 36.5001, 2, 0),
        MapPlace(3, "Far away", 36.2, 37.1, 2, 1),
    ]
    svg = _parse(map_svg(MapData(places=near, territories=[], unmapped=0), title="Map"))
    clusters = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "incident-cluster"]
    assert [c.get("data-count") for c in clusters] == ["5"]
    dots = [c.get("fill") for c in svg.iter(f"{SVG}circle") if c.get("class") == "incident-point"]
    assert sorted(dots) == sorted(["#c0392b", "#8e8e8e"])  # Far away: one violation, one not
    names = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "place-name"]
    assert "Kafr Nabudah +1" in names
    assert "Far away" in names

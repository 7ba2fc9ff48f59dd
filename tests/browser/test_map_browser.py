"""The maps in Chromium: the report's map draws its offline base layer, its dots, clusters and
legend with nothing blocked; a new place's point is picked with a click on the incident form's
map (or typed), and the place is added and chosen with the analyst's other input kept."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from tests.browser.conftest import LiveServer, playwright_api
from tracker.db import session_factory
from tracker.models import Place

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Route

pytestmark = pytest.mark.browser
expect = playwright_api().expect


def test_report_map_draws_places_dots_clusters_and_legend_offline(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    login(page, "analyst")
    problems: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", watch)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(f"{live_server.url}/agreements/sochi-2018/report")
    svg = page.locator("svg.map")
    expect(svg).to_be_visible()
    expect(svg.locator("circle.place-point").first).to_be_attached()
    assert svg.locator("text.place-name").count() >= 1
    marks = svg.locator("circle.incident-point, circle.incident-cluster, circle.incident-group")
    assert marks.count() >= 1
    for cluster in svg.locator("circle.incident-cluster").all():
        assert int(cluster.get_attribute("data-count") or 0) >= 2
    legend = page.locator("#map .legend li")
    assert legend.count() >= 5
    expect(page.locator("#map .legend")).to_contain_text("places of the gazetteer")
    assert problems == []
    assert outside == []


def test_a_click_on_the_map_gives_the_new_place_its_point_and_the_form_keeps_its_input(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    login(page, "analyst")
    page.goto(f"{live_server.url}/incidents/new")
    page.get_by_label("Date").fill("17 May 2019")
    page.locator("#place-text").fill("Tell Picked")
    page.locator("details.new-place summary").click()
    picture = page.locator(".pick-map svg")
    expect(picture).to_be_visible()
    box = picture.bounding_box()
    assert box is not None
    west = float(picture.get_attribute("data-west") or "nan")
    north = float(picture.get_attribute("data-north") or "nan")
    scale = float(picture.get_attribute("data-scale") or "nan")
    view_width = float(picture.evaluate("svg => svg.viewBox.baseVal.width"))
    x, y = box["width"] * 0.5, box["height"] * 0.4
    picture.click(position={"x": x, "y": y})
    expected_lon = west + x * view_width / box["width"] / scale
    northing = north - y * view_width / box["width"] / scale
    expected_lat = math.degrees(2 * math.atan(math.exp(math.radians(northing))) - math.pi / 2)
    latitude = page.locator("#new_place-latitude")
    longitude = page.locator("#new_place-longitude")
    expect(latitude).not_to_have_value("")
    assert abs(float(longitude.input_value()) - expected_lon) < 0.01
    assert abs(float(latitude.input_value()) - expected_lat) < 0.01
    # the map zooms in around the point picked and marks it
    expect(page.locator(".pick-map svg path.picked")).to_be_visible()
    assert float(page.locator(".pick-map svg").get_attribute("data-scale") or 0) > scale
    page.get_by_role("button", name="Add this place").click()
    expect(page.locator("#place-text")).to_have_value("Tell Picked")
    expect(page.get_by_label("Date")).to_have_value("17 May 2019")
    chosen = page.locator("#place-selected").input_value()
    with session_factory(live_server.database_url)() as db:
        place = db.scalar(select(Place).where(Place.name_en == "Tell Picked"))
        assert place is not None
        assert str(place.id) == chosen
        assert place.latitude is not None
        assert abs(place.latitude - float(f"{expected_lat:.5f}")) < 0.01


def test_typed_coordinates_move_the_cross_on_the_pick_map(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    login(page, "analyst")
    page.goto(f"{live_server.url}/places/new")
    expect(page.locator(".pick-map svg")).to_be_visible()
    expect(page.locator(".pick-map svg path.picked")).to_have_count(0)
    page.get_by_label("Latitude").fill("35.9")
    page.get_by_label("Longitude").fill("36.6")
    page.keyboard.press("Tab")
    expect(page.locator(".pick-map svg path.picked")).to_have_count(1)


def test_a_late_answer_does_not_replace_the_newer_pick_map(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    """Typing the latitude asks for a map without a point, the longitude for one with it; when the
    server answers the older question last, the cross stays."""
    login(page, "analyst")
    held: list[Route] = []

    def hold(route: Route) -> None:
        if "zoom=0" in route.request.url and not held and "lat=" not in route.request.url:
            held.append(route)  # the first answer is the page's own first map
            route.continue_()
            return
        held.append(route)

    page.route("**/lookup/map*", hold)
    page.goto(f"{live_server.url}/places/new")
    expect(page.locator(".pick-map svg")).to_be_visible()
    page.get_by_label("Latitude").fill("35.9")
    page.get_by_label("Longitude").fill("36.6")
    page.keyboard.press("Tab")
    for _ in range(50):
        if len(held) == 3:
            break
        page.wait_for_timeout(100)
    _first, older, newer = held
    assert "lat=" not in older.request.url
    assert "lat=35.9" in newer.request.url
    newer.continue_()
    expect(page.locator(".pick-map svg path.picked")).to_have_count(1)
    with page.expect_response(lambda response: response.request == older.request):
        older.continue_()
    page.wait_for_timeout(200)
    expect(page.locator(".pick-map svg path.picked")).to_have_count(1)

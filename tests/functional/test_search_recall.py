"""Recall of place names: ACLED's spellings of real Syrian places find the incidents recorded
at the same places under OCHA's gazetteer names (the shared research data; skipped where it is
absent).

The pairs are chosen without the search code: an ACLED event location that is not spelled as
any OCHA community, whose nearest OCHA community lies within 1 km and has a similar name
(letters only, difflib ratio at least 0.6); the 50 most similar pairs are kept."""

from __future__ import annotations

import csv
import difflib
import math
import re
from functools import lru_cache

import pytest
from sqlalchemy.orm import Session

from tests.conftest import SHARED
from tests.factories import make_incident, make_place
from tracker.queries.incidents import IncidentFilters, filtered

DATA = SHARED / "research-data"
ACLED = DATA / "acled" / "acled_syria_2022H1_acledR_307.csv"
OCHA = DATA / "gazetteer" / "ocha_syr_locations_communities.csv"
PAIRS = 50
#: Pairs the rule picks whose two names are different places (read by a person, with why).
NOT_THE_SAME = {
    "Jabal Arba'in": "Jabal al-Arbaeen (Mount Arbaeen by Ariha) is not the village Jabal Bazah",
}


def _letters(name: str) -> str:
    return re.sub("[^a-z]", "", name.lower())


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return math.hypot((lat2 - lat1) * 111.2, (lon2 - lon1) * 111.2 * math.cos(math.radians(lat1)))


@lru_cache(maxsize=1)
def variant_pairs() -> list[tuple[str, dict[str, str]]]:
    """(ACLED spelling, the OCHA community it names), the most similar first."""
    with OCHA.open(encoding="utf-8") as handle:
        communities = [r for r in csv.DictReader(handle) if r["Latitude_y"] and r["Longitude_x"]]
    spelled = {c["LocationName_en"] for c in communities}
    found: dict[str, tuple[float, dict[str, str]]] = {}
    with ACLED.open(encoding="utf-8") as handle:
        events = list(csv.DictReader(handle))
    for event in events:
        name = event["location"]
        if name in spelled or name in found or name in NOT_THE_SAME:
            continue
        lat, lon = float(event["latitude"]), float(event["longitude"])
        nearest = min(
            communities,
            key=lambda c: _km(lat, lon, float(c["Latitude_y"]), float(c["Longitude_x"])),
        )
        distance = _km(lat, lon, float(nearest["Latitude_y"]), float(nearest["Longitude_x"]))
        theirs = nearest["LocationName_en"]
        ratio = difflib.SequenceMatcher(None, _letters(name), _letters(theirs)).ratio()
        if distance < 1 and ratio >= 0.6 and _letters(name) != _letters(theirs):
            found[name] = (ratio, nearest)
    ranked = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))
    return [(name, community) for name, (_ratio, community) in ranked[:PAIRS]]


@pytest.mark.skipif(not (ACLED.exists() and OCHA.exists()), reason="no shared research data")
def test_acled_spellings_find_the_incidents_of_the_ocha_places(session: Session) -> None:
    pairs = variant_pairs()
    assert len(pairs) == PAIRS
    incidents = {}
    for number, (_name, community) in enumerate(pairs):
        place = make_place(
            session,
            slug=f"ocha-{number}-{community['Location_Pcode'].lower()}",
            name_en=community["LocationName_en"],
            name_ar=community["LocationName_ar"],
        )
        incidents[community["Location_Pcode"]] = make_incident(session, place=place).id
    missed = []
    others = 0
    for name, community in pairs:
        query = filtered(IncidentFilters(text=name))
        found = {i.id for i in session.scalars(query)}
        if incidents[community["Location_Pcode"]] not in found:
            missed.append(f"{name} -> {community['LocationName_en']}")
        others += len(found - {incidents[community["Location_Pcode"]]})
    assert missed == [], "\n".join(missed)
    # and the variants stay specific: of the 50 x 49 other pairs, few answer
    assert others <= PAIRS // 5, others

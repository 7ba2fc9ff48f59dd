"""The applicability rule on hand-made facts: window edges, precision, territory, parties."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tracker.rules.applicability import (
    ActorFacts,
    AgreementFacts,
    Finding,
    IncidentFacts,
    ProvisionFacts,
    TerritoryFacts,
    Verdict,
    assess,
    judge,
)
from tracker.rules.dates import instant, interval

TZ = ZoneInfo("Asia/Damascus")
START = dt.datetime(2019, 5, 18, 0, 0, tzinfo=TZ)  # 72-hour truce from 00:00 local, 18 May
END = START + dt.timedelta(hours=72)

GOV = ActorFacts((("gov-forces", "Government forces", ()), ("gov", "Government", ())))
RUSSIA_AIR = ActorFacts((("ru-air", "Russian air force", ()), ("russia", "Russia", ())))
HTS = ActorFacts((("hts", "Hayat Tahrir al-Sham", ("HTS", "Nusra Front")),))
REBELS = ActorFacts((("nfl", "National Front for Liberation", ()),))
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[36.0, 35.0], [37.0, 35.0], [37.0, 36.0], [36.0, 36.0], [36.0, 35.0]]],
}


def truce(**overrides: object) -> AgreementFacts:
    values: dict[str, object] = {
        "slug": "truce",
        "name": "72-hour truce",
        "effective_from": START,
        "expires_at": END,
        "is_unilateral": False,
        "roles": {
            "gov": frozenset({"bound"}),
            "russia": frozenset({"signatory"}),
            "hts": frozenset({"excluded"}),
            "nfl": frozenset({"rejected"}),
        },
        "excluded_names": {"hts": ("Hayat Tahrir al-Sham", "HTS", "Nusra Front")},
        "territories": (TerritoryFacts("the zone", geometry=SQUARE),),
    }
    values.update(overrides)
    return AgreementFacts(**values)  # type: ignore[arg-type]


def at(moment: dt.datetime, **overrides: object) -> IncidentFacts:
    when = instant(moment, TZ)
    values: dict[str, object] = {
        "start": when.start,
        "end": when.end,
        "precision": "time",
        "latitude": 35.5,
        "longitude": 36.5,
        "perpetrator": GOV,
    }
    values.update(overrides)
    return IncidentFacts(**values)  # type: ignore[arg-type]


def finding(result: object, test: str) -> Finding:
    return next(r.finding for r in result.reasons if r.test == test)  # type: ignore[attr-defined]


def test_strike_by_bound_party_inside_window_and_zone_is_a_violation() -> None:
    result = assess(at(START + dt.timedelta(hours=30)), truce())
    assert result.verdict == Verdict.VIOLATION
    assert {r.test for r in result.reasons} == {"time", "obligation", "territory", "perpetrator"}
    assert all(r.finding == Finding.INSIDE for r in result.reasons)


def test_first_instant_of_the_window_is_inside() -> None:
    assert assess(at(START), truce()).verdict == Verdict.VIOLATION


def test_one_minute_before_the_window_is_outside_scope() -> None:
    result = assess(at(START - dt.timedelta(minutes=1)), truce())
    assert result.verdict == Verdict.OUTSIDE_SCOPE
    assert "outside the agreement's window" in result.reasons[0].message


def test_last_minute_of_the_72_hours_is_inside_and_the_expiry_instant_is_outside() -> None:
    assert assess(at(END - dt.timedelta(minutes=1)), truce()).verdict == Verdict.VIOLATION
    assert assess(at(END), truce()).verdict == Verdict.OUTSIDE_SCOPE


def test_day_precision_on_the_last_day_is_inside_and_on_the_day_after_is_outside() -> None:
    last_day = interval(dt.date(2019, 5, 20), "day", TZ)
    day_after = interval(dt.date(2019, 5, 21), "day", TZ)
    inside = at(START, start=last_day.start, end=last_day.end, precision="day")
    outside = at(START, start=day_after.start, end=day_after.end, precision="day")
    assert assess(inside, truce()).verdict == Verdict.VIOLATION
    assert assess(outside, truce()).verdict == Verdict.OUTSIDE_SCOPE


def test_month_precision_over_a_three_day_truce_is_indeterminate() -> None:
    may = interval(dt.date(2019, 5, 1), "month", TZ)
    result = assess(at(START, start=may.start, end=may.end, precision="month"), truce())
    assert result.verdict == Verdict.INDETERMINATE
    assert finding(result, "time") == Finding.UNCERTAIN
    assert "straddles" in result.reasons[0].message


def test_point_outside_the_shape_is_outside_scope() -> None:
    result = assess(at(START + dt.timedelta(hours=1), latitude=34.0), truce())
    assert result.verdict == Verdict.OUTSIDE_SCOPE
    assert finding(result, "territory") == Finding.OUTSIDE


def test_near_precision_close_to_the_edge_is_indeterminate() -> None:
    incident = at(START + dt.timedelta(hours=1), latitude=35.98, location_precision="near")
    assert assess(incident, truce()).verdict == Verdict.INDETERMINATE


def test_admin_area_territory_matches_by_pcode_prefix() -> None:
    agreement = truce(territories=(TerritoryFacts("Idlib", admin_pcodes=frozenset({"SY07"})),))
    inside = at(START, pcodes=frozenset({"SY07", "SY0703", "SY070300"}), latitude=None)
    elsewhere = at(START, pcodes=frozenset({"SY05", "SY0500"}), latitude=None)
    assert assess(inside, agreement).verdict == Verdict.VIOLATION
    assert assess(elsewhere, agreement).verdict == Verdict.OUTSIDE_SCOPE


def test_governorate_only_location_against_a_district_list_is_indeterminate() -> None:
    agreement = truce(territories=(TerritoryFacts("Ariha", admin_pcodes=frozenset({"SY0703"})),))
    coarse = at(START, pcodes=frozenset({"SY07", "SY0703"}), location_precision="admin1")
    assert assess(coarse, agreement).verdict == Verdict.INDETERMINATE


def test_act_of_an_excluded_party_is_contested() -> None:
    result = assess(at(START + dt.timedelta(hours=2), perpetrator=HTS), truce())
    assert result.verdict == Verdict.CONTESTED
    assert "excludes" in next(r.message for r in result.reasons if r.test == "perpetrator")


def test_strike_claimed_to_target_an_excluded_group_is_contested_not_dropped() -> None:
    by_target = at(START + dt.timedelta(hours=2), claimed_target=HTS)
    by_words = at(
        START + dt.timedelta(hours=2), claimed_justification="Strikes on Nusra Front posts"
    )
    for incident in (by_target, by_words):
        result = assess(incident, truce())
        assert result.verdict == Verdict.CONTESTED
        assert finding(result, "justification") == Finding.CONTESTED


def test_party_that_rejected_the_truce_is_outside_scope() -> None:
    result = assess(at(START + dt.timedelta(hours=2), perpetrator=REBELS), truce())
    assert result.verdict == Verdict.OUTSIDE_SCOPE
    assert "rejected" in next(r.message for r in result.reasons if r.test == "perpetrator")


def test_bound_through_a_parent_actor() -> None:
    result = assess(at(START + dt.timedelta(hours=2), perpetrator=RUSSIA_AIR), truce())
    assert result.verdict == Verdict.VIOLATION
    assert "through Russia" in next(r.message for r in result.reasons if r.test == "perpetrator")


def test_unilateral_truce_binds_only_its_announcer() -> None:
    unilateral = truce(is_unilateral=True)
    assert assess(at(START, perpetrator=RUSSIA_AIR), unilateral).verdict == Verdict.VIOLATION
    result = assess(at(START, perpetrator=GOV), unilateral)
    assert result.verdict == Verdict.OUTSIDE_SCOPE
    assert "binds only its announcer" in result.reasons[-1].message


def test_unknown_perpetrator_is_indeterminate() -> None:
    assert assess(at(START, perpetrator=None), truce()).verdict == Verdict.INDETERMINATE


def test_outside_scope_outranks_contested_and_every_reason_is_kept() -> None:
    result = assess(at(END + dt.timedelta(days=1), perpetrator=HTS), truce())
    assert result.verdict == Verdict.OUTSIDE_SCOPE
    assert finding(result, "perpetrator") == Finding.CONTESTED


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2018, 10, 9), Verdict.OUTSIDE_SCOPE), (dt.date(2018, 10, 10), Verdict.VIOLATION)],
)
def test_withdrawal_deadline_is_breached_only_after_it_passes(
    day: dt.date, expected: Verdict
) -> None:
    deadline = dt.datetime(2018, 10, 10, tzinfo=TZ)
    sochi = truce(effective_from=dt.datetime(2018, 9, 17, tzinfo=TZ), expires_at=None)
    when = interval(day, "day", TZ)
    weapons = ProvisionFacts("SOCHI-3", "Heavy weapons out of the zone", deadline, "truce")
    incident = at(START, start=when.start, end=when.end, precision="day", provisions=(weapons,))
    assert assess(incident, sochi).verdict == expected


# Reproductions of what a recount of every report figure found (judge every incident against
# every agreement): each failed before the rule was made right.

ASTANA_AREAS = TerritoryFacts(
    "Idlib de-escalation area", admin_pcodes=frozenset({"SY07", "SY050101", "SY050103"})
)
#: Uqayribat in east Hama: its governorate (SY05) holds listed sub-districts, its own
#: sub-district (SY050300) is not listed.
UQAYRIBAT = frozenset({"SY05", "SY0503", "SY050300", "C4452"})


def test_exact_place_outside_every_listed_area_is_outside_scope_not_indeterminate() -> None:
    astana = truce(territories=(ASTANA_AREAS,), expires_at=None)
    attack = at(START, latitude=None, longitude=None, pcodes=UQAYRIBAT)
    result = assess(attack, astana)
    assert result.verdict == Verdict.OUTSIDE_SCOPE
    assert finding(result, "territory") == Finding.OUTSIDE


def test_place_known_only_to_its_governorate_is_indeterminate_where_listed_areas_lie_inside() -> (
    None
):
    astana = truce(territories=(ASTANA_AREAS,), expires_at=None)
    vague = at(START, latitude=None, longitude=None, pcodes=UQAYRIBAT, location_precision="admin1")
    assert assess(vague, astana).verdict == Verdict.INDETERMINATE


def test_pending_deadline_of_one_provision_never_hides_the_breach_of_another() -> None:
    sochi = truce(slug="sochi", effective_from=dt.datetime(2018, 9, 17, tzinfo=TZ), expires_at=None)
    cease_fire = ProvisionFacts("SOCHI-1", "Cease fire", None, "sochi")
    roads = ProvisionFacts(
        "SOCHI-6", "M4 and M5 reopened", dt.datetime(2019, 1, 1, tzinfo=TZ), "sochi"
    )
    shelling = dt.datetime(2018, 11, 15, 10, tzinfo=TZ)
    both = at(shelling, provisions=(cease_fire, roads), category="shelling")
    alone = at(shelling, provisions=(cease_fire,), category="shelling")
    assert assess(alone, sochi).verdict == Verdict.VIOLATION
    assert assess(both, sochi).verdict == Verdict.VIOLATION
    assert "SOCHI-1" in next(r.message for r in assess(both, sochi).reasons if r.test == "deadline")


def test_only_pending_deadlines_leave_the_incident_outside_scope() -> None:
    sochi = truce(slug="sochi", effective_from=dt.datetime(2018, 9, 17, tzinfo=TZ), expires_at=None)
    roads = ProvisionFacts(
        "SOCHI-6", "M4 and M5 reopened", dt.datetime(2019, 1, 1, tzinfo=TZ), "sochi"
    )
    closed = at(dt.datetime(2018, 11, 15, 10, tzinfo=TZ), provisions=(roads,), category="other")
    assert assess(closed, sochi).verdict == Verdict.OUTSIDE_SCOPE


def test_untagged_incident_is_judged_against_the_cease_fire() -> None:
    shelling = at(START + dt.timedelta(hours=2), category="shelling")
    build_up = at(START + dt.timedelta(hours=2), category="troop_build_up")
    assert assess(shelling, truce()).verdict == Verdict.VIOLATION
    result = assess(build_up, truce())
    assert result.verdict == Verdict.OUTSIDE_SCOPE
    assert finding(result, "obligation") == Finding.OUTSIDE


def test_provisions_of_other_agreements_do_not_count_against_this_one() -> None:
    other = ProvisionFacts("X-1", "Roads", dt.datetime(2030, 1, 1, tzinfo=TZ), "another")
    shelling = at(START + dt.timedelta(hours=2), provisions=(other,), category="shelling")
    assert assess(shelling, truce()).verdict == Verdict.VIOLATION


def test_judge_keeps_pairs_whose_report_span_and_territory_may_hold_the_incident() -> None:
    before = at(START - dt.timedelta(hours=10))
    far_before = at(START - dt.timedelta(days=30))
    elsewhere = at(START + dt.timedelta(hours=1), latitude=33.0, longitude=40.0)
    kept = judge(before, truce(), alleged=False)
    assert kept is not None
    assert kept.finding == Finding.OUTSIDE
    assert kept.scope_finding == Finding.INSIDE
    assert not kept.in_report
    assert judge(far_before, truce(), alleged=False) is None
    assert judge(elsewhere, truce(), alleged=False) is None
    alleged = judge(elsewhere, truce(), alleged=True)
    assert alleged is not None
    assert alleged.in_report
    assert alleged.finding == Finding.OUTSIDE


def test_coarse_location_against_a_shape_is_outside_far_from_its_edge() -> None:
    far = at(
        START + dt.timedelta(hours=1), latitude=33.0, longitude=40.0, location_precision="admin2"
    )
    near = at(
        START + dt.timedelta(hours=1), latitude=35.1, longitude=36.5, location_precision="admin2"
    )
    deep = at(
        START + dt.timedelta(hours=1), latitude=35.5, longitude=36.5, location_precision="admin3"
    )
    assert assess(far, truce()).verdict == Verdict.OUTSIDE_SCOPE
    assert assess(near, truce()).verdict == Verdict.INDETERMINATE
    assert assess(deep, truce()).verdict == Verdict.VIOLATION

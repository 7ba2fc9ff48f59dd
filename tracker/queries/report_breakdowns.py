"""The report's breakdowns, built from its totals
(:class:`tracker.queries.report_totals.Aggregates`): rows by verdict, perpetrator, category,
area, provision and blamed actor, casualty lines, the timeline and the map."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from tracker.labels import report_label
from tracker.models import CASUALTY_GROUPS, Agreement, Category, Provision
from tracker.queries.report_totals import OTHER, Aggregates
from tracker.queries.report_types import (
    Bar,
    BlameRow,
    Casualties,
    CountRow,
    MapData,
    MapPlace,
    Marker,
    ReportRequest,
    Series,
    Shape,
    Timeline,
)
from tracker.queries.report_verdicts import Gazetteer
from tracker.rules.applicability import FINDING_OF_VERDICT, VERDICT_OF_FINDING, Verdict

#: Periods longer than this many days are charted per week rather than per day.
DAILY_CHART_MAX_DAYS = 92
#: Series of a timeline stacked by perpetrator (the rest are grouped as "other").
TOP_PERPETRATORS = 8
VERDICTS = (Verdict.VIOLATION, Verdict.CONTESTED, Verdict.OUTSIDE_SCOPE, Verdict.INDETERMINATE)


def link(base: dict[str, str], **extra: str) -> dict[str, str]:
    return {**base, **extra}


def count_rows(
    counts: dict[str, Counter[str]],
    labels: dict[str, str],
    base: dict[str, str] | None,
    arg: str | None,
) -> list[CountRow]:
    rows = [
        CountRow(
            key=key,
            label=labels.get(key, report_label(key)),
            incidents=sum(by_verdict.values()),
            verdicts={str(v): by_verdict.get(str(v), 0) for v in VERDICTS},
            link=link(base, **{arg: key})
            if base is not None and arg and key != "unknown"
            else None,
        )
        for key, by_verdict in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.incidents, r.label))


def casualty_lines(sums: Counter[str]) -> list[Casualties]:
    """The casualty lines of summed ``summary`` measures (by name, see
    :data:`tracker.queries.report_cells.SUMMARY_MEASURES`)."""
    return [
        Casualties(
            group,
            report_label(group),
            sums[f"{group}_low"],
            sums[f"{group}_best"],
            sums[f"{group}_high"],
            open_high=sums[f"{group}_open_high"],
            about=sums[f"{group}_about"],
            at_most=sums[f"{group}_at_most"],
        )
        for group in CASUALTY_GROUPS
    ]


def top_actors(counts: dict[int | None, int], gazetteer: Gazetteer) -> list[int | None]:
    """The perpetrators (None: unknown) of the timeline stacked by perpetrator, ranked as
    :func:`timeline` ranks them."""

    def key(actor_id: int | None) -> str:
        return "unknown" if actor_id is None else gazetteer.actor_names[actor_id][0]

    ranked = sorted(counts, key=lambda a: (-counts[a], key(a)))
    return ranked[:TOP_PERPETRATORS]


def _area_name(name: str) -> str:
    return report_label(name) if name == "unknown" else name


def perpetrator_rows(
    found: Aggregates, gazetteer: Gazetteer, base: dict[str, str]
) -> list[CountRow]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    labels: dict[str, str] = {}
    for finding, actor_id, count in found.perpetrator:
        unknown = ("unknown", report_label("unknown"))
        slug, name = gazetteer.actor_names.get(actor_id, unknown) if actor_id else unknown
        labels[slug] = name
        counts[slug][str(VERDICT_OF_FINDING[finding])] += count
    return count_rows(counts, labels, base, "perpetrator")


def provision_rows(found: Aggregates, agreement: Agreement) -> list[CountRow]:
    provisions: dict[int | None, Provision] = {p.id: p for p in agreement.provisions}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for finding, provision_id, count in found.provision:
        provision = provisions.get(provision_id)
        if provision is not None:
            counts[provision.code][str(VERDICT_OF_FINDING[finding])] += count
    labels = {p.code: f"{p.code}: {p.title_en}" for p in agreement.provisions}
    return sorted(count_rows(counts, labels, None, None), key=lambda r: r.key)


def area_rows(
    places: Mapping[int | None, tuple[int, ...]], gazetteer: Gazetteer
) -> dict[str, list[CountRow]]:
    """The rows by governorate and by district, from the incidents of each finding per place
    (:attr:`Aggregates.place`)."""
    by_area: dict[tuple[str, str], list[int]] = {}
    known = gazetteer.places
    for place_id, counts in places.items():
        place = known.get(place_id) if place_id is not None else None
        area = (
            (place.admin1 if place else None) or "unknown",
            (place.admin2 if place else None) or "unknown",
        )
        summed = by_area.setdefault(area, [0] * len(counts))
        for finding, count in enumerate(counts):
            summed[finding] += count
    names = [str(VERDICT_OF_FINDING[finding]) for finding in sorted(VERDICT_OF_FINDING)]
    governorates: dict[str, Counter[str]] = defaultdict(Counter)
    districts: dict[str, Counter[str]] = defaultdict(Counter)
    district_labels: dict[str, str] = {}
    for (admin1, admin2), summed in by_area.items():
        key = f"{admin1} / {admin2}"
        district_labels[key] = f"{_area_name(admin2)} ({_area_name(admin1)})"
        for name, count in zip(names, summed, strict=True):
            if count:
                governorates[admin1][name] += count
                districts[key][name] += count
    return {
        "governorate": count_rows(governorates, {}, None, None),
        "district": count_rows(districts, district_labels, None, None),
    }


def blame_rows(found: Aggregates, gazetteer: Gazetteer) -> list[BlameRow]:
    rows = [
        BlameRow(*gazetteer.actor_names[actor_id], incidents, disputed, named)
        for actor_id, incidents, disputed, named in found.blamed
    ]
    return sorted(rows, key=lambda r: (-r.incidents, r.label))


def _local_day(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    return moment.astimezone(tz).date()


def timeline_range(
    days: list[dt.date], request: ReportRequest, agreement: Agreement, tz: ZoneInfo
) -> tuple[dt.date, dt.date, bool]:
    """The timeline's first and last days and whether it bins them by week (its first day
    then a Monday), over the incidents' ``days`` (their first and last will do)."""
    entry = _local_day(agreement.effective_from, tz)
    expiry = _local_day(agreement.expires_at, tz) if agreement.expires_at else None
    start = request.date_from or min([entry, *days])
    end = request.date_to or max([expiry or entry, *days])
    weekly = (end - start).days > DAILY_CHART_MAX_DAYS
    if weekly:
        start -= dt.timedelta(days=start.weekday())
    return start, end, weekly


def timeline(
    found: Aggregates,
    request: ReportRequest,
    agreement: Agreement,
    gazetteer: Gazetteer,
    tz: ZoneInfo,
) -> Timeline:
    rows = found.timeline
    entry = _local_day(agreement.effective_from, tz)
    expiry = _local_day(agreement.expires_at, tz) if agreement.expires_at else None
    days = list(found.timeline_days or (row[0] for row in rows))
    start, end, weekly = timeline_range(days, request, agreement, tz)

    def series_key(value: str | None) -> str:
        if request.stack == "category" or value == OTHER:
            return str(value)
        if value is None:
            return "unknown"
        return gazetteer.actor_names[int(value)][0]

    totals: Counter[str] = Counter()
    for _day, value, count in rows:
        totals[series_key(value)] += count
    if request.stack == "category":
        order = [str(c) for c in Category if totals.get(str(c))]
        labels = {key: report_label(key) for key in order}
    else:
        ranked = sorted((k for k in totals if k != OTHER), key=lambda k: (-totals[k], k))
        order = ranked[:TOP_PERPETRATORS]
        if len(ranked) > TOP_PERPETRATORS or OTHER in totals:
            order.append(OTHER)
        names = {slug: name for slug, name in gazetteer.actor_names.values()}
        labels = {key: names.get(key, report_label(key)) for key in order}
    keep = set(order)
    bins: Counter[tuple[dt.date, str]] = Counter()
    for day, value, count in rows:
        key = series_key(value)
        if key not in keep:
            key = OTHER
        bins[(day - dt.timedelta(days=day.weekday()) if weekly else day, key)] += count
    rank = {key: i for i, key in enumerate(order)}
    bars = [
        Bar(day, key, count)
        for (day, key), count in sorted(
            bins.items(), key=lambda item: (item[0][0], rank[item[0][1]])
        )
        if count
    ]
    markers = [Marker(entry, "entry", "entry into force")]
    if expiry:
        markers.append(Marker(expiry, "expiry", "expiry"))
    markers += [
        Marker(_local_day(p.deadline, tz), "deadline", f"{p.code} deadline")
        for p in agreement.provisions
        if p.deadline is not None
    ]
    markers = [m for m in markers if start <= m.day <= end]
    return Timeline(
        bin="week" if weekly else "day",
        start=start,
        end=end,
        stack=request.stack,
        series=[Series(key, labels[key]) for key in order],
        bars=bars,
        markers=sorted(markers, key=lambda m: m.day),
    )


def map_data(
    places: Mapping[int | None, tuple[int, ...]],
    gazetteer: Gazetteer,
    agreement: Agreement,
) -> MapData:
    """The map's places with their incidents and violations, from the incidents of each
    finding per place (:attr:`Aggregates.place`)."""
    violation = int(FINDING_OF_VERDICT[Verdict.VIOLATION])
    mapped = []
    unmapped = 0
    known = gazetteer.places
    for pid in sorted(places, key=lambda key: key or 0):
        counts = places[pid]
        n = sum(counts)
        if not n:
            continue
        place = known.get(pid) if pid is not None else None
        point = place.point() if place is not None else None
        if place is None or point is None:
            unmapped += n
            continue
        mapped.append(
            MapPlace(
                place_id=place.id,
                name=place.name,
                latitude=point[1],
                longitude=point[0],
                incidents=n,
                violations=counts[violation],
                approximate=place.latitude is None,
            )
        )
    shapes = [
        Shape(t.name_en, t.geometry, list(t.admin_pcodes or [])) for t in agreement.territories
    ]
    return MapData(places=mapped, territories=shapes, unmapped=unmapped)

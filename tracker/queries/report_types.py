"""The report of one agreement as plain data: what to report on, and everything the report
shows, which every format (:mod:`tracker.queries.report_formats`) renders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from tracker.queries.incidents import IncidentFilters
from tracker.queries.visibility import Audience
from tracker.rules.applicability import Verdict


@dataclass(frozen=True)
class ReportRequest:
    """What to report on: an agreement, an optional period, and who will read it."""

    slug: str
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: who will read it: the public version for the public and viewers, else the staff
    #: version (drafts counted as left out, confidential sources shown)
    audience: Audience = Audience.PUBLIC
    #: how the timeline is stacked: "category" or "perpetrator"
    stack: str = "category"

    @property
    def public(self) -> bool:
        """Whether this is the public version."""
        return self.audience.public

    def filters(self) -> IncidentFilters:
        """The incident filters of this report (the links to the incidents list use them)."""
        return IncidentFilters(
            agreement=self.slug,
            date_from=self.date_from,
            date_to=self.date_to,
            public=self.public,
        )


@dataclass(frozen=True)
class CountRow:
    """One line of a breakdown: how many incidents, and how many of each verdict."""

    key: str
    label: str
    incidents: int
    verdicts: dict[str, int]
    link: dict[str, str] | None = None
    #: the incidents by review status (the headline splits each verdict so)
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def violations(self) -> int:
        return self.verdicts.get(Verdict.VIOLATION, 0)


@dataclass(frozen=True)
class BlameRow:
    """How often sources blame one actor, and how often the sources of those incidents
    disagree about whom to blame."""

    key: str
    label: str
    incidents: int
    disputed: int
    named_perpetrator: int


@dataclass(frozen=True)
class Casualties:
    """The sum of one casualty group's figures, with what their qualifiers allow to say:
    ``open_high`` when some figure is a minimum with no maximum (the sum is then a minimum
    too), ``about`` and ``at_most`` when some figures were reported so."""

    group: str
    label: str
    low: int
    best: int
    high: int
    open_high: int = 0
    about: int = 0
    at_most: int = 0

    @property
    def text(self) -> str:
        """The figure as a reader may quote it: never more precise than its inputs."""
        if self.open_high:
            return f"≥ {self.low}"
        spread = f"{self.low}–{self.high}" if self.low != self.high else str(self.best)
        if self.about:
            return f"about {spread}"
        if self.at_most and self.low == 0:
            return f"≤ {self.high}"
        return spread


@dataclass(frozen=True)
class EventCount:
    """The sum of event counts; ``lower_bound`` when some were "at least" or "more than"."""

    total: int
    exact: int
    about: int
    at_least: int
    more_than: int
    incidents: int

    @property
    def lower_bound(self) -> bool:
        return bool(self.at_least or self.more_than)

    @property
    def text(self) -> str:
        """``about N`` when any count was approximate (a rough total is no minimum), else
        ``≥ N`` when some were minimums, else ``N``."""
        if self.about:
            return f"about {self.total}"
        if self.lower_bound:
            return f"≥ {self.total}"
        return str(self.total)


@dataclass(frozen=True)
class GradeRow:
    grade: str
    sources: int
    citations: int


@dataclass(frozen=True)
class SourceQuality:
    incidents: int
    with_sources: int
    two_or_more_independent: int
    grades: list[GradeRow]

    @property
    def share_independent(self) -> float | None:
        return self.two_or_more_independent / self.incidents if self.incidents else None


@dataclass(frozen=True)
class Bar:
    """One segment of a timeline bar: ``count`` incidents of series ``key`` in a bin."""

    start: dt.date
    key: str
    count: int


@dataclass(frozen=True)
class Marker:
    day: dt.date
    kind: str  # "entry", "expiry", "deadline"
    label: str


@dataclass(frozen=True)
class Series:
    key: str
    label: str


@dataclass(frozen=True)
class Timeline:
    bin: str  # "day" or "week"
    start: dt.date
    end: dt.date
    stack: str
    series: list[Series]
    bars: list[Bar]
    markers: list[Marker]


class MapPlace(NamedTuple):
    """A place on the report's map with its incidents (a named tuple: a report maps thousands
    of places, and tuples are the cheapest to make)."""

    place_id: int
    name: str
    latitude: float
    longitude: float
    incidents: int
    violations: int
    #: placed at the middle of the smallest admin area known to hold it (no point of its own)
    approximate: bool = False


@dataclass(frozen=True)
class Shape:
    name: str
    geometry: dict[str, object] | None
    admin_pcodes: list[str]


@dataclass(frozen=True)
class MapData:
    places: list[MapPlace]
    territories: list[Shape]
    unmapped: int

    @property
    def mapped(self) -> int:
        return sum(p.incidents for p in self.places)


@dataclass(frozen=True)
class Window:
    name: str  # before, during, after
    start: dt.datetime
    end: dt.datetime
    #: incidents in the agreement's territory
    incidents: int
    #: of which by parties the agreement binds, not contested (what would be violations if the
    #: agreement were in force: the measure that compares the windows)
    bound: int
    #: of which violations (inside the window, deadlines passed): none before or after
    violations: int

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400

    @property
    def incidents_per_day(self) -> float:
        return self.incidents / self.days

    @property
    def bound_per_day(self) -> float:
        return self.bound / self.days

    @property
    def violations_per_day(self) -> float:
        return self.violations / self.days


@dataclass(frozen=True)
class RateLine:
    """The before/during/after rates of one agreement (nested ones carry their depth)."""

    slug: str
    name: str
    depth: int
    window_days: float
    open_ended: bool
    windows: list[Window]
    imprecise: int


@dataclass(frozen=True)
class SourceLine:
    title: str
    publisher: str | None
    kind: str
    reliability: str
    credibility: int
    stance: str
    blames: str | None
    url: str | None
    excerpt: str | None
    confidential: bool


@dataclass(frozen=True)
class IncidentLine:
    id: int
    ref: str | None
    occurred: str
    precision: str
    place: str | None
    governorate: str | None
    perpetrator: str | None
    category: str
    status: str
    verdict: str
    reasons: list[str]
    events: str | None
    casualties: dict[str, str]
    description: str | None
    sources: list[SourceLine]
    withheld_sources: int


@dataclass(frozen=True)
class AgreementInfo:
    slug: str
    name: str
    name_ar: str | None
    kind: str
    signed_on: dt.date | None
    effective_from: dt.datetime
    expires_at: dt.datetime | None
    is_unilateral: bool
    parent: tuple[str, str] | None
    children: list[tuple[str, str]]


@dataclass(frozen=True)
class Report:
    """Everything the report shows, in every format."""

    agreement: AgreementInfo
    date_from: dt.date | None
    date_to: dt.date | None
    public: bool
    generated_at: dt.datetime
    total: int
    verdicts: list[CountRow]
    breakdowns: dict[str, list[CountRow]]
    blamed: list[BlameRow]
    disputed_attribution: int
    casualties: dict[str, list[Casualties]]  # "all" and each verdict
    events: EventCount
    source_quality: SourceQuality
    timeline: Timeline
    map: MapData
    rates: list[RateLine]
    outside_scope: list[IncidentLine]
    indeterminate: list[IncidentLine]
    incidents: list[IncidentLine]
    filter_args: dict[str, str] = field(default_factory=dict)
    #: incidents in the agreement's scope that the figures leave out, by status (drafts and
    #: rejected incidents)
    left_out: dict[str, int] = field(default_factory=dict)
    #: how many incidents each verdict list holds in all (the lists show the first ones)
    listed_totals: dict[str, int] = field(default_factory=dict)
    #: the local time zone the report's days are in
    timezone: str = "UTC"

    def count_of(self, verdict: str) -> int:
        return next((row.incidents for row in self.verdicts if row.key == verdict), 0)

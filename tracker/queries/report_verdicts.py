"""The applicability verdict as one SQL expression, so that an agreement's 200k incidents are
judged in the database when its stored verdicts are (re)built
(:func:`tracker.services.report_rebuild.rebuild`).

The rule in :mod:`tracker.rules.applicability` judges one incident at a time. Its verdict is
the worst of independent findings: the time window and the deadlines (which depend on the
incident's own dates), the territory (which depends only on the place and the location
precision), the perpetrator (only on the actor) and the claimed justification (only on the
claimed target and the text). Here the date tests are written in SQL, and the other findings
are computed by the rule itself once per place, actor and text, then handed to SQL as a
``CASE`` over ids. The result equals :func:`tracker.rules.applicability.assess` for every
incident (the tests check this), without loading the incidents into Python.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Actor, Agreement, Incident, LocationPrecision, Place, Provision
from tracker.models import incident_provisions as links
from tracker.queries.applicability import actor_facts, agreement_facts
from tracker.queries.boundaries import label_point, rings_of, smallest_areas
from tracker.rules.applicability import (
    NON_ATTACK,
    ActorFacts,
    AgreementFacts,
    Finding,
    IncidentFacts,
    TerritoryFacts,
    check_justification,
    check_perpetrator,
    check_territory,
    report_span,
)

_PRECISIONS = tuple(str(p) for p in LocationPrecision)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class VerdictSql:
    """The judgement of ``incidents`` rows against one agreement in SQL: ``rows`` selects the
    verdict of every candidate (a pair stored at all, see
    :func:`tracker.rules.applicability.judge`), in incident order, as the columns of
    :class:`tracker.models.IncidentVerdict`: ``incident_id``, ``agreement_id``,
    ``occurred_on``; ``finding``, the number of the worst finding (0 violation, 1 contested,
    2 indeterminate, 3 outside scope) of every test but the claimed-justification text;
    ``scope_finding``, the same with the time tests set aside; ``territory_finding``, the
    territory test; and ``in_report``, whether the report counts the pair. Each test is
    computed once per incident (see :func:`verdict_sql`).

    The text of a claimed justification is matched against the excluded parties' names by the
    rule in Python: :meth:`resolve` finishes the verdict of the incidents whose finding is
    still 0 and that claim a justification."""

    rows: Select[Any]
    excluded_names: tuple[tuple[str, tuple[str, ...]], ...]

    def resolve(self, finding: int, text: str | None) -> int:
        """The final finding: a violation whose justification names an excluded party is
        contested."""
        if finding == 0 and text and _text_finding(self.excluded_names, text):
            return int(Finding.CONTESTED)
        return finding


def greatest(dialect: str, *values: ColumnElement[int]) -> ColumnElement[int]:
    """The largest of ``values`` (SQLite's many-argument max, PostgreSQL's GREATEST)."""
    if len(values) == 1:
        return values[0]
    if dialect == "postgresql":
        return func.greatest(*values)
    return func.max(*values)


def _within_sql(low: dt.datetime, high: dt.datetime | None) -> ColumnElement[int]:
    """SQL twin of the rule's window test of ``[occurred_start, occurred_end]`` in
    ``[low, high)``."""
    start, end = Incident.occurred_start, Incident.occurred_end
    instant_inside = start >= low if high is None else and_(start >= low, start < high)
    ends_before = end <= low if high is None else or_(end <= low, start >= high)
    contained = start >= low if high is None else and_(start >= low, end <= high)
    return case(
        (start == end, case((instant_inside, 0), else_=3)),
        (ends_before, 3),
        (contained, 0),
        else_=2,
    )


def _obligation_sql(
    provisions: Iterable[Provision],
) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """SQL twin of the rule's obligation test: the finding of the most clearly breached of the
    agreement's provisions tagged on the incident, else the general obligation to cease fire;
    and the same with deadlines set aside (for the scope finding).

    Written as EXISTS tests in the order of the findings rather than as ``min()`` over the
    links: SQLite's min/max optimisation gave plan-dependent answers for the aggregate."""
    general = case((Incident.category.in_(sorted(NON_ATTACK)), 3), else_=0)
    own = list(provisions)
    if not own:
        return general, general
    link = links.alias("obligation_links")

    def tagged(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        return (
            select(link.c.provision_id)
            .where(
                link.c.incident_id == Incident.id,
                link.c.provision_id.in_([p.id for p in own]),
                *conditions,
            )
            .correlate(Incident)
            .exists()
        )

    def breached_with(finding: int) -> list[ColumnElement[bool]]:
        return [
            and_(link.c.provision_id == p.id, _within_sql(p.deadline, None) == finding)
            for p in own
            if p.deadline is not None
        ]

    undated = [p.id for p in own if p.deadline is None]
    clear = breached_with(0) + ([link.c.provision_id.in_(undated)] if undated else [])
    unclear = breached_with(2)
    any_tagged = tagged()
    # the untagged incidents (most of them) first, so that they cost one search of the links
    branches: list[tuple[ColumnElement[bool], ColumnElement[int]]] = [(~any_tagged, general)]
    if clear:
        branches.append((tagged(or_(*clear)), literal(0)))
    if unclear:
        branches.append((tagged(or_(*unclear)), literal(2)))
    return case(*branches, else_=literal(3)), case((any_tagged, 0), else_=general)


def _by_id(
    column: ColumnElement[Any], findings: Mapping[int, int], when_null: int
) -> ColumnElement[int]:
    """``CASE`` giving each id's finding; the commonest finding is the ELSE branch so that
    only the exceptions are listed."""
    if set(findings.values()) <= {when_null}:
        return literal(when_null)
    groups: dict[int, list[int]] = defaultdict(list)
    for key, finding in findings.items():
        groups[finding].append(key)
    commonest = max(groups, key=lambda f: len(groups[f]))
    branches = [(column.is_(None), literal(when_null))]
    branches += [
        (column.in_(sorted(ids)), literal(f)) for f, ids in groups.items() if f != commonest
    ]
    return case(*branches, else_=literal(commonest))


def _territory_key(facts: AgreementFacts) -> tuple[Any, ...]:
    return tuple(
        (t.name, json.dumps(t.geometry, sort_keys=True) if t.geometry else None, t.admin_pcodes)
        for t in facts.territories
    )


@lru_cache(maxsize=64)
def _territory_facts(territories: tuple[Any, ...]) -> AgreementFacts:
    """An agreement of these territories alone (``territories`` as :func:`_territory_key`
    gives them), read once for all the places judged against them."""
    return AgreementFacts(
        slug="",
        name="",
        effective_from=_EPOCH,
        expires_at=None,
        is_unilateral=False,
        roles={},
        territories=tuple(
            TerritoryFacts(name, json.loads(geometry) if geometry else None, codes)
            for name, geometry, codes in territories
        ),
    )


@lru_cache(maxsize=100_000)
def _place_findings(
    territories: tuple[Any, ...],
    latitude: float | None,
    longitude: float | None,
    pcodes: frozenset[str],
    area: str | None = None,
) -> tuple[int, ...]:
    """The territory finding of a place at each location precision (memoised: the rule is
    pure and points in polygons are the costliest part of a report)."""
    agreement = _territory_facts(territories)
    return tuple(
        int(
            check_territory(
                IncidentFacts(
                    start=_EPOCH,
                    end=_EPOCH,
                    precision="time",
                    latitude=latitude,
                    longitude=longitude,
                    location_precision=precision,
                    pcodes=pcodes,
                    area=json.loads(area) if area else None,
                ),
                agreement,
            ).finding
        )
        for precision in _PRECISIONS
    )


class PlaceRow(NamedTuple):
    """What reports need of a place: names, admin areas, coordinates and P-codes (a named
    tuple: a report reads every place, and tuples are the cheapest to make)."""

    id: int
    name: str
    latitude: float | None
    longitude: float | None
    pcodes: frozenset[str]
    admin1: str | None
    admin2: str | None
    #: GeoJSON text of the smallest admin area holding a place that has no point
    area: str | None = None

    def point(self) -> tuple[float, float] | None:
        """Where a map draws the place (longitude, latitude): its own point, else the middle
        of the smallest admin area known to hold it; None when neither is known."""
        if self.latitude is not None and self.longitude is not None:
            return float(self.longitude), float(self.latitude)
        rings = list(rings_of(json.loads(self.area))) if self.area else []
        return label_point(rings) if rings else None


@dataclass(frozen=True)
class Gazetteer:
    """Every place and actor, read once per report (a few thousand rows)."""

    places: dict[int, PlaceRow]
    actor_names: dict[int, tuple[str, str]]  # id -> (slug, English name)
    chains: dict[int, ActorFacts]


#: Up to this many places without a point have their P-codes read by id.
_POINTLESS_BY_ID = 500


def load_gazetteer(session: Session, *, for_rules: bool = True) -> Gazetteer:
    """Read the places and actors that verdicts and breakdowns refer to; without
    ``for_rules``, only what reports show (names and admin areas, no P-codes or actor
    chains)."""
    codes = (Place.pcode, Place.admin1_pcode, Place.admin2_pcode, Place.admin3_pcode)
    no_codes: frozenset[str] = frozenset()
    places = {
        row[0]: PlaceRow(
            row[0],
            row[1],
            row[2],
            row[3],
            frozenset(c for c in row[6:] if c) if for_rules else no_codes,
            row[4],
            row[5],
        )
        for row in session.execute(
            select(
                Place.id,
                Place.name_en,
                Place.latitude,
                Place.longitude,
                Place.admin1_name,
                Place.admin2_name,
                *(codes if for_rules else ()),
            )
        )
    }
    # the places without a point are found among those read: their P-codes are read by id
    # when they are few, else by a second scan of the places
    without_point = [p.id for p in places.values() if p.latitude is None]
    pointless = (
        {
            row[0]: frozenset(c for c in row[1:] if c)
            for row in session.execute(
                select(Place.id, *codes).where(
                    Place.id.in_(without_point)
                    if len(without_point) <= _POINTLESS_BY_ID
                    else Place.latitude.is_(None)
                )
            )
        }
        if without_point
        else {}
    )
    for place_id, shape in smallest_areas(session, pointless).items():
        places[place_id] = places[place_id]._replace(area=shape)
    if not for_rules:
        names = {
            row.id: (row.slug, row.name_en)
            for row in session.execute(select(Actor.id, Actor.slug, Actor.name_en))
        }
        return Gazetteer(places=places, actor_names=names, chains={})
    actors = session.scalars(select(Actor).options(selectinload(Actor.members))).all()
    chains = {actor.id: _facts(actor) for actor in actors}
    names = {actor.id: (actor.slug, actor.name_en) for actor in actors}
    return Gazetteer(places=places, actor_names=names, chains=chains)


def _facts(actor: Actor) -> ActorFacts:
    facts = actor_facts(actor)
    if facts is None:  # only for a missing actor, which a loaded row never is
        raise ValueError("an actor is required")
    return facts


def _territory_sql(gazetteer: Gazetteer, facts: AgreementFacts) -> ColumnElement[int]:
    if not facts.territories:
        return literal(0)
    key = _territory_key(facts)
    signatures = {
        place.id: _place_findings(key, place.latitude, place.longitude, place.pcodes, place.area)
        for place in gazetteer.places.values()
    }
    no_place = _place_findings(key, None, None, frozenset())
    distinct = {*signatures.values(), no_place}
    number = {sig: n for n, sig in enumerate(sorted(distinct))}
    by_signature = _by_id(
        Incident.__table__.c.place_id,
        {pid: number[sig] for pid, sig in signatures.items()},
        number[no_place],
    )
    if len(distinct) == 1:
        return _by_precision(no_place)
    whens: dict[int, ColumnElement[int]] = {n: _by_precision(sig) for sig, n in number.items()}
    return case(whens, value=by_signature)


def _by_precision(signature: tuple[int, ...]) -> ColumnElement[int]:
    if len(set(signature)) == 1:
        return literal(signature[0])
    counts = Counter(signature)
    commonest = counts.most_common(1)[0][0]
    return case(
        *(
            (Incident.location_precision == precision, literal(finding))
            for precision, finding in zip(_PRECISIONS, signature, strict=True)
            if finding != commonest
        ),
        else_=literal(commonest),
    )


def _actor_sql(
    chains: Mapping[int, ActorFacts], facts: AgreementFacts
) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """The perpetrator finding and the claimed-target finding, each as a CASE over actor ids."""
    blank = IncidentFacts(start=_EPOCH, end=_EPOCH, precision="time")
    perpetrator = {}
    target = {}
    for actor_id, chain in chains.items():
        probe = IncidentFacts(start=_EPOCH, end=_EPOCH, precision="time", perpetrator=chain)
        perpetrator[actor_id] = int(check_perpetrator(probe, facts).finding)
        claimed = check_justification(
            IncidentFacts(start=_EPOCH, end=_EPOCH, precision="time", claimed_target=chain), facts
        )
        target[actor_id] = int(claimed.finding) if claimed else 0
    return (
        _by_id(
            Incident.__table__.c.perpetrator_id,
            perpetrator,
            int(check_perpetrator(blank, facts).finding),
        ),
        _by_id(Incident.__table__.c.claimed_target_id, target, 0),
    )


@lru_cache(maxsize=50_000)
def _text_finding(excluded: tuple[tuple[str, tuple[str, ...]], ...], text: str) -> int:
    facts = AgreementFacts(
        slug="",
        name="",
        effective_from=_EPOCH,
        expires_at=None,
        is_unilateral=False,
        roles={},
        excluded_names=dict(excluded),
    )
    reason = check_justification(
        IncidentFacts(start=_EPOCH, end=_EPOCH, precision="time", claimed_justification=text),
        facts,
    )
    return int(reason.finding) if reason else 0


def verdict_sql(session: Session, agreement: Agreement, gazetteer: Gazetteer) -> VerdictSql:
    """The verdict expressions of ``agreement`` (its parties, provisions and territories must
    be loaded); raises nothing of its own."""
    facts = agreement_facts(agreement)
    dialect = session.get_bind().dialect.name
    perpetrator, target = _actor_sql(gazetteer.chains, facts)
    territory = _territory_sql(gazetteer, facts)
    time = _within_sql(facts.effective_from, facts.expires_at)
    obligation, obligation_scope = _obligation_sql(agreement.provisions)
    low, high = report_span(facts)
    alleged = Incident.alleged_agreement_id == agreement.id
    excluded = tuple(sorted(facts.excluded_names.items()))
    tests: dict[str, ColumnElement[Any]] = {
        "alleged": alleged,
        "time": time,
        "obligation": obligation,
        "obligation_scope": obligation_scope,
        "territory": territory,
        "perpetrator": perpetrator,
        "target": target,
        "span": _within_sql(low, high),
    }
    candidate = or_(alleged, and_(territory != 3, tests["span"] != 3))
    # OFFSET 0 keeps the subquery from being merged into the statement over it (PostgreSQL
    # and SQLite alike), where each test would be computed again for every column using it;
    # the tests of the incidents that are no candidates are not computed
    t = (
        select(
            Incident.id.label("incident_id"),
            Incident.occurred_on.label("occurred_on"),
            *(test.label(name) for name, test in tests.items()),
        )
        .where(candidate)
        .order_by(Incident.id)
        .offset(0)
        .subquery("tests")
    )
    finding, scope, in_report = _verdict_columns(dialect, {name: t.c[name] for name in tests})
    rows = select(
        t.c.incident_id,
        literal(agreement.id).label("agreement_id"),
        t.c.occurred_on,
        finding.label("finding"),
        scope.label("scope_finding"),
        t.c.territory.label("territory_finding"),
        in_report.label("in_report"),
    )
    return VerdictSql(rows=rows, excluded_names=excluded)


def _verdict_columns(
    dialect: str, tests: Mapping[str, ColumnElement[Any]]
) -> tuple[ColumnElement[int], ColumnElement[int], ColumnElement[bool]]:
    """The finding, scope finding and ``in_report`` from the tests."""
    time, territory = tests["time"], tests["territory"]
    return (
        greatest(
            dialect,
            time,
            tests["obligation"],
            territory,
            tests["perpetrator"],
            tests["target"],
        ),
        greatest(
            dialect, tests["obligation_scope"], territory, tests["perpetrator"], tests["target"]
        ),
        case(
            (or_(tests["alleged"], and_(time != 3, territory != 3)), literal(True)),
            else_=literal(False),
        ),
    )

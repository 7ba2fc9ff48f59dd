"""Does an incident violate an agreement? Time window, territory and who is bound, with reasons."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from tracker.rules import geo, local_time
from tracker.rules.names import fold
from tracker.rules.values import ascii_digits


def N_(template: str) -> str:  # noqa: N802 (the gettext marker's usual name)
    """Mark ``template`` for translation; it is translated where it is shown."""
    return template


class Verdict(enum.StrEnum):
    VIOLATION = "violation"
    CONTESTED = "contested"
    OUTSIDE_SCOPE = "outside_scope"
    INDETERMINATE = "indeterminate"


class Finding(enum.IntEnum):
    """The answer of one test; the verdict follows the worst one, in this order."""

    INSIDE = 0
    CONTESTED = 1
    UNCERTAIN = 2
    OUTSIDE = 3


VERDICT_OF_FINDING: dict[int, Verdict] = {
    Finding.INSIDE: Verdict.VIOLATION,
    Finding.CONTESTED: Verdict.CONTESTED,
    Finding.UNCERTAIN: Verdict.INDETERMINATE,
    Finding.OUTSIDE: Verdict.OUTSIDE_SCOPE,
}
FINDING_OF_VERDICT: dict[str, int] = {str(v): f for f, v in VERDICT_OF_FINDING.items()}

#: How far from the named place (or the centre of the named area) an incident may be, by
#: location precision, in km: a shape's edge closer than this leaves the verdict open.
LOCATION_RADIUS_KM = {"exact": 0.0, "near": 5.0, "admin3": 15.0, "admin2": 40.0, "admin1": 120.0}
#: Categories that are not acts of fire: they breach a named provision, never the general
#: obligation to cease fire (kept in step with ``tracker.models.NON_ATTACK_CATEGORIES``).
NON_ATTACK = frozenset({"heavy_weapons_in_zone", "troop_build_up"})
#: P-code levels known at each location precision (OCHA P-codes nest by prefix).
_KNOWN_LEVELS = {
    "exact": 4,
    "near": 3,
    "admin3": 3,
    "admin2": 2,
    "admin1": 1,
}

BINDING = frozenset({"signatory", "guarantor", "bound"})

#: The words for precisions inside reasons, marked for translation.
PRECISION_WORDS = {
    "time": N_("time"),
    "day": N_("day"),
    "week": N_("week"),
    "month": N_("month"),
    "year": N_("year"),
}
LOCATION_WORDS = {
    "exact": N_("exact"),
    "near": N_("near"),
    "admin3": N_("admin3"),
    "admin2": N_("admin2"),
    "admin1": N_("admin1"),
}


@dataclass(frozen=True)
class Name:
    """A record's name in English and, when known, in Arabic."""

    en: str
    ar: str | None = None

    def pick(self, language: str) -> str:
        return self.ar if language == "ar" and self.ar else self.en


@dataclass(frozen=True)
class Names:
    """Several names, listed with commas."""

    names: tuple[Name, ...]

    def pick(self, language: str) -> str:
        return ", ".join(n.pick(language) for n in self.names)


@dataclass(frozen=True)
class Text:
    """A sentence as a translatable template (``%(name)s`` placeholders) and its values, which
    may be sentences or names themselves."""

    template: str
    params: tuple[tuple[str, Text | Name | Names | str], ...] = ()

    def render(self, translate: Callable[[str], str] = str, language: str = "en") -> str:
        """The sentence, each template passed through ``translate`` and names in ``language``
        (English by default)."""
        values = {name: _value(value, translate, language) for name, value in self.params}
        return translate(self.template) % values if values else translate(self.template)


def _value(value: Text | Name | Names | str, translate: Callable[[str], str], language: str) -> str:
    if isinstance(value, Text):
        return value.render(translate, language)
    if isinstance(value, Name | Names):
        return value.pick(language)
    return value


def _say(template: str, **params: Text | Name | Names | str) -> Text:
    return Text(template, tuple(params.items()))


@dataclass(frozen=True)
class Reason:
    """One test and what it found, with a sentence a reader can check (``message``, in
    English; ``text`` renders it in another language)."""

    test: str  # "time", "deadline", "obligation", "territory", "perpetrator", "justification"
    finding: Finding
    text: Text

    @property
    def message(self) -> str:
        return self.text.render()


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": str(self.verdict),
            "reasons": [
                {"test": r.test, "finding": r.finding.name.lower(), "message": r.message}
                for r in self.reasons
            ],
        }


@dataclass(frozen=True)
class ActorFacts:
    """An actor and its parents, nearest first, as (slug, English name, aliases) triples with
    their Arabic names alongside, and the members of a coalition or operations room (whose
    acts are its members' acts)."""

    chain: tuple[tuple[str, str, tuple[str, ...]], ...]
    members: tuple[ActorFacts, ...] = ()
    arabic_names: tuple[str | None, ...] = ()

    @property
    def name(self) -> str:
        return self.chain[0][1]

    def display(self, index: int = 0) -> Name:
        """The name of the chain's ``index``-th actor in both languages."""
        arabic = self.arabic_names[index] if index < len(self.arabic_names) else None
        return Name(self.chain[index][1], arabic)


@dataclass(frozen=True)
class TerritoryFacts:
    name: str
    geometry: dict[str, Any] | None = None
    admin_pcodes: frozenset[str] = frozenset()
    name_ar: str | None = None

    @property
    def display(self) -> Name:
        return Name(self.name, self.name_ar)


@dataclass(frozen=True)
class ProvisionFacts:
    code: str
    title: str
    deadline: dt.datetime | None = None
    #: the slug of the agreement the provision belongs to
    agreement: str = ""


@dataclass(frozen=True)
class AgreementFacts:
    slug: str
    name: str
    effective_from: dt.datetime
    expires_at: dt.datetime | None
    is_unilateral: bool
    #: actor slug -> its roles in this agreement
    roles: Mapping[str, frozenset[str]]
    #: names and aliases of the parties the agreement excludes (designated groups)
    excluded_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    territories: tuple[TerritoryFacts, ...] = ()


@dataclass(frozen=True)
class IncidentFacts:
    start: dt.datetime
    end: dt.datetime
    precision: str
    latitude: float | None = None
    longitude: float | None = None
    location_precision: str = "exact"
    #: P-codes of the place and its admin areas (admin1 to admin4)
    pcodes: frozenset[str] = frozenset()
    #: the polygon of the smallest admin area known to hold a place that has no point
    area: dict[str, Any] | None = None
    perpetrator: ActorFacts | None = None
    claimed_target: ActorFacts | None = None
    claimed_justification: str | None = None
    provisions: tuple[ProvisionFacts, ...] = ()
    category: str | None = None


def _fmt(moment: dt.datetime, zone: ZoneInfo | None = None) -> Text:
    """``moment`` in ``zone`` (by default the zone dates are shown in), named in both languages:
    ``18 May 2019 00:00 Damascus``."""
    zone = zone or local_time.display_zone()
    local = moment.astimezone(zone)
    return _say(
        "%(day)s %(month)s %(year)s %(clock)s %(zone)s",
        day=str(local.day),
        month=Name(*(local_time.month_name(local.month, lang) for lang in ("en", "ar"))),
        year=str(local.year),
        clock=f"{local:%H:%M}",
        zone=Name(*(local_time.zone_label(zone, lang) for lang in ("en", "ar"))),
    )


def _within(
    start: dt.datetime, end: dt.datetime, low: dt.datetime, high: dt.datetime | None
) -> Finding:
    """Where the incident's interval lies against the half-open window ``[low, high)``."""
    if start == end:  # an instant
        inside = low <= start and (high is None or start < high)
        return Finding.INSIDE if inside else Finding.OUTSIDE
    if end <= low or (high is not None and start >= high):
        return Finding.OUTSIDE
    if start >= low and (high is None or end <= high):
        return Finding.INSIDE
    return Finding.UNCERTAIN


def check_time(incident: IncidentFacts, agreement: AgreementFacts) -> Reason:
    """Whether the incident falls within the agreement's time window, honouring precision."""
    start = _fmt(agreement.effective_from)
    window = (
        _say(N_("%(start)s to %(end)s"), start=start, end=_fmt(agreement.expires_at))
        if agreement.expires_at
        else _say(N_("%(start)s to no expiry"), start=start)
    )
    when: Text | str = (
        _fmt(incident.start)
        if incident.start == incident.end
        else _say(
            N_("between %(start)s and %(end)s (%(precision)s)"),
            start=_fmt(incident.start),
            end=_fmt(incident.end),
            precision=_say(PRECISION_WORDS.get(incident.precision, incident.precision)),
        )
    )
    finding = _within(incident.start, incident.end, agreement.effective_from, agreement.expires_at)
    template = {
        Finding.INSIDE: N_("the incident (%(when)s) is within the agreement's window (%(window)s)"),
        Finding.OUTSIDE: N_(
            "the incident (%(when)s) is outside the agreement's window (%(window)s)"
        ),
        Finding.UNCERTAIN: N_(
            "the incident is dated only %(when)s: that period straddles the edge of the "
            "agreement's window (%(window)s)"
        ),
    }[finding]
    return Reason("time", finding, _say(template, when=when, window=window))


def _deadline_reason(incident: IncidentFacts, provision: ProvisionFacts) -> Reason:
    deadline = provision.deadline
    if deadline is None:
        return Reason(
            "deadline",
            Finding.INSIDE,
            _say(
                N_("the incident breaches provision %(code)s (%(title)s)"),
                code=provision.code,
                title=provision.title,
            ),
        )
    finding = _within(incident.start, incident.end, deadline, None)
    template = {
        Finding.INSIDE: N_(
            "provision %(code)s (%(title)s) was due by %(deadline)s; the incident is after it"
        ),
        Finding.OUTSIDE: N_(
            "provision %(code)s (%(title)s) was due by %(deadline)s; the incident is before it"
        ),
        Finding.UNCERTAIN: N_(
            "provision %(code)s (%(title)s) was due by %(deadline)s; the incident's date is "
            "too imprecise to say whether it came after"
        ),
    }[finding]
    text = _say(template, code=provision.code, title=provision.title, deadline=_fmt(deadline))
    return Reason("deadline", finding, text)


def check_obligation(incident: IncidentFacts, agreement: AgreementFacts) -> Reason:
    """Which of the agreement's obligations the incident breaches.

    Each of the agreement's provisions tagged on the incident is judged on its own (a
    provision with a deadline is breached only by what persists after it) and the reason is
    that of the provision most clearly breached: a pending deadline never hides the breach of
    another provision. Without a tagged provision of this agreement the incident is judged
    against the general obligation to cease fire, which only acts of fire breach."""
    own = [p for p in incident.provisions if p.agreement == agreement.slug]
    if own:
        judged = [(_deadline_reason(incident, p), p.deadline is None) for p in own]
        # the clearest breach; between equals, the provision whose deadline has passed
        return min(judged, key=lambda pair: (pair[0].finding, pair[1]))[0]
    if incident.category in NON_ATTACK:
        return Reason(
            "obligation",
            Finding.OUTSIDE,
            _say(
                N_(
                    "no provision of the agreement is named, and this kind of incident is not "
                    "an act of fire that would breach the cease fire"
                )
            ),
        )
    return Reason(
        "obligation",
        Finding.INSIDE,
        _say(N_("no provision is named: the incident is judged against the cease fire")),
    )


def pcode_level(code: str) -> int:
    """The admin level of an OCHA P-code: ``SY07`` is 1, ``SY0703`` 2, ``SY070300`` 3; any
    other code (a community's ``C1234``) names a place, level 4."""
    if len(code) >= 4 and code[:2].isalpha() and ascii_digits(code[2:]) and len(code) % 2 == 0:
        return min((len(code) - 2) // 2, 4)
    return 4


def _pcode_match(incident: IncidentFacts, territory_codes: frozenset[str]) -> Finding:
    """Inside when a known code of the location lies in a listed area; uncertain only when the
    location is known less precisely than a listed area that its known area contains."""
    known = _known_pcodes(incident)
    for code in known:
        if any(code.startswith(t) for t in territory_codes):
            return Finding.INSIDE
    depth = max((pcode_level(c) for c in known), default=0)
    deepest = [c for c in known if pcode_level(c) == depth]
    for code in deepest:
        if any(t.startswith(code) and pcode_level(t) > depth for t in territory_codes):
            return Finding.UNCERTAIN
    if depth == 0 and territory_codes:
        return Finding.UNCERTAIN  # nothing is known of where it happened
    return Finding.OUTSIDE


def _known_pcodes(incident: IncidentFacts) -> frozenset[str]:
    """The P-codes the location precision lets us rely on (admin1 to admin3, or the place)."""
    level = _KNOWN_LEVELS.get(incident.location_precision, 1)
    return frozenset(c for c in incident.pcodes if pcode_level(c) <= level)


def _territory_finding(incident: IncidentFacts, territory: TerritoryFacts) -> Finding:
    findings = []
    if territory.admin_pcodes:
        findings.append(_pcode_match(incident, territory.admin_pcodes))
    if territory.geometry is not None:
        radius = LOCATION_RADIUS_KM.get(incident.location_precision)
        if (incident.latitude is None or incident.longitude is None) and incident.area:
            within = geo.lies_within(territory.geometry, incident.area)
            findings.append(
                Finding.UNCERTAIN
                if within is None
                else (Finding.INSIDE if within else Finding.OUTSIDE)
            )
        elif incident.latitude is None or incident.longitude is None or radius is None:
            findings.append(Finding.UNCERTAIN)
        else:
            lon, lat = incident.longitude, incident.latitude
            inside = geo.contains(territory.geometry, lon, lat)
            near_edge = (
                radius > 0 and geo.distance_to_edge_km(territory.geometry, lon, lat) <= radius
            )
            if near_edge:
                findings.append(Finding.UNCERTAIN)
            else:
                findings.append(Finding.INSIDE if inside else Finding.OUTSIDE)
    return min(findings)


def check_territory(incident: IncidentFacts, agreement: AgreementFacts) -> Reason:
    """Whether the incident's place lies within one of the agreement's territories."""
    if not agreement.territories:
        return Reason(
            "territory", Finding.INSIDE, _say(N_("the agreement has no territorial limit"))
        )
    results = [(t, _territory_finding(incident, t)) for t in agreement.territories]
    best_territory, best = min(results, key=lambda pair: pair[1])
    if best == Finding.INSIDE:
        return Reason(
            "territory",
            best,
            _say(N_("the place lies within %(name)s"), name=best_territory.display),
        )
    if best == Finding.UNCERTAIN:
        return Reason(
            "territory",
            best,
            _say(
                N_(
                    "the location (%(precision)s precision) is too imprecise to say whether it "
                    "lies within %(name)s"
                ),
                precision=_say(
                    LOCATION_WORDS.get(incident.location_precision, incident.location_precision)
                ),
                name=best_territory.display,
            ),
        )
    names = Names(tuple(t.display for t in agreement.territories))
    return Reason(
        "territory",
        best,
        _say(N_("the place lies outside the agreement's territory (%(names)s)"), names=names),
    )


def _roles_of(actor: ActorFacts, agreement: AgreementFacts) -> tuple[int, frozenset[str]]:
    """Which of the actor's chain (its index) holds roles in the agreement, and the roles."""
    for index, (slug, _name, _aliases) in enumerate(actor.chain):
        roles = agreement.roles.get(slug)
        if roles:
            return index, roles
    return 0, frozenset()


def _english(name: Name) -> str:
    return name.en


def _coalition_reason(actor: ActorFacts, agreement: AgreementFacts) -> Reason:
    """A coalition without a role of its own is judged through its members."""
    findings = {m.display(): _actor_reason(m, agreement).finding for m in actor.members}
    bound = Names(
        tuple(sorted((n for n, f in findings.items() if f == Finding.INSIDE), key=_english))
    )
    others = Names(
        tuple(sorted((n for n, f in findings.items() if f != Finding.INSIDE), key=_english))
    )
    if not others.names:
        return Reason(
            "perpetrator",
            Finding.INSIDE,
            _say(
                N_("%(actor)s is a coalition whose members are all bound (%(bound)s)"),
                actor=actor.display(),
                bound=bound,
            ),
        )
    if bound.names:
        return Reason(
            "perpetrator",
            Finding.CONTESTED,
            _say(
                N_(
                    "%(actor)s is a coalition of bound members (%(bound)s) and others "
                    "(%(others)s); which of them acted decides whether this is a breach"
                ),
                actor=actor.display(),
                bound=bound,
                others=others,
            ),
        )
    return Reason(
        "perpetrator",
        Finding.OUTSIDE,
        _say(
            N_("%(actor)s is a coalition none of whose members is bound (%(others)s)"),
            actor=actor.display(),
            others=others,
        ),
    )


def check_perpetrator(incident: IncidentFacts, agreement: AgreementFacts) -> Reason:
    """Whether the alleged perpetrator is bound by the agreement."""
    if incident.perpetrator is None:
        return Reason("perpetrator", Finding.UNCERTAIN, _say(N_("the perpetrator is not known")))
    return _actor_reason(incident.perpetrator, agreement)


def _actor_reason(actor: ActorFacts, agreement: AgreementFacts) -> Reason:
    holder, roles = _roles_of(actor, agreement)
    if not roles and actor.members:
        return _coalition_reason(actor, agreement)
    who: Text | Name = (
        actor.display()
        if holder == 0
        else _say(
            N_("%(actor)s (through %(holder)s)"),
            actor=actor.display(),
            holder=actor.display(holder),
        )
    )
    if "excluded" in roles:
        template = N_(
            "%(who)s is a party the agreement excludes; whether its acts breach the agreement "
            "is disputed"
        )
        return Reason("perpetrator", Finding.CONTESTED, _say(template, who=who))
    if agreement.is_unilateral:
        if "signatory" in roles:
            template = N_("%(who)s announced this unilateral truce")
            return Reason("perpetrator", Finding.INSIDE, _say(template, who=who))
        template = N_("a unilateral truce binds only its announcer; %(who)s did not announce it")
        return Reason("perpetrator", Finding.OUTSIDE, _say(template, who=actor.display()))
    if roles & BINDING:
        listed = ", ".join(sorted(roles & BINDING))
        text = _say(N_("%(who)s is bound (%(roles)s)"), who=who, roles=listed)
        return Reason("perpetrator", Finding.INSIDE, text)
    if "rejected" in roles:
        template = N_("%(who)s rejected the agreement and is not bound by it")
    elif "not_notified" in roles:
        template = N_("%(who)s was not notified of the agreement and is not bound by it")
    elif "observer" in roles:
        template = N_("%(who)s is an observer, not bound by the agreement")
    else:
        template, who = N_("%(who)s is not a party to the agreement"), actor.display()
    return Reason("perpetrator", Finding.OUTSIDE, _say(template, who=who))


def check_justification(incident: IncidentFacts, agreement: AgreementFacts) -> Reason | None:
    """A claim that the act targeted a party the agreement excludes makes it contested."""
    target = incident.claimed_target
    if target is not None:
        _holder, roles = _roles_of(target, agreement)
        if "excluded" in roles:
            return Reason(
                "justification",
                Finding.CONTESTED,
                _say(
                    N_(
                        "the act is claimed to have targeted %(target)s, a party the agreement "
                        "excludes"
                    ),
                    target=target.display(),
                ),
            )
    text = fold(incident.claimed_justification or "")
    if text:
        for slug, names in agreement.excluded_names.items():
            for name in names:
                folded = fold(name)
                if folded and f" {folded} " in f" {text} ":
                    return Reason(
                        "justification",
                        Finding.CONTESTED,
                        _say(
                            N_(
                                "the claimed justification names %(name)s (%(slug)s), a party "
                                "the agreement excludes"
                            ),
                            name=name,
                            slug=slug,
                        ),
                    )
    return None


def assess(incident: IncidentFacts, agreement: AgreementFacts) -> Assessment:
    """Judge ``incident`` against ``agreement``: the verdict follows the worst finding
    (outside scope, then indeterminate, then contested, else violation); every test's
    reason is kept."""
    reasons = [check_time(incident, agreement), check_obligation(incident, agreement)]
    reasons.append(check_territory(incident, agreement))
    reasons.append(check_perpetrator(incident, agreement))
    justification = check_justification(incident, agreement)
    if justification is not None:
        reasons.append(justification)
    worst = max(r.finding for r in reasons)
    return Assessment(VERDICT_OF_FINDING[worst], tuple(reasons))


#: The tests that depend on the incident's dates (set aside for the "scope" finding).
DATE_TESTS = frozenset({"time", "deadline"})
#: How far before an open-ended agreement its report looks (the "before" window's cap).
OPEN_ENDED_WINDOW = dt.timedelta(days=365)


def report_span(agreement: AgreementFacts) -> tuple[dt.datetime, dt.datetime | None]:
    """The agreement's window widened by its report's "before" and "after" windows (each as
    long as the agreement was in force; an open-ended agreement looks back
    :data:`OPEN_ENDED_WINDOW` and has no "after")."""
    start, end = agreement.effective_from, agreement.expires_at
    if end is None:
        return start - OPEN_ENDED_WINDOW, None
    length = end - start
    return start - length, end + length


@dataclass(frozen=True)
class Judgement:
    """What is stored of an incident judged against one agreement (see
    :class:`tracker.models.IncidentVerdict`)."""

    finding: int
    scope_finding: int
    territory_finding: int
    in_report: bool


def judge(incident: IncidentFacts, agreement: AgreementFacts, *, alleged: bool) -> Judgement | None:
    """The stored verdict of ``incident`` against ``agreement``, or None when the agreement
    cannot hold it: its territory cannot contain the incident, or the incident lies outside
    the agreement's report span (:func:`report_span`). The alleged agreement always gets a
    verdict. The report of the agreement counts the incident (``in_report``) when it is the
    alleged agreement or when the incident is not outside its window and territory."""
    assessment = assess(incident, agreement)
    by_test = {r.test: r.finding for r in assessment.reasons}
    territory = by_test["territory"]
    if not alleged:
        low, high = report_span(agreement)
        if territory == Finding.OUTSIDE or _within(incident.start, incident.end, low, high) == (
            Finding.OUTSIDE
        ):
            return None
    scope = max(
        (r.finding for r in assessment.reasons if r.test not in DATE_TESTS),
        default=Finding.INSIDE,
    )
    return Judgement(
        finding=int(max(r.finding for r in assessment.reasons)),
        scope_finding=int(scope),
        territory_finding=int(territory),
        in_report=alleged or (by_test["time"] != Finding.OUTSIDE and territory != Finding.OUTSIDE),
    )

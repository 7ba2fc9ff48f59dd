"""How the figures are made, in plain words with their thresholds: the /methodology page and the
``methodology`` section of every JSON report say the same, from the same constants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.queries.incidents import COUNTED_STATUSES
from tracker.queries.report_breakdowns import DAILY_CHART_MAX_DAYS
from tracker.queries.report_rates import OPEN_ENDED_WINDOW_DAYS
from tracker.queries.reports import REASON_LIST_LIMIT, TABLE_LIMIT
from tracker.queries.visibility import PUBLIC_STATUSES
from tracker.rules.applicability import LOCATION_RADIUS_KM, NON_ATTACK
from tracker.rules.values import N_


@dataclass(frozen=True)
class Rule:
    """One rule of the method: a name, a sentence with ``%(name)s`` placeholders, and the
    values that fill them (the thresholds the code uses)."""

    key: str
    title: str
    text: str
    values: dict[str, Any]

    def sentence(self, translate: Any = str) -> str:
        return str(translate(self.text)) % {k: _shown(v) for k, v in self.values.items()}


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple | frozenset | set):
        return ", ".join(str(v) for v in sorted(value))
    return str(value)


def rules(*, public: bool, timezone: str) -> list[Rule]:
    """The rules behind every figure, with the values in force."""
    statuses = [str(s) for s in (PUBLIC_STATUSES if public else ())]
    return [
        Rule(
            "lens",
            N_("Every agreement is a lens"),
            N_(
                "Each incident is judged against every agreement whose window, widened by the "
                "report's before and after windows, and whose territory could hold it, and "
                "against the agreement a source or analyst named (the alleged agreement). An "
                "agreement's report counts the incidents of its alleged agreement and those "
                "inside its window that are not outside its territory."
            ),
            {},
        ),
        Rule(
            "time",
            N_("Local days"),
            N_(
                "Dates are read and shown as local days and times in %(timezone)s. An "
                "agreement's window runs from its entry into force up to, not including, its "
                "expiry. An incident dated only to a day, week, month or year is a range: "
                "inside the window when the whole range is, outside when none of it is, "
                "indeterminate when it straddles an edge."
            ),
            {"timezone": timezone},
        ),
        Rule(
            "place",
            N_("Places and territories"),
            N_(
                "An incident 'near' a place may lie up to %(near)s km from it; one known only "
                "to its sub-district, district or governorate is placed at the area's centre "
                "within %(admin3)s, %(admin2)s or %(admin1)s km. Against a shape, the verdict "
                "is indeterminate when the shape's edge is closer than that. Against a list of "
                "administrative areas (OCHA P-codes, which nest), an exact or near place "
                "outside every listed area is outside scope; a location is indeterminate only "
                "when it is known less precisely than a listed area that its own area contains."
            ),
            {
                "near": LOCATION_RADIUS_KM["near"],
                "admin3": LOCATION_RADIUS_KM["admin3"],
                "admin2": LOCATION_RADIUS_KM["admin2"],
                "admin1": LOCATION_RADIUS_KM["admin1"],
            },
        ),
        Rule(
            "obligation",
            N_("Provisions and the cease fire"),
            N_(
                "Each of the agreement's provisions named on an incident is judged on its own: "
                "a provision with a deadline is breached only by what persists after it. The "
                "verdict follows the provision most clearly breached, so a pending deadline "
                "never hides the breach of another provision. An incident that names none of "
                "the agreement's provisions is judged against its general obligation to cease "
                "fire, which acts that are not acts of fire (%(non_attack)s) do not breach."
            ),
            {"non_attack": sorted(NON_ATTACK)},
        ),
        Rule(
            "parties",
            N_("Who is bound"),
            N_(
                "Signatories, guarantors and bound parties are bound, with the forces under "
                "them. A unilateral truce binds only its announcer. Parties that rejected an "
                "agreement, were not notified of it or only observe it are not bound. An act "
                "of a party the agreement excludes, or one claimed to target such a party, is "
                "contested. An operations room without a role of its own is judged through its "
                "members."
            ),
            {},
        ),
        Rule(
            "order",
            N_("The verdict"),
            N_(
                "Every test gives a finding; the verdict follows the worst: outside scope, "
                "then indeterminate, then contested, else violation. Every test's reason is "
                "kept and shown."
            ),
            {},
        ),
        Rule(
            "statuses",
            N_("Which incidents count"),
            N_(
                "Figures count incidents that are %(counted)s; the headline splits each verdict "
                "by these review states. Drafts and rejected incidents are never counted (the "
                "report says how many it left out), and retracted ones never appear."
            ),
            {"counted": [str(s) for s in COUNTED_STATUSES]},
        )
        if not public
        else Rule(
            "statuses",
            N_("Which incidents count"),
            N_(
                "This public version shows incidents that are %(public)s and counts those that "
                "are %(counted)s; the headline splits each verdict by these review states. "
                "Drafts, rejected and retracted incidents are never counted, and confidential "
                "sources are left out of every figure."
            ),
            {"public": statuses, "counted": [str(s) for s in COUNTED_STATUSES]},
        ),
        Rule(
            "qualifiers",
            N_("Counts and casualties"),
            N_(
                "A casualty figure keeps its qualifier: a minimum with no maximum ('at least "
                "2') makes the sum a minimum ('≥'); an 'about' figure makes it approximate; an "
                "'at most' figure counts from 0. Event counts of 'more than' and 'at least' "
                "make the total a minimum ('≥ N'); a total that includes 'about' counts is "
                "'about N'. Low, best and high sums use the low figure, else the best; the best, "
                "else the low; the high, else the best, else the low."
            ),
            {},
        ),
        Rule(
            "sources",
            N_("Independent sources"),
            N_(
                "Sources are independent when their origins differ: a source carried by another "
                "(a quote printed in an article) has that source's origin, and sources of one "
                "publisher, under any of its names, share one origin. Only sources that support "
                "the incident count."
            ),
            {},
        ),
        Rule(
            "rates",
            N_("Before, during and after"),
            N_(
                "The rates count incidents in the agreement's territory, and violations by the "
                "parties it binds, per day in equal windows before entry into force, in force "
                "and after expiry. An open-ended agreement's window is the time in force up to "
                "the report's date, capped at %(cap)s days, with no 'after'. A period report "
                "cuts the windows to its period. Incidents dated too imprecisely to fit one "
                "window are counted apart."
            ),
            {"cap": OPEN_ENDED_WINDOW_DAYS},
        ),
        Rule(
            "lists",
            N_("Lists and charts"),
            N_(
                "The report lists the newest %(table)s counted incidents and the first "
                "%(reasons)s outside-scope and indeterminate ones with their reasons; the JSON "
                "marks each list it cuts with its total, and every count links to the full "
                "list. Timelines longer than %(days)s days are drawn per week."
            ),
            {"table": TABLE_LIMIT, "reasons": REASON_LIST_LIMIT, "days": DAILY_CHART_MAX_DAYS},
        ),
    ]


def methodology(*, public: bool, timezone: str) -> list[dict[str, Any]]:
    """The rules as JSON-ready data (English sentences, and the values they state)."""
    return [
        {"key": r.key, "title": r.title, "text": r.sentence(), "values": _plain(r.values)}
        for r in rules(public=public, timezone=timezone)
    ]


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: sorted(v) if isinstance(v, list | tuple | frozenset | set) else v
        for k, v in values.items()
    }

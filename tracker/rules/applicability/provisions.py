"""The obligation test: which of the agreement's provisions (or its cease fire) the incident
breaches, with each provision's deadline."""

from __future__ import annotations

from tracker.rules.applicability.facts import AgreementFacts, IncidentFacts, ProvisionFacts
from tracker.rules.applicability.findings import N_, Finding, Reason, say
from tracker.rules.applicability.time_window import moment_text, within

#: Categories that are not acts of fire: they breach a named provision, never the general
#: obligation to cease fire (kept in step with ``tracker.models.NON_ATTACK_CATEGORIES``).
NON_ATTACK = frozenset({"heavy_weapons_in_zone", "troop_build_up"})


def _deadline_reason(incident: IncidentFacts, provision: ProvisionFacts) -> Reason:
    deadline = provision.deadline
    if deadline is None:
        return Reason(
            "deadline",
            Finding.INSIDE,
            say(
                N_("the incident breaches provision %(code)s (%(title)s)"),
                code=provision.code,
                title=provision.title,
            ),
        )
    finding = within(incident.start, incident.end, deadline, None)
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
    text = say(template, code=provision.code, title=provision.title, deadline=moment_text(deadline))
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
            say(
                N_(
                    "no provision of the agreement is named, and this kind of incident is not "
                    "an act of fire that would breach the cease fire"
                )
            ),
        )
    return Reason(
        "obligation",
        Finding.INSIDE,
        say(N_("no provision is named: the incident is judged against the cease fire")),
    )

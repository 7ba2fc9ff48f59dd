"""The perpetrator and justification tests: is the alleged perpetrator bound by the agreement
(through its parents, or as a coalition of its members), and is the act claimed to target a
party the agreement excludes."""

from __future__ import annotations

from tracker.rules.applicability.facts import ActorFacts, AgreementFacts, IncidentFacts
from tracker.rules.applicability.findings import N_, Finding, Name, Names, Reason, Text, say
from tracker.rules.names import fold

BINDING = frozenset({"signatory", "guarantor", "bound"})


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
            say(
                N_("%(actor)s is a coalition whose members are all bound (%(bound)s)"),
                actor=actor.display(),
                bound=bound,
            ),
        )
    if bound.names:
        return Reason(
            "perpetrator",
            Finding.CONTESTED,
            say(
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
        say(
            N_("%(actor)s is a coalition none of whose members is bound (%(others)s)"),
            actor=actor.display(),
            others=others,
        ),
    )


def check_perpetrator(incident: IncidentFacts, agreement: AgreementFacts) -> Reason:
    """Whether the alleged perpetrator is bound by the agreement."""
    if incident.perpetrator is None:
        return Reason("perpetrator", Finding.UNCERTAIN, say(N_("the perpetrator is not known")))
    return _actor_reason(incident.perpetrator, agreement)


def _actor_reason(actor: ActorFacts, agreement: AgreementFacts) -> Reason:
    holder, roles = _roles_of(actor, agreement)
    if not roles and actor.members:
        return _coalition_reason(actor, agreement)
    who: Text | Name = (
        actor.display()
        if holder == 0
        else say(
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
        return Reason("perpetrator", Finding.CONTESTED, say(template, who=who))
    if agreement.is_unilateral:
        if "signatory" in roles:
            template = N_("%(who)s announced this unilateral truce")
            return Reason("perpetrator", Finding.INSIDE, say(template, who=who))
        template = N_("a unilateral truce binds only its announcer; %(who)s did not announce it")
        return Reason("perpetrator", Finding.OUTSIDE, say(template, who=actor.display()))
    if roles & BINDING:
        listed = ", ".join(sorted(roles & BINDING))
        text = say(N_("%(who)s is bound (%(roles)s)"), who=who, roles=listed)
        return Reason("perpetrator", Finding.INSIDE, text)
    if "rejected" in roles:
        template = N_("%(who)s rejected the agreement and is not bound by it")
    elif "not_notified" in roles:
        template = N_("%(who)s was not notified of the agreement and is not bound by it")
    elif "observer" in roles:
        template = N_("%(who)s is an observer, not bound by the agreement")
    else:
        template, who = N_("%(who)s is not a party to the agreement"), actor.display()
    return Reason("perpetrator", Finding.OUTSIDE, say(template, who=who))


def check_justification(incident: IncidentFacts, agreement: AgreementFacts) -> Reason | None:
    """A claim that the act targeted a party the agreement excludes makes it contested."""
    target = incident.claimed_target
    if target is not None:
        _holder, roles = _roles_of(target, agreement)
        if "excluded" in roles:
            return Reason(
                "justification",
                Finding.CONTESTED,
                say(
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
                        say(
                            N_(
                                "the claimed justification names %(name)s (%(slug)s), a party "
                                "the agreement excludes"
                            ),
                            name=name,
                            slug=slug,
                        ),
                    )
    return None

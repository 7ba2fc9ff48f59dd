"""PA-X Peace Agreements Database rows (the full 266-column CSV, with its BOM and line breaks
inside quoted fields): one row to one agreement, with the PA-X text fields kept as claims."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from tracker.imports import fields
from tracker.imports.table import RawRow, Rejection

REQUIRED = ("Con", "AgtId", "Agt", "Dat", "Status")
#: The PA-X fields kept as sources of the agreement's facts: column -> the claim it supports.
CLAIMS = {
    "Agt": "name",
    "Dat": "date signed",
    "Status": "status",
    "Agtp": "agreement type",
    "Stage": "stage",
    "StageSub": "sub-stage",
    "Con": "country or entity",
    "Contp": "conflict type",
    "PPName": "peace process",
    "Part": "parties",
    "ThrdPart": "third parties",
    "OthAgr": "other agreements referred to",
    "Reg": "region",
}
_KINDS = (
    ("de-escalation", "de_escalation_zone"),
    ("demilitari", "demilitarized_zone"),
    ("humanitarian pause", "humanitarian_pause"),
    ("evacuat", "evacuation_deal"),
    ("truce", "truce"),
)


@dataclass(frozen=True)
class PaxAgreement:
    """An agreement of PA-X."""

    row: int
    pax_id: int
    name: str
    signed_on: dt.date
    kind: str
    is_unilateral: bool
    countries: tuple[str, ...]
    claims: dict[str, str]


def countries(raw: RawRow) -> list[str]:
    """The countries or entities the row's ``Con`` names (``Russia/Syria/Turkey``)."""
    return [c.strip() for c in (raw.cells.get("Con") or "").split("/") if c.strip()]


def _kind(name: str) -> str:
    lowered = name.casefold()
    for word, kind in _KINDS:
        if word in lowered:
            return kind
    return "ceasefire"


def read_row(raw: RawRow) -> PaxAgreement | list[Rejection]:
    """The row as an agreement, or every reason it cannot be one."""
    if raw.problems:
        return raw.problems
    cells = raw.cells
    attempt = fields.Collector(raw.number)
    pax_id = attempt(lambda: fields.integer(cells, "AgtId", low=1, high=10_000_000))
    name = attempt(lambda: fields.text(cells, "Agt", 5_000, required=True))
    signed = attempt(lambda: fields.day(cells, "Dat"))
    claims = {}
    for column in CLAIMS:
        value = attempt(partial(fields.text, cells, column, 100_000))
        if value:
            claims[column] = value.replace("\r\n", "\n")
    if pax_id is None and not attempt.problems:
        attempt.problems.append(Rejection(raw.number, "AgtId", "", "a PA-X id is required"))
    if attempt.problems:
        return attempt.problems
    if not (pax_id is not None and name and signed is not None):
        return [Rejection(raw.number, "", "", "the row cannot be read")]
    return PaxAgreement(
        raw.number,
        pax_id,
        name,
        signed,
        _kind(name),
        (cells.get("Status") or "").strip() == "Unilateral document",
        tuple(countries(raw)),
        claims,
    )

"""The domain model: import every model here so the metadata is complete."""

from tracker.models.actors import Actor, ActorKind
from tracker.models.agreements import (
    BINDING_ROLES,
    Agreement,
    AgreementKind,
    AgreementParty,
    PartyRole,
    Provision,
    ProvisionKind,
    Territory,
)
from tracker.models.api_tokens import ApiToken, TokenScope
from tracker.models.audit import AuditEvent, Revision
from tracker.models.base import Base, utcnow
from tracker.models.imports import AdminArea, ExternalRecord, ImportRun
from tracker.models.incidents import (
    CASUALTY_GROUPS,
    Category,
    Confidence,
    CountQualifier,
    DatePrecision,
    FigureQualifier,
    Incident,
    LocationPrecision,
    Status,
    incident_provisions,
)
from tracker.models.places import Place, PlaceKind
from tracker.models.report_store import IncidentVerdict, ReportCell, ReportState
from tracker.models.review import ReviewClaim
from tracker.models.sessions import LoginAttempt, UserSession
from tracker.models.sources import (
    AgreementSource,
    IncidentSource,
    Publisher,
    RecordState,
    Reliability,
    Source,
    SourceKind,
    Stance,
)
from tracker.models.users import ROLE_ORDER, Role, User

__all__ = [
    "BINDING_ROLES",
    "CASUALTY_GROUPS",
    "ROLE_ORDER",
    "Actor",
    "ActorKind",
    "AdminArea",
    "Agreement",
    "AgreementKind",
    "AgreementParty",
    "AgreementSource",
    "ApiToken",
    "AuditEvent",
    "Base",
    "Category",
    "Confidence",
    "CountQualifier",
    "DatePrecision",
    "ExternalRecord",
    "FigureQualifier",
    "ImportRun",
    "Incident",
    "IncidentSource",
    "IncidentVerdict",
    "LocationPrecision",
    "LoginAttempt",
    "PartyRole",
    "Place",
    "PlaceKind",
    "Provision",
    "ProvisionKind",
    "Publisher",
    "RecordState",
    "Reliability",
    "ReportCell",
    "ReportState",
    "ReviewClaim",
    "Revision",
    "Role",
    "Source",
    "SourceKind",
    "Stance",
    "Status",
    "Territory",
    "TokenScope",
    "User",
    "UserSession",
    "incident_provisions",
    "utcnow",
]

"""Imports of reference data: the OCHA gazetteer (places), OCHA admin boundaries (admin
areas and their polygons) and PA-X agreements, each checked in full before anything is written,
keyed by its P-code or PA-X id so that the same file twice changes nothing."""

from tracker.services.reference_imports.admin_areas import import_boundaries
from tracker.services.reference_imports.agreements import import_agreements
from tracker.services.reference_imports.places import import_places

__all__ = ["import_agreements", "import_boundaries", "import_places"]

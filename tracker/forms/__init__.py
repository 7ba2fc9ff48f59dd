"""WTForms per area: field-level checks only."""

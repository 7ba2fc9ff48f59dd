"""Pure functions of the domain: no database, no Flask."""

"""The JSON API under ``/api/v1/``: schemas, token authentication, problem details, records."""

"""Alembic migrations: every table yibao owns (see `interfaces.migrate`)."""

"""Dates and times as text that reads the same in every language and time zone setting."""

from __future__ import annotations

from datetime import date


def iso(value: date | None) -> str | None:
    """ISO 8601 (``2026-12-01T10:00:00+01:00``, ``2026-12-01``), or None for no value.

    For machine-readable output such as the personal-data export; ``datetime`` is a ``date``.
    """
    return value.isoformat() if value is not None else None

"""Length and size limits for everything a user can type or upload, defined once.

Why one module: a limit that lives in a form only is bypassed by a service called from a command or the
admin; a limit that lives in a model only reaches the database as a 500 on PostgreSQL (varchar overflow)
and not at all on SQLite. Forms use these numbers for ``max_length``; services call ``check_length`` so
the same rule holds for every caller. Later features reuse the same names instead of inventing numbers.

The numbers: a year-end text can honestly run to 10,000 characters, so long texts stop at 20,000;
titles at 200 (what a notice, a heading or a file name can show); names at 100 (a unit's full name).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

NAME = 100  # a unit's or group's name, a figure label, an alias
TITLE = 200  # titles of plans, items, sections, notices
SHORT_TEXT = 2_000  # comments, reasons, notes (附言), explanations
LONG_TEXT = 20_000  # report bodies, year-end sections, item bodies

# Decimal figures are stored as DecimalField(max_digits=FIGURE_MAX_DIGITS, decimal_places=FIGURE_DECIMALS);
# anything wider cannot round-trip through SQLite's REAL (15-16 significant digits) or PostgreSQL numeric.
FIGURE_MAX_DIGITS = 14
FIGURE_DECIMALS = 2

# Query parameters that are free text (search boxes) are cut to this length in their filter forms.
SEARCH = 100


def length_message(label: str, limit: int, actual: int) -> str:
    return f"“{label}”最多 {limit:,} 个字，现在是 {actual:,} 个字。"


def check_length(value: str | None, limit: int, label: str, *, field: str | None = None) -> None:
    """Raise a ValidationError (Chinese, naming the field and the limit) when ``value`` is too long.

    ``field`` attaches the error to a form field when the service's caller is a ModelForm.
    """
    if value is None:
        return
    if len(value) > limit:
        message = length_message(label, limit, len(value))
        raise ValidationError({field: message} if field else message, code="max_length")


def check_lengths(values: dict[str, tuple[str | None, int, str]]) -> None:
    """Check several fields at once and report every one that is too long, keyed by field name."""
    errors: dict[str, str] = {}
    for field, (value, limit, label) in values.items():
        if value is not None and len(value) > limit:
            errors[field] = length_message(label, limit, len(value))
    if errors:
        raise ValidationError(errors, code="max_length")

# The text of a whole imported document (a plan's 原文): a city's work points run to 10,000–30,000 characters.
DOCUMENT_TEXT = 200_000

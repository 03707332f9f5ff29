"""Form helpers shared by every app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

# Dates a user may type: a plan year, a due date or a deadline is never outside these. 9999-12-31 was
# accepted as a period's due date and every submit then answered 500 (the day after it overflows).
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)


class BoundedInputMixin:
    """Every text field of the form gets its length error in the words of ``fazhi.limits``
    ("“工作举措与成效”最多 20,000 个字，现在是 20001 个字。" — Django's own names neither the field nor reads well),
    and every date field is bounded to DATE_MIN … DATE_MAX."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            limit = getattr(field, "max_length", None)
            if isinstance(field, forms.CharField) and limit:
                field.error_messages["max_length"] = (
                    f"“{field.label}”最多 {limit:,} 个字，现在是 %(show_value)d 个字。"
                )
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                message = f"“{field.label}”须在 {DATE_MIN:%Y-%m-%d} 至 {DATE_MAX:%Y-%m-%d} 之间。"
                field.validators = [*field.validators, MinValueValidator(DATE_MIN, message),
                                    MaxValueValidator(DATE_MAX, message)]
                field.widget.attrs.setdefault("min", DATE_MIN.isoformat())  # the browser's picker agrees
                field.widget.attrs.setdefault("max", DATE_MAX.isoformat())


# The largest id a query may name: past 2**63 SQLite's driver raises OverflowError (a 500), and no row has one.
ID_MAX = 2**63 - 1


class IdField(forms.IntegerField):
    """An object id from a query string: 1 … ID_MAX. "²" passes ``str.isdigit`` but not ``int``; here it is
    simply invalid."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


class QueryForm(forms.Form):
    """Query parameters (filters, sort, ids) read through a form with bounds. A value that is not valid is
    ignored, as if absent (a link from an old bookmark still opens the page), never a 500."""

    def values(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: (None if name in self.errors else cleaned.get(name)) for name in self.fields}

    @classmethod
    def read(cls, data: Any, **kwargs: Any) -> dict[str, Any]:
        return cls(data, **kwargs).values()

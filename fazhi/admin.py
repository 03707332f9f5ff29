"""What every ModelAdmin of Fazhi shares."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import HttpRequest

from fazhi.forms import ID_MAX


class BoundedInitialMixin:
    """The admin's add page pre-fills fields from the query string (``?unit=3``). A value the field cannot
    hold ("²", NUL, an id past 64 bits) is dropped instead of answering 500."""

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)  # type: ignore[misc]
        kept = {}
        for name, value in initial.items():
            try:
                field = self.model._meta.get_field(name)  # type: ignore[attr-defined]
                target = field.target_field if field.is_relation and not field.many_to_many else field
                for part in value if isinstance(value, list) else [value]:
                    python = target.to_python(part)
                    if isinstance(python, int) and not -ID_MAX <= python <= ID_MAX:
                        raise ValidationError("out of range")
            except (FieldDoesNotExist, ValidationError, ValueError, TypeError, AttributeError):
                continue
            kept[name] = value
        return kept

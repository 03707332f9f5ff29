"""Role checks shared by every view. Object-level rules live beside each object type."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def coordinator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only coordinators (and superusers) may use the view; everyone else gets 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not request.user.is_coordinator:
            raise PermissionDenied("只有法治办工作人员可以执行此操作。")
        return view(request, *args, **kwargs)

    return wrapped

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


def account_power(user) -> int:
    """How much an account may do: superuser 3, staff (admin site) 2, coordinator 1, others 0.

    The one rule for managing accounts: nobody acts on an account with more power than their own,
    so a coordinator cannot reset a superuser's password, edit, deactivate or create a staff account.
    """
    if user.is_superuser:
        return 3
    if user.is_staff:
        return 2
    if user.is_coordinator:
        return 1
    return 0


def may_manage_account(actor, target) -> bool:
    return actor.is_authenticated and actor.is_coordinator and account_power(target) <= account_power(actor)


def get_account_for_manager(actor, pk: int):
    """The account ``actor`` may edit, reset, activate or deactivate; 404 if missing, 403 if more powerful."""
    from django.shortcuts import get_object_or_404

    from accounts.models import User

    target = get_object_or_404(User, pk=pk)
    if not may_manage_account(actor, target):
        raise PermissionDenied("不能管理权限高于自己的账号。")
    return target

"""Write operations on accounts: creating people, resetting and changing passwords, unlocking.

Views and commands call these; each runs in a transaction and records what it did in the audit log.
"""

from __future__ import annotations

import secrets
import string

from axes.models import AccessFailureLog
from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Role, User
from accounts.permissions import may_manage_account
from accounts.validators import CharacterClassValidator
from audit.models import EventKind
from audit.services import record_event
from tasks.models import Unit

_ALPHABET = string.ascii_letters + string.digits + "@#%+=?"


def generate_temporary_password(length: int = 12) -> str:
    """A random password that satisfies the policy, shown once to the coordinator who made it."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if CharacterClassValidator.classes_in(candidate) == 4:
            return candidate


# Fields a coordinator's change is described by in the security log (never the password).
_DESCRIBED_FIELDS = {"username": "用户名", "last_name": "姓", "first_name": "名", "role": "角色", "unit": "所属单位",
                     "phone": "联系电话", "email": "电子邮箱"}


def _refuse_unless_may_manage(actor: User, target: User) -> None:
    if not may_manage_account(actor, target):
        raise PermissionDenied("不能管理权限高于自己的账号。")


def _describe(value: object) -> str:
    if value is None or value == "":
        return "（空）"
    return str(value)


@transaction.atomic
def create_account(*, actor: User, username: str, fields: dict[str, object],
                   request: HttpRequest | None = None) -> tuple[User, str]:
    """Create an account with a temporary password the person must change at first login."""
    password = generate_temporary_password()
    user = User(username=username, **fields)
    _refuse_unless_may_manage(actor, user)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    record_event(kind=EventKind.ACCOUNT_CREATED, request=request, user=actor,
                 detail=f"创建了账号 {user.get_username()}（{user.get_role_display()}"
                        f"{'，' + str(user.unit) if user.unit_id else ''}）")
    return user, password


@transaction.atomic
def update_user(*, actor: User, user: User, fields: dict[str, object], request: HttpRequest | None = None) -> User:
    _refuse_unless_may_manage(actor, user)
    before = {name: getattr(user, name) for name in fields}
    for name, value in fields.items():
        setattr(user, name, value)
    # The edited account may not end up with more power than the editor (e.g. a role change).
    _refuse_unless_may_manage(actor, user)
    user.save()
    changes = [f"{_DESCRIBED_FIELDS.get(name, name)}：{_describe(before[name])} → {_describe(value)}"
               for name, value in fields.items() if before[name] != value]
    record_event(kind=EventKind.ACCOUNT_CHANGED, request=request, user=actor,
                 detail=f"修改了账号 {user.get_username()}" + ("：" + "；".join(changes) if changes else "（无变化）"))
    return user


@transaction.atomic
def set_user_active(*, actor: User, user: User, active: bool, request: HttpRequest | None = None) -> User:
    """Deactivated people are signed out everywhere at their next request (the auth backend refuses them).

    Both directions bump ``session_epoch``: a session opened before the deactivation must not come back
    to life when the account is enabled again.
    """
    _refuse_unless_may_manage(actor, user)
    if actor.pk == user.pk and not active:
        raise PermissionDenied("不能停用自己的账号。")
    user.is_active = active
    user.session_epoch += 1
    user.save(update_fields=["is_active", "session_epoch"])
    record_event(kind=EventKind.ACCOUNT_ACTIVATED if active else EventKind.ACCOUNT_DEACTIVATED, request=request,
                 user=actor, detail=f"{'启用' if active else '停用'}了账号 {user.get_username()}")
    return user


@transaction.atomic
def reset_password(*, actor: User, user: User, request: HttpRequest | None = None) -> str:
    """A new temporary password; the person's open sessions end and they must change it at next login."""
    _refuse_unless_may_manage(actor, user)
    password = generate_temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record_event(kind=EventKind.PASSWORD_RESET, request=request, user=actor,
                 detail=f"重置了 {user.get_username()} 的密码")
    return password


@transaction.atomic
def change_password(*, user: User, new_password: str, request: HttpRequest | None = None) -> User:
    """The person sets their own password; every other session of theirs ends (session hash changes)."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record_event(kind=EventKind.PASSWORD_CHANGED, request=request, user=user)
    return user


@transaction.atomic
def unlock(*, actor: User, username: str = "", ip_address: str = "", request: HttpRequest | None = None) -> int:
    """Lift a login lockout early (coordinators). Returns how many failure records were cleared."""
    if bool(username) == bool(ip_address):
        raise ValueError("unlock needs exactly one of username or ip_address")
    cleared = axes_reset(username=username) if username else axes_reset(ip=ip_address)
    # The per-address count is read from the failure log: unlocking an address clears its entries there.
    if ip_address:
        AccessFailureLog.objects.filter(ip_address=ip_address).delete()
    target = f"账号 {username}" if username else f"来源地址 {ip_address}"
    record_event(kind=EventKind.UNLOCKED, request=request, user=actor, detail=f"解除锁定：{target}")
    return cleared


@transaction.atomic
def create_user(*, username: str, role: str, password: str, unit: Unit | None = None, last_name: str = "",
                first_name: str = "", is_staff: bool = False, is_superuser: bool = False) -> User:
    if role == Role.LIAISON and unit is None:
        raise ValueError("联络员必须指定所属单位。")
    user = User(username=username, role=role, unit=unit, last_name=last_name, first_name=first_name,
                is_staff=is_staff, is_superuser=is_superuser)
    user.set_password(password)
    user.save()
    return user

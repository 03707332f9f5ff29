"""Write operations on accounts."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Role, User
from tasks.models import Unit


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

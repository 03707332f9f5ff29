from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "法治办工作人员"
    LIAISON = "liaison", "单位联络员"
    LEADER = "leader", "领导"


class User(AbstractUser):
    """A person who signs in. The role decides what they may do; a liaison speaks for one unit."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.LIAISON)
    unit = models.ForeignKey(
        "tasks.Unit",
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Bumped when the account is deactivated or reactivated: it is part of the session hash, so every
    # session opened before (even one that would have outlived a short deactivation) is dead.
    session_epoch = models.PositiveIntegerField("会话代次", default=0, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                name="accounts_user_liaison_has_unit",
                condition=~Q(role="liaison") | Q(unit__isnull=False),
                violation_error_message="联络员必须指定所属单位。",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django signs sessions with a hash of the password hash; the epoch joins it once it is non-zero,
        # so existing sessions survive the upgrade and end at the first (de)activation.
        from django.utils.crypto import salted_hmac

        value = self.password if not self.session_epoch else f"{self.password}:{self.session_epoch}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash", value, secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def display_name(self) -> str:
        return self.last_name + self.first_name or self.username

    @property
    def is_coordinator(self) -> bool:
        return self.is_superuser or self.role == Role.COORDINATOR

    @property
    def is_liaison(self) -> bool:
        return not self.is_superuser and self.role == Role.LIAISON

    @property
    def is_leader(self) -> bool:
        return not self.is_superuser and self.role == Role.LEADER

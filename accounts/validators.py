"""Password rules required by MLPS 2.0 level 3 (口令复杂度), with messages in Chinese."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least ``min_classes`` of: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        return sum(
            [
                any(c.isascii() and c.isupper() for c in password),
                any(c.isascii() and c.islower() for c in password),
                any(c.isdigit() for c in password),
                any(c in string.punctuation or not (c.isascii() and c.isalnum()) for c in password),
            ]
        )

    def validate(self, password: str, user: object = None) -> None:
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(
                "密码须至少包含大写字母、小写字母、数字、符号中的 %(n)d 类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类。"


class MinimumLengthValidator:
    """Django's length rule with a Chinese message (Django 5.2's zh-hans catalogue lacks this one)."""

    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError("密码太短，至少需要 %(min_length)d 个字符。", code="password_too_short",
                                  params={"min_length": self.min_length})

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"


class NotCurrentPasswordValidator:
    """A password change must change the password: the current one is refused as the new one.

    Runs wherever Django validates a new password for an existing person (the own-password form, the
    service, the admin), before the hash is replaced, so ``check_password`` still sees the current one.
    """

    def validate(self, password: str, user: object = None) -> None:
        usable = user is not None and getattr(user, "pk", None) and user.has_usable_password()
        if usable and user.check_password(password):
            raise ValidationError("新密码不能与当前密码相同。", code="password_reused")

    def get_help_text(self) -> str:
        return "新密码不能与当前密码相同。"

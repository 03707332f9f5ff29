from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm

from accounts.models import Role, User
from tasks.models import Unit


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form with Chinese labels; the rules come from AUTH_PASSWORD_VALIDATORS."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "role", "unit", "phone", "email"]
        labels = {"username": "用户名", "last_name": "姓", "first_name": "名", "email": "电子邮箱"}
        help_texts = {"username": "字母、数字或 @ . + - _，登录时使用。"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("order", "name")
        self.fields["unit"].required = False

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("role") == Role.LIAISON and not data.get("unit"):
            self.add_error("unit", "联络员必须指定所属单位。")
        return data


class UserFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部角色"), *Role.choices])
    active = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), ("1", "启用"), ("0", "已停用")])


class UnlockForm(forms.Form):
    username = forms.CharField(required=False, max_length=150)
    ip_address = forms.GenericIPAddressField(required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if bool(data.get("username")) == bool(data.get("ip_address")):
            raise forms.ValidationError("请指定要解除锁定的账号或来源地址。")
        return data

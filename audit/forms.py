from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.contrib.contenttypes.models import ContentType

from audit.apps import AUDITED_MODELS
from audit.models import EventKind
from fazhi.forms import BoundedInputMixin

SOURCES = [("changes", "数据变更"), ("security", "安全事件")]
CHANGE_ACTIONS = [(str(LogEntry.Action.CREATE), "新增"), (str(LogEntry.Action.UPDATE), "修改"),
                  (str(LogEntry.Action.DELETE), "删除")]


def _model_choices() -> list[tuple[str, str]]:
    models = [m for m in auditlog.get_models() if f"{m._meta.app_label}.{m.__name__}" in AUDITED_MODELS]
    # get_for_models answers from the content-type cache after the first request.
    types = ContentType.objects.get_for_models(*models)
    return [("", "全部对象"), *((str(types[m].pk), str(m._meta.verbose_name)) for m in models)]


class AuditSearchForm(BoundedInputMixin, forms.Form):
    source = forms.ChoiceField(label="记录类型", choices=SOURCES, required=False)
    user = forms.CharField(label="用户", required=False, max_length=150)
    action = forms.ChoiceField(label="操作 / 事件", required=False)
    model = forms.ChoiceField(label="对象类型（数据变更）", required=False)
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label="内容包含", required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "全部"), *CHANGE_ACTIONS, *EventKind.choices]
        self.fields["model"].choices = _model_choices()

    def clean(self) -> dict[str, object]:
        data = super().clean()
        start: dt.date | None = data.get("date_from")
        end: dt.date | None = data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data

    @property
    def selected_source(self) -> str:
        return (self.cleaned_data.get("source") if self.is_valid() else "") or "changes"

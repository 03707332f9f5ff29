"""Forms for the registry screens. Every save goes through ``tasks.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from fazhi.forms import BoundedInputMixin
from fazhi.widgets import FastSelect
from tasks.models import AssignmentRole, Chapter, Plan, Unit, UnitGroup, UnitKind, WorkItem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "year", "issuer", "government", "doc_number", "issued_on", "status", "source_text"]
        widgets = {
            "issued_on": DateInput(),
            "source_text": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "doc_number": "如：江政办〔2026〕21号",
            "government": ("年度法治政府建设情况报告由哪一级政府报送；"
                           "留空时按印发机关自动归属（如“…人民政府办公室”归“…人民政府”）。"),
            "source_text": "可粘贴印发文件的全文，便于对照。",
        }


class ChapterForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = Chapter
        fields = ["seq", "number", "title"]
        help_texts = {"number": "留空时按序号自动生成（如“三”）。", "seq": "章节在文件中的顺序，如第三章填 3。"}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["number"].required = False
        self.fields["seq"].required = False
        self.fields["seq"].help_text = "留空则排在最后。" if self.instance.pk is None else self.fields["seq"].help_text

    def clean_seq(self) -> int | None:
        seq = self.cleaned_data.get("seq")
        if seq is None and self.instance.pk is not None:
            raise ValidationError("请填写序号。")
        if seq is not None and self.plan.chapters.filter(seq=seq).exclude(pk=self.instance.pk).exists():
            raise ValidationError(f"本工作要点中已有序号为 {seq} 的章节。")
        return seq


def target_value(target: Unit | UnitGroup) -> str:
    return f"{'g' if isinstance(target, UnitGroup) else 'u'}:{target.pk}"


class UnitPickerField(forms.MultipleChoiceField):
    """Pick units and groups from the registry, in order. Values look like ``u:12`` / ``g:3``.

    Without JavaScript it is a plain ``<select multiple>``; ``static/js/unit-picker.js`` turns it
    into a searchable picker that keeps the order in which units were chosen.
    """

    widget = forms.SelectMultiple(attrs={"class": "unit-picker", "data-placeholder": "输入单位名称或简称搜索…"})

    def __init__(self, *, units: list[Unit], groups: list[UnitGroup], **kwargs: Any) -> None:
        self.units = {u.pk: u for u in units}
        self.groups = {g.pk: g for g in groups}
        choices: list[Any] = [("单位集合（按成员展开）", [(target_value(g), f"{g.name}（集合）") for g in groups])]
        for kind, label in UnitKind.choices:
            options = [
                (target_value(u), u.name if u.is_active else f"{u.name}（已停用）")
                for u in units if u.kind == kind
            ]
            if options:
                choices.append((label, options))
        super().__init__(choices=choices, required=False, **kwargs)

    def clean(self, value: Any) -> list[Unit | UnitGroup]:
        values = super().clean(value)
        targets: list[Unit | UnitGroup] = []
        for raw in values:
            kind, _, pk = raw.partition(":")
            target = (self.groups if kind == "g" else self.units).get(int(pk))
            if target is not None and target not in targets:
                targets.append(target)
        return targets


class ItemForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = WorkItem
        fields = ["chapter", "seq", "number", "title", "body", "deadline"]
        widgets = {"deadline": DateInput(), "body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "number": "留空时按序号自动生成，如“(四)”。",
            "deadline": "留空则为工作要点年度的 12 月 31 日。",
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        units = list(Unit.objects.all())
        groups = list(UnitGroup.objects.all())
        self.fields["lead"] = UnitPickerField(units=units, groups=groups, label="牵头单位")
        self.fields["responsible"] = UnitPickerField(units=units, groups=groups, label="责任单位")
        self.fields["other"] = UnitPickerField(units=units, groups=groups, label="配合单位",
                                               help_text="配合单位只协助，不单独报送进展。")
        self.fields["chapter"].queryset = plan.chapters.all()
        self.fields["chapter"].empty_label = "（不分章节）"
        self.fields["seq"].required = False
        self.fields["number"].required = False
        self.fields["deadline"].required = False
        self.fields["body"].required = False
        if self.instance.pk is None:
            self.fields["seq"].help_text = "留空则排在最后。"
        else:
            for role in AssignmentRole.values:
                self.initial[role] = [target_value(a.target) for a in self.instance.assignments_by_role(role)]

    def clean_seq(self) -> int | None:
        seq = self.cleaned_data.get("seq")
        if seq is None and self.instance.pk is not None:
            raise ValidationError("请填写序号。")
        if seq is not None and self.plan.items.filter(seq=seq).exclude(pk=self.instance.pk).exists():
            raise ValidationError(f"本工作要点中已有序号为 {seq} 的工作任务。")
        return seq

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("lead") and not data.get("responsible"):
            self.add_error("lead", "请至少选择一个牵头单位或责任单位。")
        return data


class UnitForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "order", "is_active"]
        help_texts = {"order": "数字小的排在前面。", "is_active": "停用后，单位集合展开时不再包含该单位。"}


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django guards an exact pk lookup against integers no column can hold, but not the ``__in`` lookup this
    field runs: a posted id past 64 bits reached SQLite's driver, which raised OverflowError (a 500)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number at all: Django's own check reports it
            if not -(2**63) <= number < 2**63:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": pk})
        return super()._check_values(value)


class GroupForm(BoundedInputMixin, forms.ModelForm):
    members = BoundedModelMultipleChoiceField(
        queryset=Unit.objects.all(), required=False, label="成员单位",
        widget=forms.SelectMultiple(attrs={"class": "unit-picker", "data-placeholder": "输入单位名称搜索…"}),
    )

    class Meta:
        model = UnitGroup
        fields = ["name", "description", "order", "members"]
        help_texts = {"name": "按文件中的写法，如“市政府各有关部门”“各区镇”。"}


class AliasForm(BoundedInputMixin, forms.Form):
    name = forms.CharField(label="别名", max_length=100, help_text="文件中出现的其他写法，如“市政府办”。")


ALL_YEARS = "all"


class PlanListForm(forms.Form):
    """The plan list's filters: one year (the current one by default) or all, and words of the title or issuer."""

    year = forms.ChoiceField(label="年度", required=False, widget=FastSelect)
    q = forms.CharField(label="标题或印发机关", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "标题或印发机关"}))

    def __init__(self, *args, years: list[int], default_year: int | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.default_year = default_year
        self.fields["year"].choices = [(str(y), f"{y}年") for y in years] + [(ALL_YEARS, "全部年度")]

    def filter(self, plans):
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or (str(self.default_year) if self.default_year else ALL_YEARS)
        if year != ALL_YEARS:
            plans = plans.filter(year=int(year))
        for word in (data.get("q") or "").split():
            plans = plans.filter(models.Q(title__icontains=word) | models.Q(issuer__icontains=word))
        return plans

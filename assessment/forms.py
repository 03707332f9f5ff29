"""Every input of the assessment screens, with bounds: numbers the database round-trips, texts with limits."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from accounts.models import User
from assessment.measures import MEASURE_CHOICES
from assessment.models import Category, Evidence, Indicator, Scheme, SelfAssessment
from assessment.rules import RuleKind, pts, score_bounds
from fazhi import limits
from reports.files import ACCEPT, ALLOWED_LABEL, MAX_FILE_SIZE, MAX_FILES_PER_REPORT
from reports.forms import EvidenceField, MultipleFileInput
from reports.models import Report
from tasks.models import Unit


def points_field(label: str, *, required: bool = True, min_value: Decimal | None = Decimal(0),
                 help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=6, decimal_places=2,
                              min_value=min_value, max_value=Decimal("9999.99"), help_text=help_text,
                              widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))


class SchemeCreateForm(forms.Form):
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="方案名称", max_length=limits.TITLE)
    copy_from = forms.ModelChoiceField(label="复制以往方案", queryset=Scheme.objects.none(), required=False,
                                       empty_label="（不复制，从空白开始）",
                                       help_text="复制类别、参加单位、指标、计分规则和评分权限。")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = Scheme.objects.order_by("-year")


class SchemeSettingsForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["name", "excellent_threshold", "good_threshold", "pass_threshold", "excellent_cap_percent",
                  "objection_days", "bonus_limit"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].max_length = limits.TITLE
        for name in ("excellent_threshold", "good_threshold", "pass_threshold", "bonus_limit"):
            self.fields[name].min_value = Decimal(0)
            self.fields[name].max_value = Decimal(100)
        self.fields["excellent_cap_percent"].max_value = 100
        self.fields["objection_days"].min_value = 1
        self.fields["objection_days"].max_value = 60


class CategoryForm(forms.Form):
    name = forms.CharField(label="类别名称", max_length=limits.NAME)
    declared_total = points_field("满分", help_text="基础指标合计分；不是 100 时按 得分 × 100 ÷ 满分 折算。")
    order = forms.IntegerField(label="排序", min_value=0, max_value=999, initial=0)


class MembershipForm(forms.Form):
    """One select per active unit: its category in this scheme, or not assessed."""

    def __init__(self, *args, scheme: Scheme, units: list[Unit], current: dict[int, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "（不参加考核）")] + [(str(c.pk), c.name) for c in scheme.categories.all()]
        self.units = units
        for unit in units:
            self.fields[f"unit_{unit.pk}"] = forms.ChoiceField(
                label=unit.name, choices=choices, required=False, initial=str(current.get(unit.pk, "")))

    def assignments(self, categories: dict[int, Category]) -> dict[int, Category | None]:
        return {u.pk: categories.get(int(self.cleaned_data[f"unit_{u.pk}"])) if self.cleaned_data[f"unit_{u.pk}"]
                else None for u in self.units}


class IndicatorForm(forms.Form):
    level = forms.TypedChoiceField(label="层级", coerce=int, choices=[(1, "一级指标"), (2, "二级指标"), (3, "评分项")])
    parent = forms.ModelChoiceField(label="上级指标", queryset=Indicator.objects.none(), required=False)
    title = forms.CharField(label="指标名称", max_length=limits.TITLE)
    points = points_field("分值", help_text="附加项（加减分）填最大加减分值；一票否决项填 0。")
    order = forms.IntegerField(label="排序", min_value=0, max_value=999, initial=0)
    content = forms.CharField(label="考核内容", max_length=limits.LONG_TEXT, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    standard = forms.CharField(label="评分标准", max_length=limits.LONG_TEXT, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    rule_kind = forms.ChoiceField(label="计分规则", choices=[("", "（一、二级指标不设）"), *RuleKind.choices],
                                  required=False)
    deduction = points_field("每次（项）扣分", required=False)
    deduction_cap = points_field("累计扣分上限", required=False, help_text="留空：最多扣完本项分值。")
    measure = forms.ChoiceField(label="绑定平台数据", choices=MEASURE_CHOICES, required=False)
    scoring_unit = forms.ModelChoiceField(label="评分责任单位", queryset=Unit.objects.active(), required=False)
    evidence = forms.CharField(label="佐证材料要求", max_length=limits.TITLE, required=False)
    categories = forms.ModelMultipleChoiceField(label="适用单位类别", queryset=Category.objects.none(),
                                                required=False, widget=forms.CheckboxSelectMultiple)
    scorers = forms.ModelMultipleChoiceField(
        label="评分人（账号）", queryset=User.objects.none(), required=False,
        help_text="评分权限授予具体账号，不是评分单位的所有联络员。")

    def __init__(self, *args, scheme: Scheme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = scheme.indicators.filter(level__lt=3).order_by("level", "order", "id")
        self.fields["categories"].queryset = scheme.categories.all()
        self.fields["scorers"].queryset = User.objects.filter(is_active=True).select_related("unit").order_by(
            "unit__order", "username")
        self.fields["scorers"].label_from_instance = lambda u: f"{u.display_name}（{u.username}，" \
                                                                 f"{u.unit.name if u.unit else u.get_role_display()}）"


class SelfAssessmentForm(forms.Form):
    """Everything of one item's self-assessment in one form: score, explanation, linked reports, new evidence
    files and files to remove, so one submit saves all of it (multipart)."""

    claimed = points_field("自评得分", min_value=Decimal("-9999.99"))
    explanation = forms.CharField(label="自评说明", max_length=limits.SHORT_TEXT, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    files = EvidenceField(
        label="上传佐证材料", required=False,
        help_text=f"可一次选择多个文件，与得分、说明一起保存。支持 {ALLOWED_LABEL}；单个文件不超过 "
                  f"{MAX_FILE_SIZE // 1024 // 1024} MB，每个评分项最多 {MAX_FILES_PER_REPORT} 个。",
        widget=MultipleFileInput(attrs={"accept": ACCEPT}))
    remove = forms.ModelMultipleChoiceField(label="删除已上传的材料", queryset=Evidence.objects.none(),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    reports = forms.ModelMultipleChoiceField(label="关联本单位进展报告", queryset=Report.objects.none(),
                                             required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, unit_id: int, year: int, item: Indicator,
                 claim: SelfAssessment | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        claimed = self.fields["claimed"]
        # Empty until the unit claims: an untouched item is 未自评, not a claim of full marks.
        claimed.widget.attrs["placeholder"] = (f"加减分 −{pts(item.points)} 至 +{pts(item.points)}"
                                               if item.rule_kind == RuleKind.BONUS else f"满分 {pts(item.points)}")
        claimed.error_messages["required"] = "请填写自评得分。"
        # The item's range on the input too, so the browser refuses 5 of 2 before the files are sent (a refused
        # save cannot keep chosen files: browsers never refill a file input). The service checks it again.
        low, high = score_bounds(item.rule)
        claimed.widget.attrs.update({"min": pts(low), "max": pts(high), "step": "0.01"})
        if claim is not None:
            self.fields["remove"].queryset = claim.evidence.all()
            self.fields["remove"].label_from_instance = lambda e: f"删除 {e.original_name}"
        else:
            del self.fields["remove"]
        self.fields["reports"].queryset = Report.objects.filter(
            obligation__unit_id=unit_id, obligation__period__plan__year=year).select_related(
            "obligation__item", "obligation__period").order_by("obligation__period__due_on", "obligation__item__seq")
        self.fields["reports"].label_from_instance = lambda r: f"{r.obligation.period.name} · {r.obligation.item}"


class ScoreForm(forms.Form):
    score = points_field("得分", required=False, min_value=Decimal("-9999.99"))
    occurrences = forms.IntegerField(label="扣分次数", required=False, min_value=0, max_value=1000,
                                     help_text="定额或按次扣分的评分项可只填次数，得分按规则计算。")
    vetoed = forms.BooleanField(label="触发一票否决", required=False)
    reason = forms.CharField(label="理由", max_length=limits.SHORT_TEXT, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        empty = data.get("score") is None and data.get("occurrences") is None and not data.get("vetoed")
        if empty and not self.has_error("score") and not self.has_error("occurrences"):
            self.add_error("score", "请填写得分（或扣分次数）。")
        return data


class ObjectionForm(forms.Form):
    indicator = forms.ModelChoiceField(label="涉及评分项", queryset=Indicator.objects.none(), required=False,
                                       empty_label="（总体）")
    text = forms.CharField(label="异议内容", max_length=limits.SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = items


class AnswerForm(forms.Form):
    upheld = forms.TypedChoiceField(label="答复结论", coerce=lambda v: v == "1",
                                    choices=[("0", "异议不成立"), ("1", "异议成立")])
    new_score = points_field("调整后得分", required=False, min_value=Decimal("-9999.99"),
                             help_text="异议成立且需改分时填写；填写后结果重新计算并保存。")
    answer = forms.CharField(label="答复内容", max_length=limits.SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=[(s, s) for s in ("draft", "self", "scoring", "review", "locked", "published")])


class CategoryFilterForm(forms.Form):
    category = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class SchemeImportForm(forms.Form):
    file = forms.FileField(label="考核细则工作簿（.xlsx）")

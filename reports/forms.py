"""Forms of the reporting pages. They validate input; the services in ``reports.services`` write it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from fazhi import limits
from fazhi.forms import BoundedInputMixin
from fazhi.limits import LONG_TEXT, SHORT_TEXT, TITLE
from reports.files import ACCEPT, ALLOWED_LABEL, MAX_FILE_SIZE, MAX_FILES_PER_REPORT
from reports.models import PeriodKind, PeriodScope, ProgressStatus
from reports.services import FIGURE_TOO_BIG, FIGURE_UNIT_LENGTH
from tasks.models import Unit

FIGURE_ROWS_WITHOUT_JS = 3


class ReportForm(BoundedInputMixin, forms.Form):
    progress = forms.ChoiceField(label="推进状态", choices=ProgressStatus.choices, widget=forms.RadioSelect)
    percent = forms.IntegerField(
        label="完成进度（%）",
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": "完成进度不能小于 0。",
            "max_value": "完成进度不能超过 100。",
            "invalid": "完成进度请填写 0 到 100 的整数。",
            "required": "请填写完成进度。",
        },
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
    )
    delay_reason = forms.CharField(
        label="未能按期完成原因", required=False, max_length=limits.SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measures = forms.CharField(
        label="工作举措与成效",
        required=False,
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="写清做了什么、取得了什么成效，尽量用数据说话。",
    )
    problems = forms.CharField(label="存在问题", required=False, max_length=limits.LONG_TEXT,
                               widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = forms.CharField(label="下一步计划", required=False, max_length=limits.LONG_TEXT,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    # Marked in the form: always required, or required only to submit (a draft may leave them empty).
    marked_required = ("progress", "percent", "delay_reason")
    required_to_submit = ("measures",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Shown only when 未能按期完成 is chosen, and then required (progress and percent carry `required`).
        self.fields["delay_reason"].widget.attrs["aria-required"] = "true"
        # Django adds aria-invalid to a field with errors and aria-describedby for its help text itself.

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("progress") == ProgressStatus.DELAYED and not (data.get("delay_reason") or "").strip():
            self.add_error("delay_reason", "推进状态为“未能按期完成”时必须填写原因。")
        return data


class FigureForm(BoundedInputMixin, forms.Form):
    label = forms.CharField(
        label="指标",
        max_length=limits.NAME,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：出庭率"}),
    )
    value = forms.DecimalField(
        label="数值",
        max_digits=limits.FIGURE_MAX_DIGITS,
        decimal_places=limits.FIGURE_DECIMALS,
        required=False,
        error_messages={
            "invalid": "数值请填写数字，如 100 或 7900。",
            "max_decimal_places": "数值最多保留两位小数。",
            "max_digits": FIGURE_TOO_BIG,
            "max_whole_digits": FIGURE_TOO_BIG,
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "如：100"}),
    )
    unit = forms.CharField(
        label="单位", max_length=FIGURE_UNIT_LENGTH, required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：%"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        label, value = (data.get("label") or "").strip(), data.get("value")
        if label and value is None and "value" not in self.errors:
            self.add_error("value", "请填写数值。")
        if value is not None and not label:
            self.add_error("label", "请填写指标名称。")
        return data


FigureFormSet = forms.formset_factory(
    FigureForm, extra=FIGURE_ROWS_WITHOUT_JS, max_num=100, validate_max=True
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input; each is checked by ``reports.files.validate_upload`` in the view."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


class EvidenceForm(forms.Form):
    files = EvidenceField(
        label="上传佐证材料",
        required=False,
        help_text=f"可一次选择多个文件。支持 {ALLOWED_LABEL}；单个文件不超过 {MAX_FILE_SIZE // 1024 // 1024} MB，"
        f"每份报告最多 {MAX_FILES_PER_REPORT} 个。",
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )


class ReturnForm(BoundedInputMixin, forms.Form):
    comment = forms.CharField(
        label="退回意见",
        max_length=limits.SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "请写明需要修改的内容"}),
        error_messages={"required": "退回修改时必须填写意见。"},
    )


class ApproveForm(BoundedInputMixin, forms.Form):
    comment = forms.CharField(label="审核意见（可选）", required=False, max_length=limits.SHORT_TEXT,
                              widget=forms.TextInput)


class PeriodForm(BoundedInputMixin, forms.Form):
    name = forms.CharField(
        label="名称", max_length=limits.NAME, widget=forms.TextInput(attrs={"placeholder": "如：2026年半年报"})
    )
    kind = forms.ChoiceField(label="类型", choices=PeriodKind.choices)
    due_on = forms.DateField(
        label="报送截止日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请填写正确的日期，如 2026-07-10。"},
    )
    scope = forms.ChoiceField(label="报送范围", choices=PeriodScope.choices, initial=PeriodScope.ALL)


class ReminderForm(BoundedInputMixin, forms.Form):
    ALL_OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    field_order = ["note", "target", "days"]  # the 附言 first: what to say, then to whom
    note = forms.CharField(
        label="附言（可选）", required=False, max_length=limits.SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    target = forms.ChoiceField(label="催办对象")
    days = forms.IntegerField(label="到期天数", required=False, min_value=1, max_value=60, initial=7,
                              help_text="选择“N 天内到期”时使用：今天起 N 天内截止、尚未报送的任务。",
                              error_messages={"min_value": "天数至少为 1。", "max_value": "天数最多为 60。",
                                              "invalid": "天数请填写整数。"})

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["target"].choices = [
            (self.ALL_OVERDUE, "所有有逾期未报任务的单位（只列逾期的任务）"),
            (self.DUE_SOON, "N 天内到期、尚未报送的单位（只列这些任务）"),
        ] + [(str(u.pk), u.name) for u in units]

    def clean_target(self) -> str:
        value = self.cleaned_data["target"]
        if value not in (self.ALL_OVERDUE, self.DUE_SOON) and value not in self.units:
            raise ValidationError("请选择催办对象。")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("target") == self.DUE_SOON and not data.get("days") and "days" not in self.errors:
            self.add_error("days", "请填写到期天数。")
        return data


class AnnualReportForm(BoundedInputMixin, forms.Form):
    """The unit's own parts of its year-end report; the body is compiled and shown beside them."""

    title = forms.CharField(label="标题", max_length=TITLE, required=False)
    intro = forms.CharField(label="导语", max_length=LONG_TEXT, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="报告开头的总体情况段落；留空则使用自动生成的导语。")
    leadership = forms.CharField(
        label="主要负责人履行推进法治建设第一责任人职责情况", max_length=LONG_TEXT, required=False,
        widget=forms.Textarea(attrs={"rows": 8}), help_text="报送前必填。每段一行。")
    problems = forms.CharField(label="存在的不足和原因", max_length=LONG_TEXT, required=False,
                               widget=forms.Textarea(attrs={"rows": 8}),
                               help_text="报送前必填。每段一行；初稿由已审核报告中的“存在问题”汇总而来。")
    next_year = forms.CharField(label="下一年度主要安排", max_length=LONG_TEXT, required=False,
                                widget=forms.Textarea(attrs={"rows": 8}),
                                help_text="报送前必填。每段一行；初稿由已审核报告中的“下一步计划”汇总而来。")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_000_000_000, required=False)


class AnnualReturnForm(BoundedInputMixin, forms.Form):
    comment = forms.CharField(
        label="退回意见", max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "请写明需要修改的内容"}),
        error_messages={"required": "退回修改时必须填写意见，告诉单位需要修改什么。"},
    )


class AnnualSubmitForm(BoundedInputMixin, forms.Form):
    # Ticked by the liaison when items still print as 【待补充】; the service refuses the submission without it.
    confirm_gaps = forms.BooleanField(label="确认报送", required=False)


class AnnualApproveForm(BoundedInputMixin, forms.Form):
    comment = forms.CharField(label="审核意见（可选）", max_length=SHORT_TEXT, required=False, widget=forms.TextInput)


class AnnualYearForm(BoundedInputMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)


class AnnualDueForm(BoundedInputMixin, forms.Form):
    due_on = forms.DateField(label="各单位报送截止日期",
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                             error_messages={"required": "请填写截止日期。", "invalid": "日期格式不正确。"})


class TodoFilterForm(forms.Form):
    """我的待办's filters: state (default: what still needs the liaison) and chapter (of the plans being filed)."""

    state = forms.ChoiceField(label="状态", required=False)
    chapter = forms.TypedChoiceField(label="章节", required=False, coerce=int, empty_value=None)

    def __init__(self, data: Any, *, chapters: list[tuple[int, str]]) -> None:
        from reports.models import TODO_STATES

        super().__init__(data)
        self.fields["state"].choices = [(key, label) for key, (label, _q) in TODO_STATES.items()]
        self.fields["chapter"].choices = [("", "全部章节"), *chapters]

    def values(self) -> tuple[str, int | None]:
        """The chosen filters; anything invalid falls back to the default view rather than an error page."""
        if not self.is_valid():
            return "todo", None
        return self.cleaned_data.get("state") or "todo", self.cleaned_data.get("chapter")


class ReviewNoticeForm(forms.Form):
    review_notices = forms.ChoiceField(label="有报告报送待审核时", widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from reports.models import ReviewNoticeChoice

        super().__init__(*args, **kwargs)
        self.fields["review_notices"].choices = ReviewNoticeChoice.choices

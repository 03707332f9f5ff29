"""Every input of the government-report screens, bounded: texts by their limits (the error names the field and
the limit in Chinese) and dates to 2000–2099 (``fazhi.forms.BoundedInputMixin``)."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi.forms import BoundedInputMixin
from fazhi.limits import LONG_TEXT, NAME, SHORT_TEXT
from govreport.models import GovReport
from govreport.services import GovReportError, parse_doc_number
from tasks.models import Government, Unit

YEAR_MIN, YEAR_MAX = 2000, 2100
ID_MAX = 2**63 - 1


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _doc_number(value: str) -> str:
    try:
        return parse_doc_number(value)
    except GovReportError as exc:
        raise forms.ValidationError(exc.messages) from exc


class CompileForm(BoundedInputMixin, forms.Form):
    government = forms.ModelChoiceField(label="政府", queryset=Government.objects.order_by("name"))
    year = forms.IntegerField(label="年度", min_value=YEAR_MIN, max_value=YEAR_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The field is required, so "---------" could only ever be refused; the view preselects a government.
        self.fields["government"].empty_label = None


class DetailsForm(BoundedInputMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = GovReport
        fields = ["title", "doc_number", "signer", "recipients", "signature", "written_on", "cc", "printer",
                  "printed_on"]
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "cc": forms.Textarea(attrs={"rows": 2}),
            "written_on": DateInput(),
            "printed_on": DateInput(),
        }
        help_texts = {"doc_number": "如：江政呈〔2027〕3号", "signer": "上报上级机关时填写"}

    def clean_doc_number(self) -> str:
        value = (self.cleaned_data.get("doc_number") or "").strip()
        return _doc_number(value) if value else ""


class SectionForm(BoundedInputMixin, forms.Form):
    text = forms.CharField(label="正文", required=False, max_length=LONG_TEXT, strip=False,
                           widget=forms.Textarea(attrs={"rows": 18}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class VersionForm(BoundedInputMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class IncludeForm(BoundedInputMixin, forms.Form):
    source = forms.IntegerField(min_value=1, max_value=ID_MAX)
    include = forms.BooleanField(required=False)
    section = forms.IntegerField(min_value=1, max_value=ID_MAX)


class ApproveForm(BoundedInputMixin, forms.Form):
    approved_on = forms.DateField(label="审议通过日期", widget=DateInput())
    meeting = forms.CharField(label="审议会议", max_length=100, help_text="如“市政府第12次常务会议”")


class SubmissionForm(BoundedInputMixin, forms.Form):
    recipient = forms.CharField(label="主送机关", max_length=NAME)
    doc_number = forms.CharField(label="文号", max_length=60, help_text="如：江政呈〔2027〕3号")
    submitted_on = forms.DateField(label="报送日期", widget=DateInput())
    note = forms.CharField(label="备注", max_length=200, required=False)

    def clean_doc_number(self) -> str:
        return _doc_number(self.cleaned_data["doc_number"])


class PortalForm(BoundedInputMixin, forms.Form):
    portal_url = forms.URLField(label="政府网站地址", max_length=300, assume_scheme="https")
    portal_on = forms.DateField(label="网站发布日期", widget=DateInput())


class GovernmentForm(BoundedInputMixin, forms.ModelForm):
    template_file = forms.FileField(label="上传版头模板（Word .docx）", required=False)
    clear_template = forms.BooleanField(label="删除已上传的模板，改用内置版式", required=False)

    class Meta:
        model = Government
        fields = ["name", "red_header", "doc_prefix", "recipients", "leadership_unit", "parent"]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leadership_unit"].queryset = Unit.objects.active()
        parents = Government.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["recipients"].max_length = SHORT_TEXT
        self.fields["name"].max_length = NAME

    def clean_template_file(self):
        upload = self.cleaned_data.get("template_file")
        if upload and upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("模板文件不能超过 10 MB。")
        return upload


class PublicFilterForm(BoundedInputMixin, forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    government = forms.CharField(label="政府", required=False, max_length=NAME)



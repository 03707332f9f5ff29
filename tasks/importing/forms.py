"""Forms of the import screens: the upload, and the editable preview (plan, chapters, items, name choices)."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape
from django.utils.safestring import mark_safe

from fazhi import limits
from fazhi.forms import BoundedInputMixin
from fazhi.widgets import FastSelect
from tasks.importing.drafts import ChapterDraft, ItemDraft, PlanDraft
from tasks.importing.resolve import Registry
from tasks.importing.services import NameChoice
from tasks.importing.sources import sniff
from tasks.models import UnitKind
from tasks.parsing import UnreadableDocument, max_bytes, size_label, too_large_message
from tasks.parsing.units import split_names

NAMES_HELP = "多个单位用“、”分隔"


def _date_input() -> forms.DateInput:
    # <input type="date"> only shows ISO dates; the zh-hans default format would render 2026/12/31.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UploadForm(forms.Form):
    file = forms.FileField(
        label="上传文件", required=False,
        help_text="Word 文档（.docx）、Excel 任务分解表（.xlsx）、带文字的 PDF 或文本文件（.txt，UTF-8 或 GBK 编码）",
    )
    text = forms.CharField(label="或粘贴全文", required=False, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text="从网页或其他文档复制工作要点全文，粘贴到这里")

    def clean(self) -> dict:
        data = super().clean()
        upload: UploadedFile | None = data.get("file")
        text = (data.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError("请只选择一种方式：上传文件或粘贴文本。")
        if not upload and not text:
            raise forms.ValidationError("请上传文件或粘贴工作要点全文。")
        if upload:
            if upload.size and upload.size > max_bytes():
                self.add_error("file", too_large_message())
                return data
            content = upload.read(max_bytes() + 1)
            try:
                data["source"] = sniff(upload.name or "", content)
            except UnreadableDocument as exc:
                self.add_error("file", str(exc))
                return data
            data["content"] = content
        elif len(text.encode()) > max_bytes():
            self.add_error("text", f"粘贴的文本过长：不能超过 {size_label(max_bytes())}。")
        return data


class PlanMetaForm(BoundedInputMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    issuer = forms.CharField(label="印发机关", max_length=100, required=False)
    doc_number = forms.CharField(label="文号", max_length=60, required=False)
    issued_on = forms.DateField(label="印发日期", required=False, widget=_date_input())

    @classmethod
    def initial_for(cls, draft: PlanDraft) -> dict:
        return {"title": draft.title, "year": draft.year, "issuer": draft.issuer,
                "doc_number": draft.doc_number, "issued_on": draft.issued_on}


class ChapterForm(BoundedInputMixin, forms.Form):
    number = forms.CharField(label="编号", max_length=10, required=False, widget=forms.HiddenInput)
    title = forms.CharField(label="章节标题", max_length=200)


class ItemForm(BoundedInputMixin, forms.Form):
    seq = forms.IntegerField(label="序号", min_value=1, max_value=32767)
    number = forms.CharField(label="编号（原文）", max_length=20, required=False)
    chapter = forms.ChoiceField(label="章节", required=False, widget=FastSelect)
    title = forms.CharField(label="工作任务", max_length=300)
    body = forms.CharField(label="具体内容", required=False, max_length=limits.LONG_TEXT,
                           widget=forms.Textarea(attrs={"rows": 4}))
    lead_units = forms.CharField(label="牵头单位", required=False, max_length=limits.SHORT_TEXT, help_text=NAMES_HELP)
    responsible_units = forms.CharField(label="责任单位", required=False, max_length=limits.SHORT_TEXT,
                                        help_text=NAMES_HELP)
    other_units = forms.CharField(label="配合单位", required=False, max_length=limits.SHORT_TEXT, help_text=NAMES_HELP)
    deadline = forms.DateField(label="完成时限", required=False, widget=_date_input(),
                               help_text="不填为当年 12 月 31 日")

    def __init__(self, *args, chapter_choices: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chapter"].choices = [("", "（无章节）"), *chapter_choices]

    @staticmethod
    def initial_for(item: ItemDraft) -> dict:
        return {"seq": item.seq, "number": item.number, "chapter": item.chapter or "", "title": item.title,
                "body": item.body, "lead_units": "、".join(item.lead_units),
                "responsible_units": "、".join(item.responsible_units),
                "other_units": "、".join(item.other_units), "deadline": item.deadline}


class BaseItemFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int) -> dict:
        return {**super().get_form_kwargs(index), "chapter_choices": self.form_kwargs.get("chapter_choices", [])}

    def clean(self) -> None:
        seen: dict[int, int] = {}
        kept = 0
        for position, form in enumerate(self.forms, start=1):
            if self.can_delete and self._should_delete_form(form):
                continue
            kept += 1
            seq = getattr(form, "cleaned_data", {}).get("seq")
            if seq is None:
                continue
            if seq in seen:
                form.add_error("seq", f"序号 {seq} 与本页第 {seen[seq]} 项重复")
            else:
                seen[seq] = position
        if not kept:
            raise forms.ValidationError("至少保留一项工作任务。")


ChapterFormSet = forms.formset_factory(ChapterForm, extra=0)
ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=0, can_delete=True)


class FastSelectMultiple(FastSelect):
    """``forms.SelectMultiple`` with FastSelect's string-joined options."""

    allow_multiple_selected = True
    value_from_datadict = forms.SelectMultiple.value_from_datadict
    value_omitted_from_data = forms.SelectMultiple.value_omitted_from_data

    def render(self, name, value, attrs=None, renderer=None) -> str:
        return super().render(name, value, {**(attrs or {}), "multiple": True}, renderer)


class ReusedOptionsSelect(FastSelectMultiple):
    """A select whose options were rendered beforehand (``name_options``): a chosen value is marked by putting
    `` selected`` into its option, so each of many selects over the same long list costs a few string
    operations. Same markup as FastSelect (values are unique: "u:12", "g:3", "12")."""

    def __init__(self, options_html: str, *, multiple: bool = False, attrs=None) -> None:
        super().__init__(attrs=attrs)
        self.options_html = options_html
        self.allow_multiple_selected = multiple

    def render(self, name, value, attrs=None, renderer=None) -> str:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        options = self.options_html
        for chosen in dict.fromkeys(self.format_value(value)):
            option = f'<option value="{escape(chosen)}">'
            if option in options:
                options = options.replace(option, f'<option value="{escape(chosen)}" selected>', 1)
                if not self.allow_multiple_selected:
                    break
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected:
            return forms.SelectMultiple.value_from_datadict(self, data, files, name)
        return forms.Select.value_from_datadict(self, data, files, name)

    def value_omitted_from_data(self, data, files, name):
        if self.allow_multiple_selected:
            return forms.SelectMultiple.value_omitted_from_data(self, data, files, name)
        return forms.Select.value_omitted_from_data(self, data, files, name)


class NameChoiceForm(forms.Form):
    ACTIONS = [("", "暂不处理"), ("create", "新建为单位"), ("map", "对应到已有单位或集合"),
               ("new_group", "新建为单位集合")]

    name = forms.CharField(widget=forms.HiddenInput)
    action = forms.ChoiceField(label="处理方式", choices=ACTIONS, required=False)
    kind = forms.ChoiceField(label="单位类别", choices=UnitKind.choices, initial=UnitKind.GOVERNMENT, required=False)
    target = forms.ChoiceField(label="已有单位或集合", required=False, widget=FastSelect)
    members = forms.MultipleChoiceField(label="集合成员（新建集合时）", required=False,
                                        widget=FastSelectMultiple(attrs={"size": 4}))

    def __init__(self, *args, choices: NameChoices | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if choices is None:
            choices = NameChoices([], [])
        # Set as prepared lists (Django would copy a plain list of thousands of units for every name) and drawn
        # with options rendered once per registry.
        self.fields["target"].choices = choices.target
        self.fields["members"].choices = choices.members
        self.fields["target"].widget = ReusedOptionsSelect(choices.target_options)
        self.fields["members"].widget = ReusedOptionsSelect(choices.member_options, multiple=True,
                                                            attrs={"size": 4})

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "map" and not data.get("target"):
            self.add_error("target", "请选择要对应的单位或集合")
        if data.get("action") == "create" and not data.get("kind"):
            self.add_error("kind", "请选择单位类别")
        if data.get("action") == "new_group" and not data.get("members"):
            self.add_error("members", "请选择单位集合的成员单位")
        return data

    def choice(self) -> NameChoice | None:
        data = self.cleaned_data
        if data.get("action") == "create":
            return NameChoice(action="create", kind=data["kind"])
        if data.get("action") == "new_group":
            return NameChoice(action="new_group", members=tuple(int(pk) for pk in data["members"]))
        if data.get("action") == "map":
            prefix, _, pk = data["target"].partition(":")
            return NameChoice(action="unit" if prefix == "u" else "group", target_id=int(pk))
        return None

    @staticmethod
    def initial_for(name: str, choice: NameChoice | None) -> dict:
        if choice is None:
            return {"name": name}
        if choice.action == "create":
            return {"name": name, "action": "create", "kind": choice.kind}
        if choice.action == "new_group":
            return {"name": name, "action": "new_group", "members": [str(pk) for pk in choice.members]}
        prefix = "u" if choice.action == "unit" else "g"
        return {"name": name, "action": "map", "target": f"{prefix}:{choice.target_id}"}


class BaseNameChoiceFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int) -> dict:
        return {**super().get_form_kwargs(index), "choices": self.form_kwargs.get("choices")}


NameChoiceFormSet = forms.formset_factory(NameChoiceForm, formset=BaseNameChoiceFormSet, extra=0)


class BulkCreateForm(forms.Form):
    """A first plan in an empty registry: every name not yet decided becomes a unit of one kind."""

    bulk_kind = forms.ChoiceField(label="单位类别", choices=UnitKind.choices, initial=UnitKind.GOVERNMENT)


class PlaceTextForm(forms.Form):
    """Source lines the parser could not place, made into an item or a chapter: "item:12-14"."""

    place = forms.RegexField(regex=r"^(?:item|chapter):\d{1,6}-\d{1,6}$")

    def parsed(self) -> tuple[str, int, int]:
        kind, _, span = self.cleaned_data["place"].partition(":")
        start, _, end = span.partition("-")
        return kind, int(start), int(end)


def member_choices(registry: Registry) -> list:
    return [(str(u.pk), u.name) for u in registry.units if u.is_active]


def target_choices(registry: Registry) -> list:
    return [
        ("单位", [(f"u:{u.pk}", u.name) for u in registry.units if u.is_active]),
        ("单位集合", [(f"g:{g.pk}", g.name) for g in registry.groups]),
    ]


def _options(widget: forms.Select, choices) -> str:
    """The ``<option>``s of ``choices`` with none selected."""
    widget.choices = choices
    html = widget.render("-", [] if widget.allow_multiple_selected else "\x00")
    return html[html.index(">") + 1: -len("</select>")]


class PreparedChoices(BaseChoiceIterator):
    """A choice list Django takes as it is (a plain list is normalised, i.e. copied, for every field)."""

    def __init__(self, choices: list) -> None:
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


class NameChoices:
    """What an unresolved name's target and members selects offer (every active unit and group: thousands),
    with their options rendered once; shared by every name of a preview (``name_choices``)."""

    def __init__(self, target: list, members: list) -> None:
        self.target = PreparedChoices([("", "——请选择——"), *target])
        self.members = PreparedChoices(members)
        self.target_options = _options(FastSelect(), self.target)
        self.member_options = _options(FastSelectMultiple(), self.members)


def name_choices(registry: Registry) -> NameChoices:
    """Built once per registry (``Registry.current`` keeps one per process and registry version)."""
    return registry.derive("name_choices", lambda: NameChoices(target_choices(registry), member_choices(registry)))


def draft_from_forms(old: PlanDraft, meta: PlanMetaForm, chapters: forms.BaseFormSet,
                     items: BaseItemFormSet) -> PlanDraft:
    """The edited draft; source spans, parser warnings and source text carry over from ``old``."""
    m = meta.cleaned_data
    chapter_drafts = [ChapterDraft(number=f.cleaned_data["number"], title=f.cleaned_data["title"],
                                   source_line=old.chapters[k].source_line if k < len(old.chapters) else None)
                      for k, f in enumerate(chapters.forms)]
    item_drafts: list[ItemDraft] = []
    for index, form in enumerate(items.forms):
        if items._should_delete_form(form):
            continue
        d = form.cleaned_data
        source = old.items[index] if index < len(old.items) else None
        item_drafts.append(ItemDraft(
            seq=d["seq"], number=d["number"].strip(), chapter=d["chapter"] or None, title=d["title"].strip(),
            body=d["body"].strip(), lead_units=split_names(d["lead_units"]),
            responsible_units=split_names(d["responsible_units"]), other_units=split_names(d["other_units"]),
            deadline=d["deadline"], source_start=source.source_start if source else None,
            source_end=source.source_end if source else None, path=list(source.path) if source else [],
        ))
    return PlanDraft(title=m["title"].strip(), year=m["year"], issuer=m["issuer"].strip(),
                     doc_number=m["doc_number"].strip(), issued_on=m["issued_on"], chapters=chapter_drafts,
                     items=item_drafts, warnings=old.warnings, source_lines=old.source_lines)

"""Reading an Excel task table (任务分解表) into a ``PlanDraft``: every row through ``TaskRowForm``.

The layout is the one ``tasks.excel`` exports (序号, 章节, 工作任务, 具体内容, 牵头单位, 责任单位,
完成时限); the header row is found wherever it is (title rows above it are fine) and common
column names from other offices' tables are accepted too. Nothing is drafted unless every row is
valid: the caller gets either a draft or the full list of errors, by row and column.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django import forms
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tasks.importing.drafts import ChapterDraft, ItemDraft, PlanDraft
from tasks.parsing.numbers import cn_to_int, int_to_cn, item_label
from tasks.parsing.tables import find_header
from tasks.parsing.units import split_names

LABELS = {
    "number": "序号", "chapter": "章节", "title": "工作任务", "body": "具体内容",
    "lead": "牵头单位", "responsible": "责任单位", "other": "配合单位", "deadline": "完成时限",
}
HEADER_SCAN_ROWS = 20
NAME_MAX = 100

_NUMBER = re.compile(r"^[\(（]?\s*([0-9]+|[一二三四五六七八九十]+)\s*[\)）]?[、.．]?$")
_CHAPTER = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]\s*(.+)$", re.S)
_YEAR = re.compile(r"(20\d{2})\s*年")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]+[〔\[(（]\s*20\d{2}\s*[〕\])）]\s*\d+\s*号")
_END_OF = re.compile(r"^(20\d{2})年(?:(\d{1,2})月)?底$")


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _cell_text(value: object) -> str:
    """A cell as the text the user sees. Formulas stay as their text: an import never evaluates them."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def seq_of_marker(text: str) -> int | None:
    """The order number an item marker means when read back: "（四）", "(四)", "4" → 4; None if unreadable."""
    match = _NUMBER.match(_fold(text or ""))
    if not match:
        return None
    raw = match.group(1)
    return int(raw) if raw.isdigit() else cn_to_int(raw)


class DeadlineField(forms.DateField):
    """完成时限: an ISO date, 2026/12/31, 2026年12月31日, 2026年底 or 2026年6月底; blank means year end."""

    input_formats = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
    default_error_messages = {"invalid": "日期格式应为 2026-12-31"}

    def to_python(self, value: object) -> dt.date | None:
        text = _fold(str(value)) if value not in (None, "") else ""
        match = _END_OF.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2) or 12)
            if not 1 <= month <= 12:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return super().to_python(text)


class UnitNamesField(forms.CharField):
    """A cell of unit names separated by 、，,;；; cleans to the list of names as written."""

    def clean(self, value: object) -> list[str]:  # type: ignore[override]
        names = split_names(super().clean(value))
        too_long = [n for n in names if len(n) > NAME_MAX]
        if too_long:
            raise forms.ValidationError(f"单位名称“{too_long[0][:20]}…”超过 {NAME_MAX} 字")
        return names


class TaskRowForm(forms.Form):
    """One row of a task table. Rows are user input like any other, so they get a form."""

    number = forms.CharField(label="序号", required=False, max_length=20)
    chapter = forms.CharField(label="章节", required=False, max_length=210)
    title = forms.CharField(label="工作任务", max_length=300,
                            error_messages={"required": "不能为空", "max_length": "不能超过 %(limit_value)d 字"})
    body = forms.CharField(label="具体内容", required=False)
    lead = UnitNamesField(label="牵头单位", required=False)
    responsible = UnitNamesField(label="责任单位", required=False)
    other = UnitNamesField(label="配合单位", required=False)
    deadline = DeadlineField(label="完成时限", required=False)

    def clean_number(self) -> tuple[int | None, str]:
        text = self.cleaned_data["number"].strip()
        if not text:
            return None, ""
        match = _NUMBER.match(_fold(text))
        seq = None
        if match:
            raw = match.group(1)
            seq = int(raw) if raw.isdigit() else cn_to_int(raw)
        if not seq:
            raise forms.ValidationError("应为数字或“(一)”这样的编号")
        # A bare number (our own export writes the order number) gets the documents' usual label "(四)".
        return seq, item_label(seq) if text.isdigit() else text

    def clean_chapter(self) -> tuple[str, str] | None:
        text = self.cleaned_data["chapter"].strip()
        if not text:
            return None
        match = _CHAPTER.match(text)
        return (match.group(1), match.group(2).strip()) if match else ("", text)


@dataclass
class ExcelResult:
    draft: PlanDraft | None = None
    errors: list[str] = field(default_factory=list)
    header_found: bool = True


def _find_header(sheet: Worksheet) -> tuple[int, dict[str, int]] | None:
    """(1-based header row, column map) by the parser's one header vocabulary (``tasks.parsing.tables``)."""
    rows = [[_fold(_cell_text(v)) for v in row] for row in sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)]
    found = find_header(rows, scan=HEADER_SCAN_ROWS)
    if found is None:
        return None
    index, mapping = found
    columns = {("number" if key == "seq" else key): col for key, col in mapping.items() if not key.startswith("_")}
    if "title" not in columns:
        return None  # a body column alone is the parser's reading (title from its first sentence), not this form's
    return index + 1, columns


def _merged_followers(sheet: Worksheet) -> set[tuple[int, int]]:
    """Cells hidden under a merged range (row, 0-based column): they repeat the range's top-left value."""
    hidden: set[tuple[int, int]] = set()
    for rng in sheet.merged_cells.ranges:
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                if (row, col) != (rng.min_row, rng.min_col):
                    hidden.add((row, col - 1))
    return hidden


def read_task_table(content: bytes) -> ExcelResult:
    """Validate every row of the workbook in ``content``; a draft only when the whole file is valid."""
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        return ExcelResult(errors=["无法读取该 Excel 文件，请确认是 .xlsx 格式（Excel 2007 及以上）。"])

    for sheet in workbook.worksheets:
        found = _find_header(sheet)
        if found:
            result = _read_sheet(sheet, *found)
            if result.draft is not None and not result.draft.title and workbook.properties.title:
                # Our own export has no title row but names the plan in the file's properties.
                result.draft.title = workbook.properties.title.strip()
                if m := _YEAR.search(result.draft.title):
                    result.draft.year = int(m.group(1))
            return result
    wanted = "、".join(LABELS[k] for k in ("number", "chapter", "title", "body", "lead", "responsible", "deadline"))
    return ExcelResult(
        header_found=False,
        errors=[f"未找到表头：表格应有一行列名，包括 {wanted}（至少要有工作任务和牵头单位或责任单位）。"]
    )


def _read_sheet(sheet: Worksheet, header_row: int, columns: dict[str, int]) -> ExcelResult:
    draft = PlanDraft()
    errors: list[str] = []
    hidden = _merged_followers(sheet)
    merged_values: dict[int, str] = {}

    # Rows above the header usually carry the plan's title ("2026年…工作要点任务分解表").
    # (max_row=0 would mean "all rows" to openpyxl.)
    above = sheet.iter_rows(max_row=header_row - 1, values_only=True) if header_row > 1 else ()
    for row in above:
        for value in row:
            text = _cell_text(value)
            if not text:
                continue
            if not draft.doc_number and (m := _DOC_NUMBER.search(text)):
                draft.doc_number = _fold(m.group(0))
            elif not draft.title:
                draft.title = re.sub(r"\s*任务(分解|清单)表?$", "", text)
    if draft.title and (m := _YEAR.search(draft.title)):
        draft.year = int(m.group(1))

    headers = [""] * (max(columns.values()) + 1)
    for key, col in columns.items():
        headers[col] = LABELS[key]
    draft.source_lines.append(" | ".join(h for h in headers if h))

    chapters: dict[str, ChapterDraft] = {}
    seq_rows: dict[int, int] = {}
    previous_seq = 0
    for row_number, row in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True),
                                     start=header_row + 1):
        cells = {key: _cell_text(row[col]) if col < len(row) else "" for key, col in columns.items()}
        if not any(cells.values()):
            continue
        for key, col in columns.items():
            if (row_number, col) in hidden and not cells[key]:
                cells[key] = merged_values.get(col, "")
            else:
                merged_values[col] = cells[key]
        form = TaskRowForm(data=cells)
        if not form.is_valid():
            for key, messages in form.errors.items():
                label = LABELS.get(key, "")
                errors.extend(f"第{row_number}行 {label}：{message}" for message in messages)
            continue

        data = form.cleaned_data
        seq, number = data["number"]
        seq = seq or previous_seq + 1
        if seq in seq_rows:
            errors.append(f"第{row_number}行 序号：与第{seq_rows[seq]}行重复")
            continue
        seq_rows[seq] = row_number
        previous_seq = seq

        chapter_key = None
        if data["chapter"]:
            chapter_number, chapter_title = data["chapter"]
            existing = next((c for c in chapters.values() if c.title == chapter_title), None)
            if existing is not None:
                chapter_key = existing.number
            else:
                chapter_key = chapter_number or int_to_cn(len(chapters) + 1)
                if chapter_key not in chapters:
                    chapters[chapter_key] = ChapterDraft(number=chapter_key, title=chapter_title)

        line = len(draft.source_lines)
        draft.source_lines.append(" | ".join(cells[key] for key in sorted(columns, key=columns.get)))
        draft.items.append(ItemDraft(
            seq=seq, number=number, chapter=chapter_key, title=data["title"], body=data["body"],
            lead_units=data["lead"], responsible_units=data["responsible"], other_units=data["other"],
            deadline=data["deadline"], source_start=line, source_end=line,
        ))

    if not errors and not draft.items:
        errors.append(f"表头（第{header_row}行）下没有任何工作任务。")
    if errors:
        return ExcelResult(errors=errors)
    draft.chapters = list(chapters.values())
    if draft.year is None:
        years = {i.deadline.year for i in draft.items if i.deadline}
        draft.year = years.pop() if len(years) == 1 else None
    return ExcelResult(draft=draft)

"""考核细则 and results as workbooks, in the layout offices circulate; and reading a 细则 back.

The first eight columns are the circulation layout: 一级指标 | 分值 | 二级指标 | 分值 | 考核内容 | 评分标准 |
评分单位 | 适用单位, with the upper levels in merged cells. Fazhi needs a few more facts per scoring item
to score it (its own points, rule, deduction, cap, bound data, evidence asked); they follow in extension
columns, so a sheet from another office still reads (the extension columns may be left empty: the item
then takes its 二级指标's points when it is the only one, and is scored at discretion).

Decisions (README "Assessment"): a scoring item's name is its 考核内容 (as circulated tables have no
separate name); categories are named in 适用单位 separated by "、" and declared on a second sheet
"考核类别" (名称 | 满分); an import replaces the scheme's whole tree and is all-or-nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from assessment.measures import MEASURES
from assessment.models import Category, Scheme, SchemeState
from assessment.results import results_for
from assessment.rules import RuleKind
from fazhi import limits
from fazhi.containers import ContainerRefused, check_xlsx
from fazhi.xlsx import new_workbook, put, to_bytes
from tasks.models import Alias, Unit

HEADERS = ["一级指标", "分值", "二级指标", "分值", "考核内容", "评分标准", "评分单位", "适用单位",
           "评分项分值", "计分规则", "每次扣分", "累计扣分上限", "平台数据", "佐证材料要求"]
CATEGORY_SHEET = "考核类别"
MAX_ROWS = 2000

_thin = Side(style="thin", color="999999")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
WRAP = Alignment(wrap_text=True, vertical="center")
RULE_BY_LABEL = {label: value for value, label in RuleKind.choices}
MEASURE_BY_LABEL = {m.label: m.key for m in MEASURES.values()}


def _num(value: Decimal | None) -> Decimal | int | None:
    # Whole numbers as integers, so a cell reads 10 and not 10.00 (or 1E+1).
    return None if value is None else int(value) if value == value.to_integral() else value


def scheme_workbook(scheme: Scheme) -> bytes:
    from assessment.services import scheme_tree

    book = new_workbook()
    ws = book.active
    ws.title = "考核细则"
    put(ws, 1, 1, f"{scheme.name}")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    for col, header in enumerate(HEADERS, start=1):
        cell = put(ws, 2, col, header)
        cell.font, cell.border, cell.alignment = Font(bold=True), BORDER, WRAP
    row = 3
    for top in scheme_tree(scheme):
        top_start = row
        for mid in top.kids:
            mid_start = row
            for leaf in mid.kids:
                values = [top.title, _num(top.points), mid.title, _num(mid.points), leaf.title, leaf.standard,
                          leaf.scoring_unit.name if leaf.scoring_unit else "",
                          "、".join(c.name for c in leaf.categories.all()), _num(leaf.points),
                          leaf.get_rule_kind_display(), _num(leaf.deduction) if leaf.deduction else None,
                          _num(leaf.deduction_cap), MEASURES[leaf.measure].label if leaf.measure else "",
                          leaf.evidence]
                for col, value in enumerate(values, start=1):
                    cell = put(ws, row, col, value)
                    cell.border, cell.alignment = BORDER, WRAP
                row += 1
            if row - 1 > mid_start:
                ws.merge_cells(start_row=mid_start, start_column=3, end_row=row - 1, end_column=3)
                ws.merge_cells(start_row=mid_start, start_column=4, end_row=row - 1, end_column=4)
        if row - 1 > top_start:
            ws.merge_cells(start_row=top_start, start_column=1, end_row=row - 1, end_column=1)
            ws.merge_cells(start_row=top_start, start_column=2, end_row=row - 1, end_column=2)
    for col, width in enumerate([14, 6, 16, 6, 40, 40, 14, 20, 8, 14, 8, 8, 18, 20], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    cats = book.create_sheet(CATEGORY_SHEET)
    put(cats, 1, 1, "名称")
    put(cats, 1, 2, "满分")
    for i, c in enumerate(scheme.categories.all(), start=2):
        put(cats, i, 1, c.name)
        put(cats, i, 2, _num(c.declared_total))
    return to_bytes(book)


DETAIL_COLUMNS = ("基础得分", "折算得分", "附加项")


def results_workbook(scheme: Scheme, *, detail: bool) -> bytes:
    """The results in circulation layout. ``detail`` (the office and leaders) adds every unit's 基础得分, 折算得分
    and 附加项; a unit's liaison gets what the results page shows them of other units: rank, total, grade."""
    from assessment.results import group_by_category

    book = new_workbook()
    ws = book.active
    ws.title = "考核结果"
    headers = ["名次", "单位", "基础得分", "折算得分", "附加项", "总分", "等次", "备注"]
    widths = [6, 28, 10, 10, 8, 10, 8, 10]
    if not detail:
        headers, widths = [h for h in headers if h not in DETAIL_COLUMNS], [6, 28, 10, 8, 10]
    results = results_for(scheme)
    state = "" if scheme.is_stored else "（草稿，尚未锁定）"
    if any(r.pending for r in results):
        state += "（评分未完成）"
    put(ws, 1, 1, f"{scheme.year}年度法治政府建设考核结果{state}")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    row = 2
    for category, rows in group_by_category(results):
        put(ws, row, 1, f"{category.name}（{len(rows)} 个单位）").font = Font(bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
        row += 1
        for col, header in enumerate(headers, start=1):
            cell = put(ws, row, col, header)
            cell.font, cell.border = Font(bold=True), BORDER
        row += 1
        for r in rows:
            note = "一票否决" if r.vetoed else f"{r.missing} 项未评分" if r.pending else ""
            values = [r.rank, r.unit.name, r.base, r.converted, r.bonus, r.total, r.grade_label, note]
            if not detail:
                values = [r.rank, r.unit.name, r.total, r.grade_label, note]
            for col, value in enumerate(values, start=1):
                put(ws, row, col, value).border = BORDER
            row += 1
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    return to_bytes(book)


# ---- reading a 细则 back ----

@dataclass
class _Leaf:
    row: int
    title: str
    standard: str
    unit: Unit | None
    categories: list[str]
    points: Decimal | None
    rule_kind: str
    deduction: Decimal
    cap: Decimal | None
    measure: str
    evidence: str


@dataclass
class _Mid:
    title: str
    points: Decimal
    leaves: list[_Leaf] = field(default_factory=list)


@dataclass
class _Top:
    title: str
    points: Decimal
    mids: OrderedDict[str, _Mid] = field(default_factory=OrderedDict)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _points(value: object, label: str, errors: list[str], prefix: str, *, required: bool = True,
            allow_zero: bool = False) -> Decimal | None:
    text = _text(value)
    if not text:
        if required:
            errors.append(f"{prefix}“{label}”为空。")
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        errors.append(f"{prefix}“{label}”不是数字：{text[:20]}。")
        return None
    if not number.is_finite() or number < 0 or number > Decimal("9999.99") or number != round(number, 2):
        errors.append(f"{prefix}“{label}”应为 0 至 9999.99 之间、最多两位小数的数。")
        return None
    if number == 0 and not allow_zero:
        errors.append(f"{prefix}“{label}”必须大于 0。")
        return None
    return number


def read_scheme_workbook(data: bytes, scheme: Scheme) -> tuple[list[_Top], dict[str, Decimal]]:
    """Parse the workbook; raise one ValidationError listing every bad row (Chinese)."""
    try:
        check_xlsx(data, label="考核细则工作簿")
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except ContainerRefused as exc:
        raise ValidationError(str(exc)) from exc
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError("无法读取该文件：请上传 Excel 工作簿（.xlsx）。") from exc
    errors: list[str] = []
    ws = book.worksheets[0]
    rows = list(ws.iter_rows(max_row=MAX_ROWS + 3, max_col=len(HEADERS), values_only=True))
    header_at = next((i for i, r in enumerate(rows[:5]) if r and _text(r[0]) == "一级指标"), None)
    if header_at is None:
        raise ValidationError("没有找到表头：第一列应为“一级指标”，依次为 " + " | ".join(HEADERS[:8]) + "。")
    body = rows[header_at + 1:]
    if len(body) > MAX_ROWS:
        raise ValidationError(f"工作簿超过 {MAX_ROWS} 行，请拆分后导入。")

    declared: dict[str, Decimal] = {c.name: c.declared_total for c in scheme.categories.all()}
    if CATEGORY_SHEET in book.sheetnames:
        for n, r in enumerate(book[CATEGORY_SHEET].iter_rows(min_row=2, max_row=200, max_col=2, values_only=True),
                              start=2):
            name = _text(r[0]) if r else ""
            if not name:
                continue
            prefix = f"“{CATEGORY_SHEET}”第 {n} 行："
            if len(name) > limits.NAME:
                errors.append(f"{prefix}类别名称超过 {limits.NAME} 个字。")
                continue
            total = _points(r[1] if len(r) > 1 else None, "满分", errors, prefix)
            if total is not None:
                declared[name] = total
    units = {u.name: u for u in Unit.objects.active()}
    units.update({a.name: a.unit for a in Alias.objects.filter(unit__isnull=False).select_related("unit")})

    tops: OrderedDict[str, _Top] = OrderedDict()
    last = ["", None, "", None]
    for offset, raw in enumerate(body):
        n = header_at + 2 + offset
        r = list(raw) + [None] * (len(HEADERS) - len(raw))
        if not any(_text(v) for v in r):
            continue
        prefix = f"第 {n} 行："
        before = len(errors)
        # Merged cells read as empty below their first row: carry the upper levels down.
        for col in range(4):
            if _text(r[col]):
                last[col] = r[col]
                if col == 0:
                    last[2], last[3] = "", None
            else:
                r[col] = last[col]
        top_title, mid_title, title = _text(r[0]), _text(r[2]), _text(r[4])
        for label, value, limit in (("一级指标", top_title, limits.TITLE), ("二级指标", mid_title, limits.TITLE),
                                    ("考核内容", title, limits.TITLE)):
            if not value:
                errors.append(f"{prefix}“{label}”为空。")
            elif len(value) > limit:
                errors.append(f"{prefix}“{label}”超过 {limit} 个字。")
        standard, evidence = _text(r[5]), _text(r[13])
        if len(standard) > limits.LONG_TEXT:
            errors.append(f"{prefix}“评分标准”超过 {limits.LONG_TEXT} 个字。")
        if len(evidence) > limits.TITLE:
            errors.append(f"{prefix}“佐证材料要求”超过 {limits.TITLE} 个字。")
        top_points = _points(r[1], "一级指标分值", errors, prefix, allow_zero=True)
        mid_points = _points(r[3], "二级指标分值", errors, prefix, allow_zero=True)
        unit_name = _text(r[6])
        unit = units.get(unit_name) if unit_name else None
        if unit_name and unit is None:
            errors.append(f"{prefix}评分单位“{unit_name[:50]}”不在单位库中。")
        categories = [c.strip() for c in _text(r[7]).replace(",", "、").replace("，", "、").split("、") if c.strip()]
        if not categories:
            errors.append(f"{prefix}“适用单位”为空。")
        for c in categories:
            if c not in declared:
                errors.append(f"{prefix}适用单位“{c[:50]}”不是本方案的考核类别（可在“{CATEGORY_SHEET}”工作表中声明）。")
        kind_label = _text(r[9])
        kind = RULE_BY_LABEL.get(kind_label, "") if kind_label else RuleKind.DISCRETIONARY
        if not kind:
            errors.append(f"{prefix}计分规则“{kind_label[:30]}”无法识别，可用：{'、'.join(RULE_BY_LABEL)}。")
        points = _points(r[8], "评分项分值", errors, prefix, required=False, allow_zero=kind == RuleKind.VETO)
        deduction = _points(r[10], "每次扣分", errors, prefix, required=False) or Decimal(0)
        cap = _points(r[11], "累计扣分上限", errors, prefix, required=False)
        measure_label = _text(r[12])
        measure = MEASURE_BY_LABEL.get(measure_label, "") if measure_label else ""
        if measure_label and not measure:
            errors.append(f"{prefix}平台数据“{measure_label[:30]}”无法识别，可用：{'、'.join(MEASURE_BY_LABEL)}。")
        if kind in (RuleKind.FIXED, RuleKind.PER_OCCURRENCE) and deduction <= 0:
            errors.append(f"{prefix}按次或定额扣分须填写“每次扣分”。")
        if len(errors) > before:
            continue
        top = tops.get(top_title)
        if top is None:
            top = tops[top_title] = _Top(top_title, top_points)
        elif top.points != top_points:
            errors.append(f"{prefix}一级指标“{top_title}”的分值与前面的行不一致。")
            continue
        mid = top.mids.get(mid_title)
        if mid is None:
            mid = top.mids[mid_title] = _Mid(mid_title, mid_points)
        elif mid.points != mid_points:
            errors.append(f"{prefix}二级指标“{mid_title}”的分值与前面的行不一致。")
            continue
        mid.leaves.append(_Leaf(n, title, standard, unit, categories, points, kind, deduction, cap, measure,
                                evidence))
    for top in tops.values():
        for mid in top.mids.values():
            for leaf in mid.leaves:
                if leaf.points is None:
                    if len(mid.leaves) == 1:
                        leaf.points = mid.points
                    else:
                        errors.append(f"第 {leaf.row} 行：二级指标下有多个评分项时须填写“评分项分值”。")
    if not tops and not errors:
        errors.append("工作簿中没有任何指标行。")
    if errors:
        raise ValidationError(errors)
    return list(tops.values()), declared


@transaction.atomic
def import_scheme(*, scheme: Scheme, data: bytes) -> int:
    """Replace the scheme's tree with the workbook's. All or nothing; returns the number of scoring items."""
    from assessment.services import save_indicator

    if scheme.state != SchemeState.DRAFT:
        raise ValidationError("考核方案已开始自评，不能再导入细则。")
    tops, declared = read_scheme_workbook(data, scheme)
    categories = {c.name: c for c in scheme.categories.all()}
    for order, (name, total) in enumerate(declared.items()):
        if name not in categories:
            categories[name] = Category.objects.create(scheme=scheme, name=name, declared_total=total, order=order)
        elif categories[name].declared_total != total:
            categories[name].declared_total = total
            categories[name].save(update_fields=["declared_total"])
    scheme.indicators.all().delete()
    count = 0
    for i, top in enumerate(tops, start=1):
        t = save_indicator(scheme=scheme, parent=None, level=1, title=top.title, points=top.points, order=i)
        for j, mid in enumerate(top.mids.values(), start=1):
            m = save_indicator(scheme=scheme, parent=t, level=2, title=mid.title, points=mid.points, order=j)
            for k, leaf in enumerate(mid.leaves, start=1):
                try:
                    save_indicator(scheme=scheme, parent=m, level=3, title=leaf.title, points=leaf.points, order=k,
                                   standard=leaf.standard, rule_kind=leaf.rule_kind, deduction=leaf.deduction,
                                   deduction_cap=leaf.cap, measure=leaf.measure, scoring_unit=leaf.unit,
                                   evidence=leaf.evidence, categories=[categories[c] for c in leaf.categories])
                except ValidationError as exc:
                    raise ValidationError([f"第 {leaf.row} 行：{m}" for m in exc.messages]) from exc
                count += 1
    return count

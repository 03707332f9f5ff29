"""Excel task tables: every row goes through a form, errors name the row and column, nothing half-imported."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from tasks.importing.excel import read_task_table
from tests.import_support import HEADER, workbook_bytes

GOOD = ["(一)", "一、加强制度建设", "健全规章制度", "健全规章制度。定期清理。", "测试市司法局", "各区镇", "2026-12-31"]


def test_a_valid_table_becomes_a_draft_with_names_as_written():
    content = workbook_bytes([
        GOOD,
        ["(二)", "一、加强制度建设", "规范执法行为", "", "测试市司法局、市政府办", "市政府各有关部门，各区镇",
         dt.datetime(2026, 6, 30)],
        ["(三)", "二、强化监督", "加强行政复议", "", "测试市司法局", "", "2026年9月底"],
    ])
    result = read_task_table(content)
    assert result.errors == []
    draft = result.draft
    assert [(c.number, c.title) for c in draft.chapters] == [("一", "加强制度建设"), ("二", "强化监督")]
    assert [(i.seq, i.number, i.chapter, i.title) for i in draft.items] == [
        (1, "(一)", "一", "健全规章制度"), (2, "(二)", "一", "规范执法行为"), (3, "(三)", "二", "加强行政复议"),
    ]
    assert draft.items[1].lead_units == ["测试市司法局", "市政府办"]
    assert draft.items[1].responsible_units == ["市政府各有关部门", "各区镇"]
    assert [i.deadline for i in draft.items] == [dt.date(2026, 12, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30)]
    assert draft.year == 2026  # from the deadlines when no title row says it


def test_title_rows_above_the_header_are_tolerated_and_give_the_plan_title():
    title_rows = [["2026年测试市法治政府建设工作要点任务分解表"], ["测政办〔2026〕9号"], []]
    content = workbook_bytes([GOOD], title_rows=title_rows)
    draft = read_task_table(content).draft
    assert draft.title == "2026年测试市法治政府建设工作要点"
    assert draft.year == 2026
    assert draft.doc_number == "测政办〔2026〕9号"
    assert len(draft.items) == 1


def test_bad_date_is_reported_by_row_and_column_in_chinese():
    content = workbook_bytes([GOOD, ["(二)", "", "规范执法", "", "测试市司法局", "", "明年"]])
    result = read_task_table(content)
    assert result.draft is None
    assert result.errors == ["第3行 完成时限：日期格式应为 2026-12-31"]


def test_missing_title_is_reported():
    result = read_task_table(workbook_bytes([GOOD, ["(二)", "", "", "内容", "测试市司法局", "", ""]]))
    assert result.errors == ["第3行 工作任务：不能为空"]


def test_too_long_title_is_reported():
    result = read_task_table(workbook_bytes([["(一)", "", "长" * 301, "", "测试市司法局", "", ""]]))
    assert result.errors == ["第2行 工作任务：不能超过 300 字"]


def test_unreadable_number_is_reported():
    result = read_task_table(workbook_bytes([["第一项", "", "任务", "", "测试市司法局", "", ""]]))
    assert result.errors == ["第2行 序号：应为数字或“(一)”这样的编号"]


def test_repeated_number_is_reported_with_the_first_row():
    result = read_task_table(workbook_bytes([GOOD, ["1", "", "另一项", "", "测试市司法局", "", ""]]))
    assert result.errors == ["第3行 序号：与第2行重复"]


def test_overlong_unit_name_is_reported():
    result = read_task_table(workbook_bytes([["(一)", "", "任务", "", "单" * 101, "", ""]]))
    assert len(result.errors) == 1 and result.errors[0].startswith("第2行 牵头单位：单位名称")


def test_every_bad_row_is_listed_not_only_the_first():
    content = workbook_bytes([
        ["(一)", "", "", "", "测试市司法局", "", "2026/13/01"],
        ["(二)", "", "任务", "", "测试市司法局", "", "2026-02-30"],
    ])
    assert read_task_table(content).errors == [
        "第2行 工作任务：不能为空",
        "第2行 完成时限：日期格式应为 2026-12-31",
        "第3行 完成时限：日期格式应为 2026-12-31",
    ]


def test_missing_header_is_explained():
    result = read_task_table(workbook_bytes([GOOD], header=["a", "b", "c"]))
    assert result.draft is None
    assert result.errors[0].startswith("未找到表头")


def test_header_without_rows_is_explained():
    result = read_task_table(workbook_bytes([]))
    assert result.errors == ["表头（第1行）下没有任何工作任务。"]


def test_a_file_that_is_not_a_workbook_is_explained():
    assert read_task_table(b"PK\x03\x04 not really a zip").errors == [
        "无法读取该 Excel 文件，请确认是 .xlsx 格式（Excel 2007 及以上）。"]


def test_formula_like_cells_stay_text():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["(一)", "", "=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "测试市司法局", "@SUM(A1)", ""])
    sheet["D2"].data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    draft = read_task_table(buffer.getvalue()).draft
    item = draft.items[0]
    assert item.title == "=HYPERLINK(\"http://x\",\"点我\")"
    assert item.body == "+1+1"
    assert item.responsible_units == ["@SUM(A1)"]


def test_blank_numbers_follow_the_row_order_and_blank_deadlines_stay_empty():
    content = workbook_bytes([["", "", "第一项", "", "测试市司法局", "", ""], ["", "", "第二项", "", "", "各区镇", ""]])
    draft = read_task_table(content).draft
    assert [(i.seq, i.number, i.deadline) for i in draft.items] == [(1, "", None), (2, "", None)]


def test_merged_chapter_cells_apply_to_every_row_they_cover():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["1", "一、加强制度建设", "甲", "", "测试市司法局", "", ""])
    sheet.append(["2", None, "乙", "", "测试市司法局", "", ""])
    sheet.append(["3", None, "丙", "", "测试市司法局", "", ""])
    sheet.merge_cells("B2:B3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    draft = read_task_table(buffer.getvalue()).draft
    assert [i.chapter for i in draft.items] == ["一", "一", None]


def test_other_offices_column_names_are_understood():
    content = workbook_bytes([["1", "推进依法决策", "测试市司法局", "测试市公安局", "2026年底"]],
                             header=["编号", "重点任务", "牵头部门", "配合单位", "完成时间"])
    item = read_task_table(content).draft.items[0]
    assert (item.seq, item.number, item.title, item.lead_units, item.other_units, item.deadline) == (
        1, "(一)", "推进依法决策", ["测试市司法局"], ["测试市公安局"], dt.date(2026, 12, 31))

"""Text written through fazhi.xlsx is never a formula, in normal and write-only workbooks."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from fazhi.xlsx import append_row, formula_cells, new_workbook, put, to_bytes

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x","点此")', "普通文字"]


def _read(data: bytes) -> list[list[object]]:
    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_hostile_text_stays_text_in_a_normal_workbook() -> None:
    book = new_workbook()
    ws = book.active
    for column, value in enumerate(HOSTILE, start=1):
        put(ws, 1, column, value)
    append_row(ws, HOSTILE)
    data = to_bytes(book)
    assert formula_cells(data) == []
    assert _read(data) == [HOSTILE, HOSTILE]
    assert b"<f>" not in data


def test_hostile_text_stays_text_in_a_write_only_workbook() -> None:
    book = new_workbook(write_only=True)
    ws = book.create_sheet("导出")
    append_row(ws, HOSTILE)
    data = to_bytes(book)
    assert formula_cells(data) == []
    assert _read(data) == [HOSTILE]


def test_numbers_dates_and_awkward_values_are_written_as_cells_can_hold_them() -> None:
    book = new_workbook()
    aware = dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)
    append_row(book.active, [Decimal("12.50"), 3, dt.date(2026, 1, 2), aware, "控制\x07字符", None, ["a"]])
    row = _read(to_bytes(book))[0]
    assert row[0] == 12.5 and row[1] == 3
    assert row[2] == dt.datetime(2026, 1, 2)
    # Local (Asia/Shanghai) wall time, without a zone Excel cannot store.
    assert row[3] == aware.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert row[4] == "控制字符"
    assert row[5] is None
    assert row[6] == "['a']"


def test_a_wrapped_rows_height_follows_its_longest_cell_and_is_read_back():
    from openpyxl.styles import Alignment

    from fazhi.xlsx import display_width, fit_row_height, text_lines

    assert display_width("市司法局，OK") == 12
    assert text_lines("一" * 14, 30) == 1 and text_lines("一" * 15, 30) == 2 and text_lines("甲\n乙", 30) == 2
    book = new_workbook()
    ws = book.active
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 21  # 10 Chinese characters a line
    put(ws, 1, 1, "短").alignment = Alignment(wrap_text=True)
    put(ws, 1, 2, "一" * 45).alignment = Alignment(wrap_text=True)  # five lines
    put(ws, 2, 1, "一" * 400)  # not wrapped: Excel shows it on one line, the row keeps one line's height
    put(ws, 3, 2, "一" * 100_000 + "\n" * 10).alignment = Alignment(wrap_text=True)
    assert fit_row_height(ws, 1, font_size=10) == 5 * 13.5 + 4
    assert fit_row_height(ws, 2, font_size=10, min_height=20) == 20
    assert fit_row_height(ws, 3) == 409  # Excel's largest row
    ws.merge_cells("A4:B4")
    put(ws, 4, 1, "一" * 15).alignment = Alignment(wrap_text=True)  # one line over the merged width (31)
    assert fit_row_height(ws, 4, font_size=10) == 13.5 + 4
    back = load_workbook(io.BytesIO(to_bytes(book))).active
    assert [back.row_dimensions[r].height for r in (1, 2, 3, 4)] == [71.5, 20, 409, 17.5]

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

"""Workbooks and the 通报: the scheme exports and imports back, bad workbooks list every bad row and save nothing."""

from __future__ import annotations

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from assessment import services, workbook
from assessment.documents import notice_docx
from assessment.models import Indicator, SchemeState
from fazhi.xlsx import formula_cells, new_workbook, put, to_bytes
from tests.assessment.support import YEAR, build_small


@pytest.fixture
def small(unit_a, unit_b):
    return build_small(unit_a, unit_b)


def _snapshot(scheme):
    return sorted(
        (i.level, i.parent.title if i.parent else "", i.title, i.points, i.standard, i.rule_kind, i.deduction,
         i.deduction_cap, i.measure, i.scoring_unit_id, i.evidence, tuple(sorted(c.name for c in i.categories.all())))
        for i in Indicator.objects.filter(scheme=scheme).select_related("parent").prefetch_related("categories"))


def test_the_export_is_in_circulation_layout_with_merged_upper_levels(small):
    data = workbook.scheme_workbook(small.scheme)
    assert formula_cells(data) == []
    ws = load_workbook(BytesIO(data)).worksheets[0]
    assert [c.value for c in ws[2]][:8] == ["一级指标", "分值", "二级指标", "分值", "考核内容", "评分标准", "评分单位",
                                            "适用单位"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A3:A4" in merged and "B3:B4" in merged  # 制度建设 spans its two items
    assert ws["A3"].value == "制度建设" and ws["B3"].value == 50 and ws["E3"].value == "规范性文件按规定报送备案"
    assert ws["G3"].value == "测试市人民法院" and ws["H3"].value == "有执法职能部门、乡镇街道"


def test_an_export_imports_back_to_the_same_scheme(small):
    before = _snapshot(small.scheme)
    data = workbook.scheme_workbook(small.scheme)
    copy = services.create_scheme(year=YEAR + 1, name="round trip")
    assert workbook.import_scheme(scheme=copy, data=data) == 5
    assert _snapshot(copy) == before
    assert {(c.name, c.declared_total) for c in copy.categories.all()} == {("有执法职能部门", D(100)),
                                                                           ("乡镇街道", D(50))}
    # And into the scheme it came from: replaced by itself, unchanged.
    workbook.import_scheme(scheme=small.scheme, data=data)
    assert _snapshot(small.scheme) == before


def _bad_book() -> bytes:
    book = new_workbook()
    ws = book.active
    for col, header in enumerate(workbook.HEADERS, start=1):
        put(ws, 1, col, header)
    rows = [
        ["制度建设", 50, "规范性文件管理", 50, "按规定备案", "标准", "测试市人民法院", "乡镇街道", 20, "酌情赋分"],
        [None, None, None, None, "", "标准", "不存在的单位", "乡镇街道", "abc"],
        [None, None, None, None, "第三项", "标准", "", "不存在的类别", 10, "随便扣"],
        [None, None, None, None, "第四项", "标准", "", "", 10, "按次扣分（累计有上限）"],
        [None, 40, None, None, "第五项", "", "", "乡镇街道", 5],
    ]
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            put(ws, r, c, v)
    return to_bytes(book)


def test_a_malformed_workbook_lists_every_bad_row_and_saves_nothing(small):
    before = _snapshot(small.scheme)
    with pytest.raises(ValidationError) as exc:
        workbook.import_scheme(scheme=small.scheme, data=_bad_book())
    messages = exc.value.messages
    assert "第 3 行：“考核内容”为空。" in messages
    assert "第 3 行：评分单位“不存在的单位”不在单位库中。" in messages
    assert "第 3 行：“评分项分值”不是数字：abc。" in messages
    assert any(m.startswith("第 4 行：适用单位“不存在的类别”不是本方案的考核类别") for m in messages)
    assert any(m.startswith("第 4 行：计分规则“随便扣”无法识别") for m in messages)
    assert "第 5 行：“适用单位”为空。" in messages
    assert "第 5 行：按次或定额扣分须填写“每次扣分”。" in messages
    assert "第 6 行：一级指标“制度建设”的分值与前面的行不一致。" in messages
    assert _snapshot(small.scheme) == before


def test_the_import_page_shows_every_error_and_keeps_the_scheme(small, coordinator_client):
    before = _snapshot(small.scheme)
    upload = SimpleUploadedFile("细则.xlsx", _bad_book())
    response = coordinator_client.post(f"/assessment/{YEAR}/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400 and "未保存任何内容" in page and "第 6 行" in page and "第 3 行" in page
    assert _snapshot(small.scheme) == before
    response = coordinator_client.post(f"/assessment/{YEAR}/import/",
                                       {"file": SimpleUploadedFile("x.xlsx", b"not a zip")})
    assert response.status_code == 400 and "未保存任何内容" in response.content.decode()
    assert _snapshot(small.scheme) == before


def test_import_is_refused_once_the_scheme_is_open(small, coordinator):
    services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)
    with pytest.raises(ValidationError, match="不能再导入"):
        workbook.import_scheme(scheme=small.scheme, data=workbook.scheme_workbook(small.scheme))


def _lock(small, coordinator):
    from assessment.models import CategoryMembership

    services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)
    services.move_scheme(scheme=small.scheme, to=SchemeState.SCORING, user=coordinator)
    services.move_scheme(scheme=small.scheme, to=SchemeState.REVIEW, user=coordinator)
    for m in CategoryMembership.objects.filter(scheme=small.scheme):
        services.record_score(membership=m, indicator=small.filing, score=D(20), reason="", user=coordinator,
                              as_office=True)
        if m.category == small.depts:
            services.record_score(membership=m, indicator=small.cases, score=D(45), reason="一卷不合格",
                                  user=coordinator, as_office=True)
    services.move_scheme(scheme=small.scheme, to=SchemeState.LOCKED, user=coordinator)


def test_the_results_workbook_reads_back(small, coordinator, leader_client):
    _lock(small, coordinator)
    response = leader_client.get(f"/assessment/{YEAR}/results.xlsx")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == f"{YEAR}年度法治政府建设考核结果"
    assert rows[1][0] == "有执法职能部门（1 个单位）"
    assert rows[3][:7] == [1, "测试市司法局", 95, 95, 0, 95, "良好"]
    assert rows[6][:7] == [1, "测试市甲镇人民政府", 50, 100, 0, 100, "良好"]


def test_the_notice_reads_back(small, coordinator, leader_client, liaison_a_client):
    _lock(small, coordinator)
    assert liaison_a_client.get(f"/assessment/{YEAR}/notice.docx").status_code == 404  # not yet published
    response = leader_client.get(f"/assessment/{YEAR}/notice.docx")
    assert response.status_code == 200
    doc = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"关于{YEAR}年度法治政府建设考核结果的通报" in text
    assert "共有 2 个单位参加" in text
    assert "（一）有执法职能部门（1 个单位）" in text and "1．测试市司法局，95.00 分，良好。" in text
    assert "（二）乡镇街道（1 个单位）" in text and "1．测试市甲镇人民政府，100.00 分，良好。" in text
    assert "法治政府建设工作领导小组办公室" in text  # issuer mark and signature
    assert notice_docx(small.scheme)[:2] == b"PK"


def test_a_liaison_downloads_the_published_results_without_other_units_breakdown(small, coordinator,
                                                                                liaison_a_client):
    # The results page shows a liaison other units' rank, total and grade only; the workbook says no more.
    _lock(small, coordinator)
    assert liaison_a_client.get(f"/assessment/{YEAR}/results.xlsx").status_code == 404  # not yet published
    services.move_scheme(scheme=small.scheme, to=SchemeState.PUBLISHED, user=coordinator)
    response = liaison_a_client.get(f"/assessment/{YEAR}/results.xlsx")
    assert response.status_code == 200
    rows = [[c.value for c in row] for row in load_workbook(BytesIO(response.content)).worksheets[0].iter_rows()]
    assert rows[2] == ["名次", "单位", "总分", "等次", "备注"]
    assert rows[3][:4] == [1, "测试市司法局", 95, "良好"]
    assert rows[6][:4] == [1, "测试市甲镇人民政府", 100, "良好"]
    assert not any(h in row for row in rows for h in workbook.DETAIL_COLUMNS)

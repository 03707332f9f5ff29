"""The preview shows the parsed plan beside its source, item by item, with warnings highlighted."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.importing.drafts import PlanDraft
from tasks.importing.resolve import Registry
from tasks.importing.services import start_import
from tasks.models import ImportSource
from tasks.parsing.types import ParseWarning
from tests.import_support import form_data, parsed_document

pytestmark = pytest.mark.django_db


def _preview(client, user, doc):
    document_import = start_import(user=user, source=ImportSource.PASTE, filename="",
                                   draft=PlanDraft.from_parsed(doc))
    return client.get(reverse("tasks:import_preview", args=[document_import.pk])), document_import


def _row(html: str, index: int) -> str:
    """The side-by-side row of the item with this index."""
    match = re.search(rf'<section class="import-grid import-row[^"]*" id="item-{index}">(.*?)</section>', html, re.S)
    assert match, f"no row for item {index}"
    return match.group(1)


def test_each_item_is_shown_beside_its_own_source_line(coordinator_client, coordinator, registry_units):
    response, _ = _preview(coordinator_client, coordinator, parsed_document(3))
    html = response.content.decode()
    assert response.status_code == 200
    for index in range(3):
        row = _row(html, index)
        edit, source = row.split('class="source card"')
        assert f'value="推进第{index + 1}项工作"' in edit  # the editable title
        assert f"({index + 1})推进第{index + 1}项工作。" in source  # the source line, beside it
        assert f"({index + 2})推进" not in source
    assert 'value="2026年测试市法治政府建设工作要点"' in html
    assert 'value="测政办〔2026〕9号"' in html


def test_text_outside_any_item_is_shown_as_orphan_source(coordinator_client, coordinator, registry_units):
    html = _preview(coordinator_client, coordinator, parsed_document(2))[0].content.decode()
    orphan = re.search(r'import-row orphan">(.*?)</section>', html, re.S).group(1)
    assert "未归入任何工作任务的原文" in orphan
    assert "一、加强制度建设" in orphan


def test_numbering_gap_repeat_and_missing_units_are_highlighted(coordinator_client, coordinator, registry_units):
    doc = parsed_document(4)
    doc.items[2].seq = 5  # (1) (2) (5) …
    doc.items[3].seq = 5  # … (5) again
    doc.items[0].lead_units, doc.items[0].responsible_units = [], []
    html = _preview(coordinator_client, coordinator, doc)[0].content.decode()
    assert "没有牵头单位或责任单位" in _row(html, 0)
    assert "编号不连续" in _row(html, 2)
    assert "编号重复：序号 5 已出现过" in _row(html, 3)
    assert "has-warning" in html.split('id="item-0"')[0].rsplit("<section", 1)[1]
    assert "<li>" not in _row(html, 1).split('class="warnings"')[0] and 'class="warnings"' not in _row(html, 1)


def test_unresolved_unit_is_highlighted_on_its_item_and_listed_for_a_decision(coordinator_client, coordinator,
                                                                             registry_units):
    html = _preview(coordinator_client, coordinator, parsed_document(2, unknown="测试市新成立局"))[0].content.decode()
    assert "单位“测试市新成立局”不在单位库中" in _row(html, 0)
    assert 'unresolved-name" title="不在单位库中">测试市新成立局' in _row(html, 0)
    unresolved = re.search(r'id="unresolved">(.*?)</div>\s*</div>', html, re.S).group(1)
    assert "测试市新成立局" in unresolved
    assert "新建为单位" in unresolved and "对应到已有单位或集合" in unresolved
    assert "测试市公安局" in unresolved and "市政府各有关部门" in unresolved  # units and groups to map to


def test_alias_and_group_names_show_what_they_resolve_to(coordinator_client, coordinator, registry_units):
    html = _row(_preview(coordinator_client, coordinator, parsed_document(1))[0].content.decode(), 0)
    assert "市政府办 → 测试市人民政府办公室" in html
    assert 'class="tag group" title="各区镇">各区镇' in html


def test_parser_warnings_appear_on_their_item_or_at_the_top(coordinator_client, coordinator, registry_units):
    doc = parsed_document(2, warnings=[ParseWarning(seq=2, message="第(2)项在单位说明前中断，内容可能不完整。"),
                                       ParseWarning(seq=None, message="第12行文字不属于任何工作任务。")])
    html = _preview(coordinator_client, coordinator, doc)[0].content.decode()
    assert "内容可能不完整" in _row(html, 1)
    top = html.split('class="import-grid import-head"')[0]
    assert "第12行文字不属于任何工作任务" in top
    assert "2 条提示" in top


def test_preview_queries_stay_constant_from_1_to_50_items(coordinator_client, coordinator, registry_units):
    counts = []
    coordinator_client.get(reverse("reports:notices"))  # warm: the signed-in user is cached after the first request
    Registry.current()  # loaded once per process and registry version (tasks.importing.resolve)
    for n in (1, 50):
        document_import = start_import(user=coordinator, source=ImportSource.PASTE, filename="",
                                       draft=PlanDraft.from_parsed(parsed_document(n, unknown="测试市新成立局")))
        with CaptureQueriesContext(connection) as queries:
            response = coordinator_client.get(reverse("tasks:import_preview", args=[document_import.pk]))
        assert response.status_code == 200
        assert response.content.decode().count('class="card item-edit"') == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_numbering_going_backwards_is_highlighted(coordinator_client, coordinator, registry_units):
    doc = parsed_document(3)
    doc.items[1].seq, doc.items[1].number = 3, "(三)"
    doc.items[2].seq, doc.items[2].number = 2, "(二)"
    html = _preview(coordinator_client, coordinator, doc)[0].content.decode()
    assert "编号不连续：(1) 之后是 (三)" in _row(html, 1)
    assert "编号倒退：(二) 出现在 (三) 之后" in _row(html, 2)


def test_fixing_an_item_in_the_preview_clears_its_live_warnings(coordinator_client, coordinator, registry_units):
    doc = parsed_document(3, warnings=[ParseWarning(seq=4, message="编号不连续：(四)之前缺少(三)"),
                                       ParseWarning(seq=4, message="未找到牵头单位或责任单位"),
                                       ParseWarning(seq=2, message="单位括注没有结束括号，可能被截断，请核对单位")])
    doc.items[2].seq = 4
    doc.items[2].lead_units, doc.items[2].responsible_units = [], []
    response, document_import = _preview(coordinator_client, coordinator, doc)
    html = response.content.decode()
    assert "编号不连续" in _row(html, 2) and "未找到牵头单位或责任单位" in _row(html, 2)

    data = form_data(html)
    data.update({"items-2-seq": "3", "items-2-lead_units": "测试市司法局", "save": "1"})
    coordinator_client.post(reverse("tasks:import_preview", args=[document_import.pk]), data)
    row = _row(coordinator_client.get(reverse("tasks:import_preview", args=[document_import.pk])).content.decode(), 2)
    assert 'class="warnings"' not in row
    # What the parser saw in the text itself stays until the import is confirmed.
    assert "单位括注没有结束括号" in _row(coordinator_client.get(
        reverse("tasks:import_preview", args=[document_import.pk])).content.decode(), 1)

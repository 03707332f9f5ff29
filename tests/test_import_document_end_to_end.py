"""A pasted or uploaded work-point document, read by the real parser, becomes a plan after one confirmation."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from tasks.models import AssignmentRole, DocumentImport, Plan, Unit, UnitKind
from tests.import_support import form_data

pytestmark = pytest.mark.django_db

DOCUMENT = """测试市人民政府办公室文件
测政办〔2026〕12号
测试市人民政府办公室关于印发2026年测试市法治政府建设工作要点的通知
各区镇人民政府，市政府各有关部门：
现将《2026年测试市法治政府建设工作要点》印发给你们，请认真贯彻落实。
测试市人民政府办公室
2026年3月15日
2026年测试市法治政府建设工作要点
一、加强制度建设
(一)健全规章制度。定期清理规范性文件，建立目录并动态更新。(牵头单位:测试市司法局、市政府办,责任单位:市政府各有关部门、各区镇)
(二)规范重大行政决策。严格执行决策程序，推进合法性审查全覆盖。(牵头单位:测试市司法局,责任单位:市政府各有关部门)
二、强化监督
(三)加强行政复议。畅通申请渠道，提升办案质量。(牵头单位:测试市司法局,责任单位:测试市信访局)
(五)推进政务公开。及时公开政策文件，回应社会关切
"""


def _confirm_all(client, preview_url: str) -> None:
    data = form_data(client.get(preview_url).content.decode())
    for key in [k for k in data if re.fullmatch(r"names-\d+-action", k)]:
        data[key] = "create"
        data[key.replace("action", "kind")] = UnitKind.GOVERNMENT
    data["confirm"] = "1"
    client.post(preview_url, data)


def test_pasted_document_is_previewed_with_its_warnings_and_confirmed(coordinator_client, registry_units):
    response = coordinator_client.post(reverse("tasks:import_upload"), {"text": DOCUMENT})
    assert response.status_code == 302
    html = coordinator_client.get(response["Location"]).content.decode()

    assert 'value="测政办〔2026〕12号"' in html and 'value="2026-03-15"' in html
    last = html.split('id="item-3"')[1].split("</section>")[0]
    assert "编号不连续" in last  # (五) follows (三)
    assert "测试市信访局" in html.split('id="unresolved"')[1]

    _confirm_all(coordinator_client, response["Location"])

    plan = Plan.objects.get()
    assert (plan.doc_number, plan.year, plan.issuer) == ("测政办〔2026〕12号", 2026, "测试市人民政府办公室")
    assert list(plan.items.values_list("seq", "title")) == [
        (1, "健全规章制度"), (2, "规范重大行政决策"), (3, "加强行政复议"), (5, "推进政务公开")]
    first = plan.items.get(seq=1)
    assert [(a.role, a.label) for a in first.assignments.order_by("order")] == [
        (AssignmentRole.LEAD, "测试市司法局"), (AssignmentRole.LEAD, "市政府办"),
        (AssignmentRole.RESPONSIBLE, "市政府各有关部门"), (AssignmentRole.RESPONSIBLE, "各区镇")]
    assert Unit.objects.get(name="测试市信访局").kind == UnitKind.GOVERNMENT
    assert plan.items.get(seq=5).assignments.count() == 0  # a truncated item keeps what is there
    assert "(三)加强行政复议" in plan.source_text


def test_docx_upload_is_read_by_the_parser(coordinator_client, registry_units):
    document = Document()
    for line in DOCUMENT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    response = coordinator_client.post(reverse("tasks:import_upload"),
                                       {"file": SimpleUploadedFile("要点.docx", buffer.getvalue())})
    assert response.status_code == 302
    assert len(DocumentImport.objects.get().data["items"]) == 4


def test_gbk_text_file_is_read_by_the_parser(coordinator_client, registry_units):
    response = coordinator_client.post(reverse("tasks:import_upload"),
                                       {"file": SimpleUploadedFile("要点.txt", DOCUMENT.encode("gbk"))})
    assert response.status_code == 302
    assert DocumentImport.objects.get().data["doc_number"] == "测政办〔2026〕12号"

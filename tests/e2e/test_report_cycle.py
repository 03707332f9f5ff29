"""The whole cycle in a browser: import a document, file with evidence, return, refile, approve, see the dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reports.models import Attachment, Obligation, Report, ReportState
from tasks.models import Plan

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

DOCUMENT = """测试市人民政府办公室文件
测政办〔2027〕3号
2027年测试市法治政府建设工作要点
一、加强制度建设
(一)健全规章制度。定期清理规范性文件，建立目录并动态更新。(牵头单位:测试市司法局,责任单位:测试市甲镇人民政府)
(二)规范重大行政决策。严格执行决策程序，推进合法性审查全覆盖。(牵头单位:测试市司法局)
二、强化监督
(三)加强行政复议。畅通申请渠道，提升办案质量。(牵头单位:测试市甲镇人民政府)
"""


def test_a_coordinator_imports_a_work_point_document_through_the_preview(browser, everyone, unit_a, unit_b):
    page = browser.page_for("coordinator")
    page.goto(f"{browser.base_url}/plans/import/")
    page.fill("textarea[name=text]", DOCUMENT)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/plans/import/\d+/$"))
    assert "健全规章制度" in page.content() and "加强行政复议" in page.content()
    page.click("button[name=confirm]")
    page.wait_for_load_state()
    plan = Plan.objects.get(doc_number="测政办〔2027〕3号")
    assert list(plan.items.order_by("seq").values_list("title", flat=True)) == [
        "健全规章制度", "规范重大行政决策", "加强行政复议"]
    assert browser.errors == []


def _approved_on_dashboard(page, base_url: str) -> int:
    page.goto(f"{base_url}/dashboard/")
    cell = page.locator("tr", has=page.locator("th", has_text="已审核")).locator("td.num").first
    return int(cell.inner_text().strip())


def test_file_return_refile_and_approve_a_report_with_evidence(browser, everyone, open_period, unit_a):
    leader = browser.page_for("leader")
    approved_before = _approved_on_dashboard(leader, browser.base_url)

    liaison = browser.page_for("liaison_a")
    obligation = Obligation.objects.filter(period=open_period, unit=unit_a).order_by("item__seq").first()
    liaison.goto(f"{browser.base_url}/reports/")
    liaison.locator(f"form[action='/reports/obligations/{obligation.pk}/start/'] button").click()
    liaison.wait_for_url(re.compile(r"/reports/\d+/edit/$"))
    liaison.check("input[name=progress][value=in_progress]")
    liaison.fill("input[name=percent]", "60")
    liaison.fill("textarea[name=measures]", "组织专题学习3次，培训干部120人次。")
    liaison.set_input_files("input[type=file]", files=[
        {"name": "培训签到表.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    liaison.click("button[name=action][value=submit]")
    liaison.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = Report.objects.get(obligation=obligation)
    assert report.state == ReportState.SUBMITTED
    attachment = Attachment.objects.get(report=report)
    assert attachment.original_name == "培训签到表.pdf"

    coordinator = browser.page_for("coordinator")
    coordinator.goto(f"{browser.base_url}/reports/review/")
    coordinator.fill(f"#return-{report.pk}", "请补充培训覆盖率数据。")
    coordinator.locator(f"form[action='/reports/{report.pk}/return/'] button").click()
    coordinator.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED

    liaison.goto(f"{browser.base_url}/reports/{report.pk}/edit/")
    assert "请补充培训覆盖率数据" in liaison.content()
    liaison.fill("textarea[name=measures]", "组织专题学习3次，培训干部120人次，覆盖率100%。")
    liaison.click("button[name=action][value=submit]")
    liaison.wait_for_url(re.compile(r"/reports/\d+/$"))
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and "覆盖率100%" in report.measures

    # The evidence downloads for the coordinator as an attachment.
    with coordinator.expect_download() as download:
        coordinator.goto(f"{browser.base_url}/reports/{report.pk}/")
        coordinator.locator(f"a[href='/reports/attachments/{attachment.pk}/']").first.click()
    assert Path(download.value.path()).read_bytes() == PDF

    coordinator.goto(f"{browser.base_url}/reports/review/")
    coordinator.locator(f"form[action='/reports/{report.pk}/approve/'] button").click()
    coordinator.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED

    assert _approved_on_dashboard(leader, browser.base_url) == approved_before + 1
    assert browser.errors == []


def test_a_liaison_cannot_reach_another_units_report_or_evidence(browser, everyone, open_period, unit_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports import services
    from reports.files import validate_upload

    obligation = Obligation.objects.filter(period=open_period, unit=unit_b).first()
    report = services.start_report(obligation=obligation, user=everyone["liaison_b"])
    upload = SimpleUploadedFile("乙镇材料.pdf", PDF, content_type="application/pdf")
    attachment = services.add_attachment(report=report, upload=upload, kind=validate_upload(upload),
                                         user=everyone["liaison_b"])
    version = report.version
    page = browser.page_for("liaison_a")
    for path in [f"/reports/{report.pk}/edit/", f"/reports/{report.pk}/", f"/reports/attachments/{attachment.pk}/"]:
        response = page.goto(f"{browser.base_url}{path}")
        assert response.status == 404, path
        assert "乙镇材料" not in page.content()
    report.refresh_from_db()
    assert report.version == version and Attachment.objects.filter(pk=attachment.pk).exists()

"""The whole cycle through the pages, each role with its own client: open, file, return, refile, approve,
chase, compile."""

from __future__ import annotations

import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from reports.models import Period, Report, ReportState
from tasks.models import AssignmentRole
from tasks.services import sync_duties
from tests.factories import AssignmentFactory, ChapterFactory, PlanFactory, WorkItemFactory


def _form(report, **extra):
    data = {"progress": "in_progress", "percent": "70", "measures": "", "problems": "", "next_steps": "",
            "delay_reason": "", "version": str(report.version), "fig-TOTAL_FORMS": "1", "fig-INITIAL_FORMS": "0",
            "fig-MIN_NUM_FORMS": "0", "fig-MAX_NUM_FORMS": "1000", "fig-0-label": "", "fig-0-value": "",
            "fig-0-unit": ""}
    data.update(extra)
    return data


def test_open_file_return_refile_approve_chase_compile(db, unit_a, unit_b, liaison_a, liaison_b, coordinator_client,
                                                       liaison_a_client, liaison_b_client, leader_client,
                                                       django_capture_on_commit_callbacks, settings, tmp_path,
                                                       fetch_export):
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    liaison_b.email = "b@example.gov.cn"
    liaison_b.save()
    plan = PlanFactory(year=2026)
    item = WorkItemFactory(plan=plan, chapter=ChapterFactory(plan=plan, seq=1, title="健全依法决策机制"),
                           seq=1, title="严格落实重大行政决策程序")
    AssignmentFactory(item=item, unit=unit_a, role=AssignmentRole.LEAD)
    AssignmentFactory(item=item, unit=unit_b, role=AssignmentRole.RESPONSIBLE)
    sync_duties(items=[item])

    # The legal office opens the half-year round (already past due, so B will be chased).
    coordinator_client.post(f"/reports/plans/{plan.pk}/periods/",
                            {"name": "2026年半年报", "kind": "half_year", "due_on": "2026-01-10", "scope": "all",
                             "confirm": "1"})
    period = Period.objects.get(plan=plan)
    assert period.obligations.count() == 2

    # Unit A files with a figure and evidence, and submits.
    ob = period.obligations.get(unit=unit_a)
    liaison_a_client.post(f"/reports/obligations/{ob.pk}/start/")
    report = Report.objects.get(obligation=ob)
    data = _form(report, measures="全年审查重大行政决策事项12件。", action="submit",
                 **{"fig-0-label": "合法性审查", "fig-0-value": "12", "fig-0-unit": "件"})
    data["files"] = SimpleUploadedFile("决策目录.pdf", b"%PDF-1.4 demo")
    liaison_a_client.post(f"/reports/{report.pk}/edit/", data)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.attachments.count() == 1

    # The legal office returns it from the queue; A sees it first in 我的待办 and refiles.
    assert "严格落实重大行政决策程序" in coordinator_client.get("/reports/review/").content.decode()
    coordinator_client.post(f"/reports/{report.pk}/return/", {"comment": "请说明公众参与情况。"})
    assert "退回意见：请说明公众参与情况。" in liaison_a_client.get("/reports/").content.decode()
    report.refresh_from_db()
    liaison_a_client.post(f"/reports/{report.pk}/edit/", _form(
        report, measures="全年审查重大行政决策事项12件，均公开征求意见。", action="submit",
        **{"fig-0-label": "合法性审查", "fig-0-value": "12", "fig-0-unit": "件"}))
    coordinator_client.post(f"/reports/{report.pk}/approve/")
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED and report.is_late
    assert "<ins>，均公开征求意见</ins>" in leader_client.get(f"/reports/{report.pk}/history/").content.decode()

    # Unit B has not filed: chased once, by e-mail and notice.
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post("/reports/reminders/", {"target": "overdue", "note": ""})
    assert [m.to for m in mail.outbox] == [["b@example.gov.cn"]]
    assert '>1<span class="sr-only">条未读通知</span>' in liaison_b_client.get("/reports/").content.decode()

    # The leader reads the item side by side and downloads the period summary.
    html = leader_client.get(f"/reports/items/{item.pk}/").content.decode()
    assert "均公开征求意见" in html and "尚未报送" in html
    ws = load_workbook(io.BytesIO(fetch_export(leader_client, f"/exports/periods/{period.pk}/").getvalue())).active
    assert [r[5] for r in ws.iter_rows(min_row=3, values_only=True)] == ["已审核", "未填报"]

    # The year-end report compiles itself from what unit A filed and the office approved; with no year-end
    # round yet, the approved half-year text stands in, marked as such.
    response = fetch_export(coordinator_client, f"/exports/annual/{unit_a.pk}/2026/")
    texts = [p.text for p in Document(io.BytesIO(response.getvalue())).paragraphs]
    assert "一、健全依法决策机制" in texts and "（一）严格落实重大行政决策程序" in texts
    assert "【据2026年半年报，尚无年终报告】全年审查重大行政决策事项12件，均公开征求意见。" in texts
    assert "主要数据：合法性审查12件。" in texts

    # Closing the round stops filing.
    coordinator_client.post(f"/reports/periods/{period.pk}/close/")
    ob_b = period.obligations.get(unit=unit_b)
    liaison_b_client.post(f"/reports/obligations/{ob_b.pk}/start/")
    assert not Report.objects.filter(obligation=ob_b).exists()

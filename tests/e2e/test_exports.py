"""In a browser: a leader asks for the period summary, watches the job page until the worker is done, downloads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.models import ExportJob, ExportState
from tests.worker_support import run_queue_like_the_cluster

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_job_page_refreshes_itself_until_the_queued_file_is_ready(browser, everyone, open_period, settings):
    settings.FAZHI_WORKER = "django-q2"
    page = browser.page_for("leader", width=375)
    page.goto(f"{browser.base_url}/reports/plans/{open_period.plan_id}/periods/")
    page.click("text=导出汇总表")
    page.wait_for_url(f"{browser.base_url}/exports/*/")
    assert "排队中" in page.content()
    assert ExportJob.objects.get().state == ExportState.QUEUED

    assert run_queue_like_the_cluster() == 1  # the worker, here in the test's own thread
    page.locator("text=下载文件").wait_for(timeout=15_000)  # the page refreshed itself (every 3 s)
    with page.expect_download() as download:
        page.click("text=下载文件")
    assert download.value.suggested_filename == "2026年半年报汇总表.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet["A1"].value.endswith("（截止 " + open_period.due_on.strftime("%Y-%m-%d") + "）")
    assert "已生成" in browser.page_for("leader").goto(f"{browser.base_url}/reports/notices/").text()
    assert browser.errors == []

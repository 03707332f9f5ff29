"""The report form: saving, submitting, errors that keep every typed word and every uploaded file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services
from reports.models import ReportState

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def draft(world):
    return services.start_report(obligation=world.a1, user=world.liaison_a)


def _post(report, **extra):
    data = {
        "progress": "in_progress", "percent": "60", "measures": "完成政务服务事项梳理。", "problems": "",
        "next_steps": "", "delay_reason": "", "version": str(report.version),
        "fig-TOTAL_FORMS": "3", "fig-INITIAL_FORMS": "0", "fig-MIN_NUM_FORMS": "0", "fig-MAX_NUM_FORMS": "1000",
        "fig-0-label": "办件量", "fig-0-value": "7900", "fig-0-unit": "件",
        "fig-1-label": "", "fig-1-value": "", "fig-1-unit": "",
        "fig-2-label": "", "fig-2-value": "", "fig-2-unit": "",
    }
    data.update(extra)
    return data


def test_the_landing_page_of_a_liaison_is_my_todo_list(world, liaison_a_client):
    response = liaison_a_client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/reports/"
    html = response.content.decode()
    assert "我的待办" in html and "深化政务服务改革" in html and "规范行政执法行为" in html


def test_starting_saving_and_submitting_through_the_pages(world, liaison_a_client):
    response = liaison_a_client.post(f"/reports/obligations/{world.a1.pk}/start/")
    report = world.a1.report
    assert response["Location"] == f"/reports/{report.pk}/edit/"
    assert "进度" in liaison_a_client.get(response["Location"]).content.decode()
    response = liaison_a_client.post(f"/reports/{report.pk}/edit/", _post(report, action="save"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.measures == "完成政务服务事项梳理。" and report.percent == 60 and report.state == ReportState.DRAFT
    assert [(f.label, int(f.value)) for f in report.figures.all()] == [("办件量", 7900)]
    response = liaison_a_client.post(f"/reports/{report.pk}/edit/", _post(report, action="submit"))
    assert response["Location"] == f"/reports/{report.pk}/"
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_form_with_errors_keeps_every_typed_word_and_the_uploaded_file(world, draft, liaison_a_client):
    upload = SimpleUploadedFile("执法检查通报.pdf", PDF, content_type="application/pdf")
    data = _post(draft, progress="delayed", delay_reason="", measures="我认真写的一大段举措。",
                 problems="存在的问题原文", next_steps="下一步原文",
                 **{"fig-1-label": "出庭率", "fig-1-value": "百分百"})
    data["files"] = upload
    response = liaison_a_client.post(f"/reports/{draft.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    for typed in ("我认真写的一大段举措。", "存在的问题原文", "下一步原文", "出庭率", "百分百", "办件量"):
        assert typed in html
    assert "必须填写原因" in html and "数值请填写数字" in html
    assert "执法检查通报.pdf" in html  # kept: stored on the draft, listed with the form
    draft.refresh_from_db()
    assert draft.measures == "" and draft.attachments.get().original_name == "执法检查通报.pdf"


def test_a_file_whose_content_does_not_match_its_extension_is_refused_and_the_text_kept(world, draft, liaison_a_client):
    data = _post(draft, measures="这段文字不能丢")
    data["files"] = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 this is an exe", content_type="image/jpeg")
    response = liaison_a_client.post(f"/reports/{draft.pk}/edit/", data)
    html = response.content.decode()
    assert "内容与扩展名不符" in html and "这段文字不能丢" in html
    assert draft.attachments.count() == 0


def test_a_second_save_from_a_stale_form_is_refused_showing_the_other_changes(world, draft, liaison_a_client):
    stale_version = draft.version
    services.save_report(report=draft, data={"measures": "同事刚保存的版本"}, figures=None, user=world.liaison_a,
                         expected_version=stale_version)
    response = liaison_a_client.post(f"/reports/{draft.pk}/edit/", _post(draft, measures="我的版本",
                                                                         version=str(stale_version)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "已被" in html and "同事刚保存的版本" in html and "我的版本" in html
    draft.refresh_from_db()
    assert draft.measures == "同事刚保存的版本"
    # After seeing it, saving again is a deliberate choice and goes through.
    response = liaison_a_client.post(f"/reports/{draft.pk}/edit/", _post(draft, measures="合并后的版本"))
    draft.refresh_from_db()
    assert draft.measures == "合并后的版本"


def test_submit_without_measures_keeps_the_draft_and_says_why(world, draft, liaison_a_client):
    response = liaison_a_client.post(f"/reports/{draft.pk}/edit/", _post(draft, measures="", action="submit"),
                                     follow=True)
    assert "报送前请填写：工作举措与成效" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == ReportState.DRAFT


def test_figures_without_javascript_have_spare_rows_and_any_number_can_be_posted(world, draft, liaison_a_client):
    html = liaison_a_client.get(f"/reports/{draft.pk}/edit/").content.decode()
    assert 'name="fig-2-label"' in html and "report_form.js" in html and "<script>" not in html
    data = _post(draft, **{"fig-TOTAL_FORMS": "6"})
    for i in range(6):
        data.update({f"fig-{i}-label": f"指标{i}", f"fig-{i}-value": str(i), f"fig-{i}-unit": "项"})
    liaison_a_client.post(f"/reports/{draft.pk}/edit/", data)
    assert draft.figures.count() == 6


def test_deleting_an_attachment_of_an_editable_report(world, draft, liaison_a_client):
    data = _post(draft)
    data["files"] = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    liaison_a_client.post(f"/reports/{draft.pk}/edit/", data)
    attachment = draft.attachments.get()
    response = liaison_a_client.post(f"/reports/attachments/{attachment.pk}/delete/")
    assert response["Location"] == f"/reports/{draft.pk}/edit/"
    assert draft.attachments.count() == 0

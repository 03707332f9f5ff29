"""Approval, submissions up, publication, the public pages and unpublishing."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from govreport import services
from govreport.models import GovReport, Part, Publication, ReportState, Submission
from tests.govreport.conftest import DETAILS, YEAR, fill_all

pytestmark = pytest.mark.django_db

def _approve(client: Client, report: GovReport):
    return client.post(reverse("govreport:approve", args=[report.pk]),
                       {"approved_on": "2027-03-20", "meeting": "市政府第5次常务会议"})


def test_approval_refused_naming_the_empty_part_and_nothing_changes(gov_world, coordinator, coordinator_client):
    w = gov_world
    report = services.compile_report(government=w.government, year=YEAR, user=coordinator)
    fill_all(report, coordinator, skip=Part.PROBLEMS)
    report.refresh_from_db()
    services.update_report_details(report=report, data=DETAILS, expected_version=report.version, user=coordinator)
    response = _approve(coordinator_client, report)
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "不能审议通过：“存在的不足和原因”部分为空" in page
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.approved_on is None


def test_gap_markers_block_approval(gov_world, coordinator):
    w = gov_world
    report = services.compile_report(government=w.government, year=YEAR, user=coordinator)
    report.refresh_from_db()
    services.update_report_details(report=report, data=DETAILS, expected_version=report.version, user=coordinator)
    with pytest.raises(services.GovReportError) as refused:
        services.approve_report(report=report, approved_on=dt.date(2027, 3, 20), meeting="常务会议", user=coordinator)
    assert any("（三）规范执法检查" in m and "待补充" in m for m in refused.value.messages)


def test_what_still_blocks_approval_is_one_summary_line_with_the_list_behind_it(gov_world, coordinator,
                                                                               coordinator_client):
    w = gov_world
    report = services.compile_report(government=w.government, year=YEAR, user=coordinator)
    problems = services.completeness_problems(report)
    markers = [p for p in problems if p.kind == "marker"]
    assert len(markers) >= 3 and {p.label for p in problems if p.kind == "detail"} == {"文号", "成文日期"}
    page = coordinator_client.get(reverse("govreport:detail", args=[report.pk])).content.decode()
    start = page.index('<details class="gr-problems">')
    block = page[start:page.index("</details>", start)]  # not the header's account menu, also a <details>
    summary = block[block.index("<summary>"):block.index("</summary>")]
    assert f"提交审议前还需处理 {len(problems)} 项" in summary
    assert f"{len(markers)} 个部分仍有【待补充】或【半年报】标记" in summary and "尚未填写文号、成文日期" in summary
    # Every problem is behind the summary, each linking to its section where it has one; none above the text.
    assert block.count("<li>") == len(problems)
    for problem in markers:
        assert reverse("govreport:section", args=[problem.section_id]) in block
    assert page.count("仍有【待补充】或【半年报】标记，请核实并修改") == len(markers)
    # Beside the editor each section still shows its own warnings.
    section = report.sections.get(pk=markers[0].section_id)
    editor = coordinator_client.get(reverse("govreport:section", args=[section.pk])).content.decode()
    assert "本项没有可用的来源" in editor


def test_a_complete_report_has_no_problem_summary(ready, coordinator_client):
    page = coordinator_client.get(reverse("govreport:detail", args=[ready.report.pk])).content.decode()
    assert "gr-problems" not in page and "提交审议前还需处理" not in page


@pytest.mark.parametrize("value", ["测政呈2027年3号", "〔2027〕3号", "测政呈〔27〕3号", "测政呈〔2027〕0号",
                                   "测政呈〔2027〕三号"])
def test_unparsable_doc_number_is_refused_and_the_form_keeps_the_input(ready, coordinator_client, value):
    report = ready.report
    data = dict(DETAILS, doc_number=value, version=report.version, title="改过的标题")
    response = coordinator_client.post(reverse("govreport:details", args=[report.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "无法识别" in page or "不正确" in page
    assert "改过的标题" in page
    report.refresh_from_db()
    assert report.doc_number == "测政呈〔2027〕3号" and report.title != "改过的标题"


def test_doc_number_brackets_are_normalised():
    assert services.parse_doc_number("相政呈[2027]3号") == "相政呈〔2027〕3号"
    assert services.parse_doc_number(" 相政呈（2027）03号 ") == "相政呈〔2027〕3号"


def test_publish_then_public_pages_without_login_then_unpublish_keeps_the_record(
        ready, coordinator_client, coordinator, django_capture_on_commit_callbacks):
    report = ready.report
    assert _approve(coordinator_client, report).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.approved_on) == (ReportState.APPROVED, dt.date(2027, 3, 20))
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("govreport:publish", args=[report.pk]))
    report.refresh_from_db()
    publication = Publication.objects.get(report=report)
    assert report.state == ReportState.PUBLISHED and publication.docx  # built after the commit, stored for good
    assert publication.docx.name.startswith(f"published/{YEAR}/")
    assert LogEntry.objects.get_for_object(publication).filter(actor=coordinator).exists()

    anonymous = Client()
    listing = anonymous.get("/public/").content.decode()
    assert f"{YEAR}年度" in listing and report.title in listing
    page = anonymous.get(f"/public/{publication.pk}/").content.decode()
    assert f"<h1>{report.title}</h1>" in page
    assert "<h2>一、加强党对法治政府建设的领导</h2>" in page
    assert "<h3>（一）深入学习贯彻习近平法治思想</h3>" in page
    assert "中共测试市委员会、测试市人大常委会：" in page and "2027年3月25日" in page
    docx = anonymous.get(f"/public/{publication.pk}/report.docx")
    assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"

    coordinator_client.post(reverse("govreport:unpublish", args=[report.pk]))
    report.refresh_from_db()
    publication.refresh_from_db()
    assert report.state == ReportState.WITHDRAWN and publication.withdrawn_at is not None
    assert anonymous.get(f"/public/{publication.pk}/").status_code == 404
    assert report.title not in anonymous.get("/public/").content.decode()
    assert Publication.objects.filter(report=report).count() == 1


def test_publication_is_a_frozen_copy(ready, coordinator):
    report = ready.report
    services.approve_report(report=report, approved_on=dt.date(2027, 3, 20), meeting="常务会议", user=coordinator)
    publication = services.publish_report(report=report, user=coordinator)
    services.unpublish_report(report=report, user=coordinator)
    services.reopen_report(report=report, user=coordinator)
    preface = report.sections.get(part=Part.PREFACE)
    services.save_section(section=preface, text="公开后另写的导语。", expected_version=preface.version,
                          user=coordinator)
    publication.refresh_from_db()
    assert "公开后另写的导语。" not in str(publication.content)


def test_draft_cannot_be_published(ready, coordinator):
    with pytest.raises(services.GovReportError, match="须先审议通过"):
        services.publish_report(report=ready.report, user=coordinator)
    assert not Publication.objects.exists()


def test_public_pages_can_be_switched_off(ready, coordinator, settings):
    report = ready.report
    services.approve_report(report=report, approved_on=dt.date(2027, 3, 20), meeting="常务会议", user=coordinator)
    publication = services.publish_report(report=report, user=coordinator)
    settings.FAZHI_PUBLIC_REPORTS = False
    assert Client().get("/public/").status_code == 404
    assert Client().get(f"/public/{publication.pk}/").status_code == 404


def test_one_submission_per_recipient_with_its_own_doc_number(ready, coordinator, coordinator_client):
    report = ready.report
    services.approve_report(report=report, approved_on=dt.date(2027, 3, 20), meeting="常务会议", user=coordinator)
    url = reverse("govreport:submission_add", args=[report.pk])
    ok = coordinator_client.post(url, {"recipient": "测试省人民政府", "doc_number": "测政呈〔2027〕4号",
                                       "submitted_on": "2027-03-28"})
    assert ok.status_code == 302
    again = coordinator_client.post(url, {"recipient": "测试省人民政府", "doc_number": "测政呈〔2027〕5号",
                                          "submitted_on": "2027-03-28"})
    assert again.status_code == 400 and "已登记向“测试省人民政府”的报送" in again.content.decode()
    bad = coordinator_client.post(url, {"recipient": "中共测试市委员会", "doc_number": "四号",
                                        "submitted_on": "2027-03-28"})
    assert bad.status_code == 400 and "无法识别" in bad.content.decode()
    assert list(Submission.objects.values_list("recipient", "doc_number")) == [("测试省人民政府", "测政呈〔2027〕4号")]


def test_portal_export_and_address_are_recorded(ready, coordinator, coordinator_client):
    report = ready.report
    services.approve_report(report=report, approved_on=dt.date(2027, 3, 20), meeting="常务会议", user=coordinator)
    publication = services.publish_report(report=report, user=coordinator)
    html = coordinator_client.get(reverse("govreport:portal_html", args=[report.pk]))
    assert html["Content-Disposition"].startswith("attachment")
    assert "<h3>（一）深入学习贯彻习近平法治思想</h3>" in html.content.decode()
    coordinator_client.post(reverse("govreport:portal_record", args=[report.pk]),
                            {"portal_url": "https://www.example.gov.cn/fzzf/2027/1.html", "portal_on": "2027-03-30"})
    publication.refresh_from_db()
    assert (publication.portal_url, publication.portal_on) == (
        "https://www.example.gov.cn/fzzf/2027/1.html", dt.date(2027, 3, 30))


def test_deadline_shown_until_published(ready, coordinator, coordinator_client):
    report = ready.report
    url = reverse("govreport:detail", args=[report.pk])
    assert "须于 <strong>2027年4月1日</strong> 前报送并向社会公开" in coordinator_client.get(url).content.decode()
    services.approve_report(report=report, approved_on=dt.date(2027, 3, 20), meeting="常务会议", user=coordinator)
    services.publish_report(report=report, user=coordinator)
    assert "前报送并向社会公开" not in coordinator_client.get(url).content.decode()

"""The editor: sections beside their sources, refill one section after the diff, conflicts, versions, limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fazhi.limits import LONG_TEXT
from govreport import services
from govreport.models import Part, Section, SectionVersion, VersionAction
from reports.models import Period
from tests.govreport.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiled(gov_world):
    w = gov_world
    w.file(w.year_end, w.items[0], w.unit_a, "司法局组织专题学习。", figures=[("培训", 12, "场")])
    # past due, whatever day the tests run: the unit that filed nothing is 应报未报
    Period.objects.filter(pk=w.year_end.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    w.report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    w.item_section = w.report.sections.get(item=w.items[0])
    return w


def test_editor_shows_text_beside_sources_and_warnings(compiled, coordinator_client):
    page = coordinator_client.get(reverse("govreport:section", args=[compiled.item_section.pk])).content.decode()
    assert "（一）深入学习贯彻习近平法治思想" in page
    assert "司法局组织专题学习。" in page  # in the editor and in the source
    assert "已采用（已审核）" in page and "培训12场" in page
    assert "应报未报（1 个单位没有已报送的年终报告）：甲镇" in page


def test_save_is_a_version_with_who_and_diff(compiled, coordinator_client, coordinator):
    section = compiled.item_section
    url = reverse("govreport:section", args=[section.pk])
    response = coordinator_client.post(url, {"text": "司法局组织专题学习。\n新增一段。", "version": section.version})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.text == "司法局组织专题学习。\n新增一段。" and section.version == 2
    latest = section.versions.first()
    assert (latest.number, latest.action, latest.saved_by) == (2, VersionAction.EDITED, coordinator)
    page = coordinator_client.get(reverse("govreport:section_versions", args=[section.pk])).content.decode()
    assert "<ins class=\"gr-line\"><span class=\"sr-only\">新增：</span>新增一段。</ins>" in page
    assert "v1 · 汇编生成" in page and "v2 · 人工修改" in page


def test_stale_save_is_refused_with_both_texts_and_nothing_overwritten(compiled, coordinator_client, coordinator):
    section = compiled.item_section
    opened_at = section.version
    services.save_section(section=section, text="另一位同事先保存的文字。", expected_version=opened_at,
                          user=coordinator)
    response = coordinator_client.post(reverse("govreport:section", args=[section.pk]),
                                       {"text": "我在旧版本上写的文字。", "version": opened_at})
    assert response.status_code == 409
    page = response.content.decode()
    assert "另一位同事先保存的文字。" in page and "我在旧版本上写的文字。" in page
    section.refresh_from_db()
    assert section.text == "另一位同事先保存的文字。"
    assert section.versions.count() == 2


def test_refill_shows_the_difference_and_replaces_only_that_section(compiled, coordinator_client):
    w = compiled
    section = w.item_section
    other = w.report.sections.get(part=Part.PREFACE)
    other_text = other.text
    services.save_section(section=section, text="手工改过的文字。", expected_version=section.version,
                          user=w.coordinator)
    section.refresh_from_db()
    preview = coordinator_client.get(reverse("govreport:section_refill", args=[section.pk])).content.decode()
    assert "<del class=\"gr-line\"><span class=\"sr-only\">删除：</span>手工改过的文字。</del>" in preview
    assert "司法局组织专题学习。" in preview
    section.refresh_from_db()
    assert section.text == "手工改过的文字。"  # looking changes nothing
    response = coordinator_client.post(reverse("govreport:section_refill", args=[section.pk]),
                                       {"version": section.version})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.text.startswith("司法局组织专题学习。")
    assert section.versions.first().action == VersionAction.REFILLED
    other.refresh_from_db()
    assert other.text == other_text and other.version == 1


def test_refill_after_someone_else_saved_is_refused(compiled, coordinator_client):
    section = compiled.item_section
    seen = section.version
    services.save_section(section=section, text="别人刚改的。", expected_version=seen, user=compiled.coordinator)
    coordinator_client.post(reverse("govreport:section_refill", args=[section.pk]), {"version": seen})
    section.refresh_from_db()
    assert section.text == "别人刚改的。"


def test_over_long_section_is_refused_with_the_limit_and_kept_in_the_form(compiled, coordinator_client):
    section = compiled.item_section
    text = "长" * (LONG_TEXT + 1)
    response = coordinator_client.post(reverse("govreport:section", args=[section.pk]),
                                       {"text": text, "version": section.version})
    assert response.status_code == 400
    page = response.content.decode()
    assert "20000" in page.replace(",", "") and text in page
    section.refresh_from_db()
    assert section.version == 1
    with pytest.raises(ValidationError, match="20,000"):
        services.save_section(section=section, text=text, expected_version=1, user=compiled.coordinator)


def test_editing_is_closed_once_approved(compiled):
    report = compiled.report
    section = compiled.item_section
    Section.objects.filter(report=report).exclude(part=Part.MEASURES).update(text="内容。", has_gap=False)
    Section.objects.filter(report=report, part=Part.MEASURES).update(text="内容。", has_gap=False)
    services.update_report_details(report=report, data={
        "title": report.title, "doc_number": "测政呈〔2027〕3号", "signer": "", "recipients": "中共测试市委员会",
        "signature": "测试市人民政府", "written_on": "2027-03-20", "cc": "", "printer": "", "printed_on": None,
    }, expected_version=report.version, user=compiled.coordinator)
    import datetime as dt

    services.approve_report(report=report, approved_on=dt.date(2027, 3, 18), meeting="第1次常务会议",
                            user=compiled.coordinator)
    with pytest.raises(services.GovReportError, match="不能再修改"):
        services.save_section(section=section, text="再改。", expected_version=1, user=compiled.coordinator)
    assert SectionVersion.objects.filter(section=section).count() == 1


def test_including_a_report_of_another_year_or_a_draft_is_refused(compiled):
    w = compiled
    draft = w.file(w.year_end, w.items[2], w.police, "草稿。", state="draft")
    for pk in (draft.pk, 10**12):
        with pytest.raises(services.GovReportError, match="没有找到该单位报告"):
            services.set_source_included(report=w.report, source_report_id=pk, include=True, user=w.coordinator)
    w.report.refresh_from_db()
    assert w.report.included_reports == []

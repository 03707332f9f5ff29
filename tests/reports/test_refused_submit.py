"""保存并报送 on an incomplete form: the draft is saved and the redrawn form holds the NEW version, so the next
保存草稿 goes through; a second open form (another tab, a phone) is still caught, and a conflict never drops
what was typed: it is shown beside the newer text."""

from __future__ import annotations

from reports import services
from reports.models import Report
from tests.hostile_support import page_fields


def _form(client, report):
    return {k: v for k, v in page_fields(client, f"/reports/{report.pk}/edit/").items() if k != "files"}


def test_a_refused_submit_keeps_the_save_and_the_next_save_is_not_a_conflict(world, liaison_a_client):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    url = f"/reports/{report.pk}/edit/"
    data = {**_form(liaison_a_client, report), "progress": "in_progress", "percent": "30", "measures": "",
            "problems": "人手不足", "action": "submit"}
    response = liaison_a_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "报送前请填写：工作举措与成效" in page
    report.refresh_from_db()
    assert (report.version, report.state, report.problems) == (2, "draft", "人手不足")
    assert 'name="version" value="2"' in page
    # The user types the missing text into the redrawn form and saves it.
    data.update(version="2", measures="已完成专项检查", action="save")
    response = liaison_a_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert (report.version, report.measures) == (3, "已完成专项检查")


def test_a_second_tab_is_still_caught_and_its_text_is_kept_beside_the_newer_one(world, liaison_a_client):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    url = f"/reports/{report.pk}/edit/"
    tab_a, tab_b = _form(liaison_a_client, report), _form(liaison_a_client, report)
    tab_a.update(progress="in_progress", percent="40", measures="甲页签写的内容", action="submit", problems="")
    response = liaison_a_client.post(url, {**tab_a, "measures": ""})  # refused submit in tab A: saved as v2
    assert Report.objects.get(pk=report.pk).version == 2
    tab_b.update(progress="in_progress", percent="50", measures="乙页签写的内容", action="save")
    response = liaison_a_client.post(url, tab_b)
    assert response.status_code == 200
    page = response.content.decode()
    assert "此报告已被" in page and "尚未保存" in page
    assert "乙页签写的内容" in page  # typed text kept in the form
    report.refresh_from_db()
    assert report.version == 2 and report.measures == ""
    assert 'name="version" value="2"' in page  # saving again is a deliberate choice after seeing the other text
    response = liaison_a_client.post(url, {**tab_b, "version": "2"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.measures == "乙页签写的内容"


def test_a_returned_report_cannot_be_returned_again(db, coordinator, liaison_a, unit_a):
    # returned → returned is a save in the move table; a second *return* must still be refused.
    import pytest

    from reports import services
    from reports.models import ReportEvent
    from tests.factories import ReportFactory

    report = ReportFactory(state="submitted", obligation__unit=unit_a)
    services.return_report(report=report, user=coordinator, comment="请补充材料。")
    with pytest.raises(services.ReportError, match="只有已报送的报告可以退回"):
        services.return_report(report=report, user=coordinator, comment="再退一次。")
    assert ReportEvent.objects.filter(report=report, action="returned").count() == 1

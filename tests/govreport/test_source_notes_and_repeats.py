"""What the sources say about units that filed nothing (late only once the period is due), and sentences
several units wrote word for word, printed once (the new-user walk: "进一步完善工作机制…" ×40)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from govreport import services
from govreport.models import Part
from reports.models import Period
from tests.govreport.conftest import YEAR

pytestmark = pytest.mark.django_db

BOILERPLATE = "进一步完善工作机制，加强督促检查，确保年底前全面完成任务。"


def _set_due(w, days_from_today: int) -> None:
    Period.objects.filter(pk=w.year_end.pk).update(due_on=timezone.localdate() + dt.timedelta(days=days_from_today))


def _section_page(w, client) -> str:
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    section = report.sections.get(item=w.items[0])
    return client.get(reverse("govreport:section", args=[section.pk])).content.decode()


def test_units_that_filed_nothing_before_the_due_date_are_not_yet_due_in_a_neutral_note(gov_world,
                                                                                         coordinator_client):
    w = gov_world
    w.file(w.year_end, w.items[0], w.unit_a, "司法局组织专题学习。")
    _set_due(w, 10)
    page = _section_page(w, coordinator_client)
    due = timezone.localdate() + dt.timedelta(days=10)
    assert f"尚未到期（1 个单位未报，{due:%Y-%m-%d} 截止）：甲镇" in page
    assert "应报未报" not in page
    assert 'class="plain-list muted source-notes"' in page  # neutral, not the yellow warnings list


def test_on_the_due_day_it_is_still_not_due_and_the_day_after_it_is_owed(gov_world, coordinator_client):
    w = gov_world
    w.file(w.year_end, w.items[0], w.unit_a, "司法局组织专题学习。")
    _set_due(w, 0)
    assert "尚未到期（1 个单位未报" in _section_page(w, coordinator_client)
    _set_due(w, -1)
    page = _section_page(w, coordinator_client)
    assert "应报未报（1 个单位没有已报送的年终报告）：甲镇" in page and "尚未到期" not in page


def test_without_a_year_end_period_the_note_says_it_is_not_open(gov_world, coordinator_client):
    w = gov_world
    w.file(w.half, w.items[0], w.unit_a, "上半年组织专题学习。")
    Period.objects.filter(pk=w.year_end.pk).delete()
    page = _section_page(w, coordinator_client)
    assert "年终报告期次尚未开启（" in page and "应报未报" not in page


def test_a_sentence_two_of_three_units_wrote_is_printed_once_with_who_else_said_it(gov_world, coordinator_client):
    w = gov_world
    w.file(w.year_end, w.items[0], w.unit_a, "司法局的做法。", problems="培训覆盖面不够。",
           next_steps=f"{BOILERPLATE}\n司法局推进执法规范化。")
    w.file(w.year_end, w.items[1], w.unit_b, "甲镇的做法。", next_steps=f"开展示范村创建。{BOILERPLATE}")
    w.file(w.year_end, w.items[2], w.police, "公安局的做法。", next_steps="推进执法办案管理中心建设。")
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    next_year = report.sections.get(part=Part.NEXT_YEAR).text
    assert next_year.count("进一步完善工作机制") == 1
    lines = next_year.splitlines()
    assert lines[0] == ("司法局：进一步完善工作机制，加强督促检查，确保年底前全面完成任务（另有 1 个单位同）。"
                        "司法局推进执法规范化。")
    assert "甲镇：开展示范村创建。" in lines  # its own sentence stays, the repeated one goes
    assert any(line.endswith("推进执法办案管理中心建设。") for line in lines)
    assert len(lines) == 3
    # the public page of the published report shows the same text: checked through the editor page here
    section = report.sections.get(part=Part.NEXT_YEAR)
    page = coordinator_client.get(reverse("govreport:section", args=[section.pk])).content.decode()
    assert page.count("进一步完善工作机制") == 1 or "（另有 1 个单位同）" in page


def test_an_item_subsection_prints_a_repeated_sentence_once_without_naming_anyone(gov_world):
    w = gov_world
    item = w.items[0]
    w.file(w.year_end, item, w.unit_a, f"司法局组织专题学习。{BOILERPLATE}")
    w.file(w.year_end, item, w.unit_b, f"甲镇建成示范村3个。{BOILERPLATE}")
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    text = report.sections.get(item=item).text
    assert text.count(BOILERPLATE) == 1 and "另有" not in text
    assert "甲镇建成示范村3个。" in text


def test_when_every_sentence_of_a_unit_is_a_repeat_its_paragraph_is_left_out(gov_world):
    w = gov_world
    w.file(w.year_end, w.items[0], w.unit_a, "做法。", next_steps=BOILERPLATE)
    w.file(w.year_end, w.items[1], w.unit_b, "做法。", next_steps=BOILERPLATE)
    w.file(w.year_end, w.items[2], w.police, "做法。", next_steps=BOILERPLATE.replace("。", "；"))
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    text = report.sections.get(part=Part.NEXT_YEAR).text
    assert text == "司法局：进一步完善工作机制，加强督促检查，确保年底前全面完成任务（另有 2 个单位同）。"

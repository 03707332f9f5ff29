"""Editing in the browser: bad input gets a Chinese message and keeps what was typed; good input is saved."""

import datetime as dt

import pytest
from django.urls import reverse

from reports.models import Period
from tasks import services
from tasks.models import Plan, WorkItem
from tests.factories import PlanFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _item_post(chapter, **over):
    data = {"chapter": str(chapter.pk), "seq": "", "number": "", "title": "完善行政裁量权基准",
            "body": "动态调整裁量基准。", "deadline": "", "lead": [], "responsible": [], "other": []}
    return {**data, **over}


def test_an_item_without_units_is_refused_and_the_form_keeps_the_text(coordinator_client, small_plan):
    chapter = small_plan.chapters.first()
    response = coordinator_client.post(reverse("tasks:item_create", args=[small_plan.pk]), _item_post(chapter))
    html = response.content.decode()
    assert response.status_code == 200
    assert "请至少选择一个牵头单位或责任单位" in html
    assert "完善行政裁量权基准" in html and "动态调整裁量基准。" in html
    assert not WorkItem.objects.filter(title="完善行政裁量权基准").exists()


def test_a_taken_item_number_is_refused(coordinator_client, small_plan, unit_a):
    chapter = small_plan.chapters.first()
    response = coordinator_client.post(reverse("tasks:item_create", args=[small_plan.pk]),
                                       _item_post(chapter, seq="2", lead=[f"u:{unit_a.pk}"]))
    assert "已有序号为 2 的工作任务" in response.content.decode()
    assert small_plan.items.count() == 3


def test_units_are_saved_in_the_order_picked_and_groups_stay_groups(coordinator_client, small_plan, unit_a, unit_b):
    chapter = small_plan.chapters.first()
    group = small_plan.items.get(seq=1).responsible_assignments[0].group
    response = coordinator_client.post(
        reverse("tasks:item_create", args=[small_plan.pk]),
        _item_post(chapter, lead=[f"u:{unit_b.pk}", f"u:{unit_a.pk}"], responsible=[f"g:{group.pk}"],
                   deadline="2026-09-30"),
    )
    item = WorkItem.objects.with_assignments().get(title="完善行政裁量权基准")
    assert response["Location"] == item.get_absolute_url()
    assert [a.unit for a in item.lead_assignments] == [unit_b, unit_a]
    assert item.responsible_assignments[0].group == group
    assert (item.seq, item.number, item.deadline) == (4, "(四)", dt.date(2026, 9, 30))
    page = coordinator_client.get(item.get_absolute_url()).content.decode()
    assert 'class="tag group"' in page and "各区镇" in page


def test_editing_an_item_keeps_the_names_the_document_wrote(coordinator_client, unit_a):
    plan = PlanFactory()
    office = UnitFactory(name="市政府办公室")
    item = services.create_item(plan=plan, title="推进政务公开", lead=[(office, "市政府办")], responsible=[unit_a])
    response = coordinator_client.post(reverse("tasks:item_edit", args=[item.pk]), {
        "chapter": "", "seq": "1", "number": "(一)", "title": "全面推进政务公开", "body": "", "deadline": "",
        "lead": [f"u:{office.pk}"], "responsible": [f"u:{unit_a.pk}"], "other": [],
    })
    assert response.status_code == 302
    item = WorkItem.objects.with_assignments().get(pk=item.pk)
    assert item.title == "全面推进政务公开"
    assert item.lead_assignments[0].label == "市政府办"
    assert item.deadline == plan.default_deadline


def test_plan_form_errors_are_in_chinese_and_keep_input(coordinator_client):
    response = coordinator_client.post(reverse("tasks:plan_create"), {
        "title": "2030年工作要点", "year": "1999", "issuer": "测试市人民政府办公室", "doc_number": "测政办〔2030〕1号",
        "issued_on": "不是日期", "status": "draft", "source_text": "原文第一行",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "输入一个有效的日期" in html
    assert "2030年工作要点" in html and "原文第一行" in html
    assert not Plan.objects.exists()


def test_deleting_a_plan_with_obligations_is_refused_with_a_message(coordinator_client, small_plan):
    Period.objects.create(plan=small_plan, name="半年报", due_on=dt.date(2026, 7, 10))
    services.sync_duties(items=small_plan.items.all())
    response = coordinator_client.post(reverse("tasks:plan_delete", args=[small_plan.pk]), follow=True)
    assert "不能删除" in response.content.decode()
    assert Plan.objects.filter(pk=small_plan.pk).exists()


def test_a_chapter_with_items_is_not_deleted(coordinator_client, small_plan):
    chapter = small_plan.chapters.first()
    response = coordinator_client.post(reverse("tasks:chapter_delete", args=[chapter.pk]), follow=True)
    assert "请先删除这些任务" in response.content.decode()
    assert small_plan.chapters.filter(pk=chapter.pk).exists()


def test_a_duplicate_alias_is_refused_with_a_message(coordinator_client, unit_a, unit_b):
    services.add_alias(name="司法局", unit=unit_b)
    response = coordinator_client.post(reverse("tasks:unit_alias_add", args=[unit_a.pk]), {"name": "司法局"},
                                       follow=True)
    assert "已被用作别名" in response.content.decode()
    assert not unit_a.aliases.exists()


def test_a_unit_name_taken_by_a_group_is_refused_and_kept(coordinator_client, small_plan):
    response = coordinator_client.post(reverse("tasks:unit_create"), {
        "name": "各区镇", "short_name": "", "kind": "town", "order": "0", "is_active": "on"})
    html = response.content.decode()
    assert "已是一个单位集合的名称" in html
    assert 'value="各区镇"' in html


def test_registry_lists_follow_the_display_order(leader_client):
    UnitFactory(name="乙单位", order=2)
    UnitFactory(name="甲单位", order=1)
    UnitFactory(name="丙单位", order=3)
    html = leader_client.get(reverse("tasks:unit_list")).content.decode()
    assert html.index("甲单位") < html.index("乙单位") < html.index("丙单位")

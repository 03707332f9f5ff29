"""The registry's write operations: what they store, what they refuse, and how duties follow."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from reports.models import Obligation, Period, Report
from tasks import services
from tasks.models import AssignmentRole, Duty, PlanStatus, Unit, WorkItem
from tests.factories import PlanFactory, UnitFactory, UnitGroupFactory

pytestmark = pytest.mark.django_db


def _duties(item: WorkItem) -> dict[str, str]:
    return {d.unit.name: d.role for d in Duty.objects.filter(item=item).select_related("unit")}


def test_create_item_numbers_it_dates_it_and_expands_its_groups():
    plan = PlanFactory(year=2026)
    a, b, c = UnitFactory(name="甲局"), UnitFactory(name="乙镇"), UnitFactory(name="丙镇")
    towns = UnitGroupFactory(name="各区镇", members=[b, c])
    chapter = services.create_chapter(plan=plan, title="第一章")
    item = services.create_item(plan=plan, chapter=chapter, title="任务", lead=[a], responsible=[towns])
    assert (chapter.seq, chapter.number) == (1, "一")
    assert (item.seq, item.number, item.deadline) == (1, "(一)", dt.date(2026, 12, 31))
    assert _duties(item) == {"甲局": "lead", "乙镇": "responsible", "丙镇": "responsible"}
    second = services.create_item(plan=plan, title="任务二", lead=[a], responsible=[])
    assert (second.seq, second.number) == (2, "(二)")


def test_set_item_assignments_keeps_order_and_the_name_as_written():
    plan = PlanFactory()
    office, justice = UnitFactory(name="市政府办公室"), UnitFactory(name="市司法局")
    group = UnitGroupFactory(name="市政府各有关部门", members=[justice])
    item = services.create_item(plan=plan, title="任务", lead=[(justice, ""), (office, "市政府办")],
                                responsible=[(group, "市各部门")])
    leads = item.lead_assignments
    assert [a.label for a in leads] == ["市司法局", "市政府办"]
    assert [a.order for a in leads] == sorted(a.order for a in leads)
    assert item.responsible_assignments[0].is_group
    assert item.responsible_assignments[0].label == "市各部门"

    # Edited in the browser (no names given): what the document wrote survives.
    services.set_item_assignments(item=item, lead=[office, justice], responsible=[group])
    item = WorkItem.objects.with_assignments().get(pk=item.pk)
    assert [a.label for a in item.lead_assignments] == ["市政府办", "市司法局"]
    assert item.responsible_assignments[0].label == "市各部门"


def test_a_unit_named_twice_on_an_item_owes_in_its_strongest_role():
    plan = PlanFactory()
    justice = UnitFactory(name="市司法局")
    group = UnitGroupFactory(name="市政府各有关部门", members=[justice, UnitFactory(name="市公安局")])
    item = services.create_item(plan=plan, title="任务", lead=[justice], responsible=[group])
    assert _duties(item) == {"市司法局": "lead", "市公安局": "responsible"}


def test_changing_group_members_updates_live_items_but_not_archived_ones():
    a, b, new = UnitFactory(name="甲镇"), UnitFactory(name="乙镇"), UnitFactory(name="新镇")
    group = UnitGroupFactory(name="各区镇", members=[a, b])
    live_plan = PlanFactory(status=PlanStatus.ISSUED)
    old_plan = PlanFactory(status=PlanStatus.ISSUED)
    live = services.create_item(plan=live_plan, title="今年", lead=[], responsible=[group])
    old = services.create_item(plan=old_plan, title="往年", lead=[], responsible=[group])
    old_plan.status = PlanStatus.ARCHIVED
    old_plan.save()

    services.set_group_members(group=group, units=[a, new])

    assert set(_duties(live)) == {"甲镇", "新镇"}
    assert set(_duties(old)) == {"甲镇", "乙镇"}


def test_membership_change_reaches_open_period_obligations():
    a, b = UnitFactory(name="甲镇"), UnitFactory(name="乙镇")
    group = UnitGroupFactory(name="各区镇", members=[a])
    plan = PlanFactory()
    item = services.create_item(plan=plan, title="任务", lead=[], responsible=[group])
    period = Period.objects.create(plan=plan, name="半年报", due_on=dt.date(2026, 7, 10))
    services.sync_duties(items=[item])
    assert set(Obligation.objects.filter(period=period).values_list("unit__name", flat=True)) == {"甲镇"}
    services.set_group_members(group=group, units=[a, b])
    assert set(Obligation.objects.filter(period=period).values_list("unit__name", flat=True)) == {"甲镇", "乙镇"}


def test_deactivating_a_unit_removes_it_from_group_duties_but_not_from_direct_ones():
    a, b = UnitFactory(name="甲镇"), UnitFactory(name="乙镇")
    group = UnitGroupFactory(name="各区镇", members=[a, b])
    plan = PlanFactory()
    via_group = services.create_item(plan=plan, title="集合", lead=[], responsible=[group])
    direct = services.create_item(plan=plan, title="直接", lead=[b], responsible=[])
    services.update_unit(unit=b, name=b.name, short_name="", kind=b.kind, order=b.order, is_active=False)
    assert set(_duties(via_group)) == {"甲镇"}
    assert set(_duties(direct)) == {"乙镇"}


def test_a_name_means_one_thing_only():
    unit = UnitFactory(name="市政府办公室")
    group = UnitGroupFactory(name="各区镇")
    services.add_alias(name="市政府办", unit=unit)
    for name in ["市政府办公室", "各区镇", "市政府办"]:
        with pytest.raises(ValidationError):
            services.create_unit(name=name)
        with pytest.raises(ValidationError):
            services.add_alias(name=name, group=group)
    with pytest.raises(ValidationError):
        services.create_group(name="市政府办")
    assert Unit.objects.count() == 1


def test_deleting_a_plan_takes_its_chapters_and_items():
    plan = PlanFactory()
    chapter = services.create_chapter(plan=plan, title="章")
    services.create_item(plan=plan, chapter=chapter, title="任务", lead=[UnitFactory()], responsible=[])
    services.delete_plan(plan=plan)
    assert not WorkItem.objects.exists()


def test_deleting_a_plan_or_item_with_obligations_or_reports_is_refused():
    plan = PlanFactory()
    item = services.create_item(plan=plan, title="任务", lead=[UnitFactory()], responsible=[])
    period = Period.objects.create(plan=plan, name="半年报", due_on=dt.date(2026, 7, 10))
    services.sync_duties(items=[item])
    with pytest.raises(ValidationError, match="报送任务"):
        services.delete_plan(plan=plan)
    with pytest.raises(ValidationError, match="报送任务"):
        services.delete_item(item=item)
    Report.objects.create(obligation=Obligation.objects.get(period=period))
    with pytest.raises(ValidationError, match="进展报告"):
        services.delete_item(item=item)
    assert WorkItem.objects.filter(pk=item.pk).exists()


def test_a_chapter_with_items_cannot_be_deleted():
    plan = PlanFactory()
    chapter = services.create_chapter(plan=plan, title="章")
    services.create_item(plan=plan, chapter=chapter, title="任务", lead=[UnitFactory()], responsible=[])
    with pytest.raises(ValidationError, match="工作任务"):
        services.delete_chapter(chapter=chapter)
    empty = services.create_chapter(plan=plan, title="空章")
    services.delete_chapter(chapter=empty)
    assert list(plan.chapters.values_list("title", flat=True)) == ["章"]


def test_an_item_cannot_use_another_plans_chapter_or_a_taken_number():
    plan, other = PlanFactory(), PlanFactory()
    foreign = services.create_chapter(plan=other, title="别的章")
    with pytest.raises(ValidationError):
        services.create_item(plan=plan, chapter=foreign, title="任务")
    services.create_item(plan=plan, seq=3, title="三")
    with pytest.raises(ValidationError):
        services.create_item(plan=plan, seq=3, title="又一个三")


def test_reopening_an_archived_plan_catches_up_on_group_changes():
    a, b = UnitFactory(name="甲镇"), UnitFactory(name="乙镇")
    group = UnitGroupFactory(name="各区镇", members=[a])
    plan = PlanFactory(status=PlanStatus.ARCHIVED)
    item = services.create_item(plan=plan, title="任务", lead=[], responsible=[group])
    services.set_group_members(group=group, units=[a, b])
    assert set(_duties(item)) == {"甲镇"}
    services.update_plan(plan=plan, title=plan.title, year=plan.year, issuer=plan.issuer,
                         doc_number=plan.doc_number, issued_on=plan.issued_on, status=PlanStatus.ISSUED)
    assert set(_duties(item)) == {"甲镇", "乙镇"}
    assert Duty.objects.get(item=item, unit=b).role == AssignmentRole.RESPONSIBLE

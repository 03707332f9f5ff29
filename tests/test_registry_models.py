"""Invariants of the registry hold in the database itself, not only in forms."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from tasks.models import Alias, Assignment, AssignmentRole, Chapter, Duty, Plan, Unit, WorkItem
from tests.factories import (
    ChapterFactory,
    PlanFactory,
    UnitFactory,
    UnitGroupFactory,
    WorkItemFactory,
)

pytestmark = pytest.mark.django_db


def _violates(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_unit_names_are_unique_and_not_blank():
    Unit.objects.create(name="市司法局")
    _violates(lambda: Unit.objects.create(name="市司法局"))
    _violates(lambda: Unit.objects.create(name=""))


def test_an_alias_points_to_exactly_one_unit_or_group():
    unit = UnitFactory()
    group = UnitGroupFactory()
    _violates(lambda: Alias.objects.create(name="两头", unit=unit, group=group))
    _violates(lambda: Alias.objects.create(name="无主"))
    Alias.objects.create(name="市政府办", unit=unit)
    _violates(lambda: Alias.objects.create(name="市政府办", group=group))


def test_chapter_and_item_numbers_are_unique_within_a_plan_but_not_across_plans():
    plan, other = PlanFactory(), PlanFactory()
    ChapterFactory(plan=plan, seq=1)
    _violates(lambda: Chapter.objects.create(plan=plan, seq=1, number="一", title="重复"))
    ChapterFactory(plan=other, seq=1)
    item = WorkItemFactory(plan=plan, seq=4)
    _violates(lambda: WorkItem.objects.create(plan=plan, seq=4, title="重复", deadline=item.deadline))
    WorkItemFactory(plan=other, seq=4)
    assert WorkItem.objects.filter(seq=4).count() == 2


def test_item_and_chapter_numbers_start_at_one():
    plan = PlanFactory()
    _violates(lambda: Chapter.objects.create(plan=plan, seq=0, number="零", title="零"))
    _violates(lambda: WorkItem.objects.create(plan=plan, seq=0, title="零", deadline=plan.default_deadline))


def test_plan_doc_number_is_unique_per_year_and_year_is_plausible():
    PlanFactory(year=2026, doc_number="测政办〔2026〕1号")
    _violates(lambda: PlanFactory(year=2026, doc_number="测政办〔2026〕1号"))
    # Blank document numbers (drafts) do not collide.
    PlanFactory(year=2026, doc_number="")
    PlanFactory(year=2026, doc_number="")
    _violates(lambda: PlanFactory(year=1999))
    assert Plan.objects.filter(year=2026).count() == 3


def test_an_assignment_names_one_unit_or_one_group_once_per_role():
    item = WorkItemFactory()
    unit, group = UnitFactory(), UnitGroupFactory()
    _violates(lambda: Assignment.objects.create(item=item, role=AssignmentRole.LEAD, unit=unit, group=group))
    _violates(lambda: Assignment.objects.create(item=item, role=AssignmentRole.LEAD))
    Assignment.objects.create(item=item, role=AssignmentRole.LEAD, unit=unit)
    _violates(lambda: Assignment.objects.create(item=item, role=AssignmentRole.LEAD, unit=unit))
    Assignment.objects.create(item=item, role=AssignmentRole.RESPONSIBLE, unit=unit)  # another role is fine
    Assignment.objects.create(item=item, role=AssignmentRole.RESPONSIBLE, group=group)
    _violates(lambda: Assignment.objects.create(item=item, role=AssignmentRole.RESPONSIBLE, group=group))


def test_a_unit_owes_one_duty_per_item():
    item, unit = WorkItemFactory(), UnitFactory()
    Duty.objects.create(item=item, unit=unit, role=AssignmentRole.LEAD)
    _violates(lambda: Duty.objects.create(item=item, unit=unit, role=AssignmentRole.RESPONSIBLE))


def test_a_liaison_must_belong_to_a_unit():
    _violates(lambda: User.objects.create(username="nounit", role=Role.LIAISON))
    User.objects.create(username="boss", role=Role.LEADER)


def test_a_unit_named_in_assignments_cannot_be_deleted():
    from django.db.models import ProtectedError

    item, unit = WorkItemFactory(), UnitFactory()
    Assignment.objects.create(item=item, role=AssignmentRole.LEAD, unit=unit)
    with pytest.raises(ProtectedError):
        unit.delete()

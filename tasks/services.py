"""Write operations on the work-point registry. Views, admin actions, importers and commands call these."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from tasks.models import (
    ROLE_PRECEDENCE,
    Assignment,
    Duty,
    PlanStatus,
    Unit,
    UnitGroup,
    WorkItem,
)


def expected_duties(item: WorkItem) -> dict[int, str]:
    """The units that owe work on ``item`` and the strongest role each is named in.

    A group expands to its active members at the time of the call; a unit named directly
    counts even if inactive, because someone chose it explicitly.
    """
    duties: dict[int, str] = {}

    def offer(unit_id: int, role: str) -> None:
        current = duties.get(unit_id)
        if current is None or ROLE_PRECEDENCE[role] < ROLE_PRECEDENCE[current]:
            duties[unit_id] = role

    for assignment in Assignment.objects.filter(item=item).select_related("group"):
        if assignment.unit_id:
            offer(assignment.unit_id, assignment.role)
        else:
            for unit_id in assignment.group.members.filter(is_active=True).values_list("id", flat=True):
                offer(unit_id, assignment.role)
    return duties


@transaction.atomic
def sync_duties(*, items: Iterable[WorkItem]) -> None:
    """Rebuild the expanded duties of ``items`` from their assignments, then the open periods' obligations."""
    items = list(items)
    for item in items:
        wanted = expected_duties(item)
        existing = {d.unit_id: d for d in Duty.objects.filter(item=item)}
        Duty.objects.filter(item=item).exclude(unit_id__in=wanted).delete()
        to_create = [Duty(item=item, unit_id=u, role=r) for u, r in wanted.items() if u not in existing]
        to_update = []
        for unit_id, role in wanted.items():
            duty = existing.get(unit_id)
            if duty is not None and duty.role != role:
                duty.role = role
                to_update.append(duty)
        Duty.objects.bulk_create(to_create)
        Duty.objects.bulk_update(to_update, ["role"])
    if items:
        from reports.services import sync_obligations  # reports builds on tasks, not the other way round

        sync_obligations(items=items)


@transaction.atomic
def set_group_members(*, group: UnitGroup, units: Iterable[Unit]) -> None:
    """Replace a group's members and update the duties of every item that names it and is not archived."""
    group.members.set(list(units))
    affected = WorkItem.objects.filter(assignments__group=group).exclude(
        plan__status=PlanStatus.ARCHIVED
    ).distinct()
    sync_duties(items=affected)

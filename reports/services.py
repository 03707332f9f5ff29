"""Write operations on reporting. Every state change of a report goes through this module."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from reports.models import Obligation, Period, PeriodScope, PeriodStatus
from tasks.models import AssignmentRole, Duty, WorkItem


def _duties_in_scope(period: Period, items: Iterable[WorkItem] | None = None):
    duties = Duty.objects.filter(item__plan_id=period.plan_id)
    if items is not None:
        duties = duties.filter(item__in=list(items))
    if period.scope == PeriodScope.LEAD_ONLY:
        duties = duties.filter(role=AssignmentRole.LEAD)
    else:
        # 配合单位 support the work but do not owe a report of their own.
        duties = duties.exclude(role=AssignmentRole.OTHER)
    return duties


@transaction.atomic
def sync_obligations(*, items: Iterable[WorkItem]) -> None:
    """Bring the obligations of every open period in line with the items' current duties.

    New duties get obligations; an obligation whose duty is gone is removed only while no
    report was started on it, so nothing a unit wrote is ever deleted by a membership change.
    """
    items = list(items)
    plan_ids = {item.plan_id for item in items}
    for period in Period.objects.filter(plan_id__in=plan_ids, status=PeriodStatus.OPEN):
        period_items = [item for item in items if item.plan_id == period.plan_id]
        wanted = {(d.item_id, d.unit_id): d.role for d in _duties_in_scope(period, period_items)}
        existing = {
            (o.item_id, o.unit_id): o
            for o in Obligation.objects.filter(period=period, item__in=period_items)
        }
        Obligation.objects.bulk_create(
            [
                Obligation(period=period, item_id=item_id, unit_id=unit_id, role=role)
                for (item_id, unit_id), role in wanted.items()
                if (item_id, unit_id) not in existing
            ]
        )
        stale = [o.pk for key, o in existing.items() if key not in wanted]
        Obligation.objects.filter(pk__in=stale, report__isnull=True).delete()
        changed = [o for key, o in existing.items() if key in wanted and o.role != wanted[key]]
        for obligation in changed:
            obligation.role = wanted[(obligation.item_id, obligation.unit_id)]
        Obligation.objects.bulk_update(changed, ["role"])

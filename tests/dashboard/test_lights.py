"""The status light rules, one row per case: items (from their units' reports) and single obligations."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.lights import Light
from dashboard.queries import items_for_dashboard, matrix_cells
from tests.factories import ObligationFactory, PeriodFactory, PlanFactory, ReportFactory, WorkItemFactory

HALF_DUE = dt.date(2026, 7, 10)
BEFORE_DUE = dt.date(2026, 7, 1)
AFTER_DUE = dt.date(2026, 8, 1)
AFTER_DEADLINE = dt.date(2027, 1, 5)

L, R = "lead", "responsible"
# Each case: units' (role, report state or None for no report, progress), today, expected light.
ITEM_CASES = [
    ("nothing reported, not yet due", [(L, None, ""), (R, None, "")], BEFORE_DUE, Light.GREY),
    ("only a draft, not yet due", [(L, "draft", "in_progress")], BEFORE_DUE, Light.GREY),
    ("owed report missing after the due date", [(L, "submitted", "in_progress"), (R, None, "")], AFTER_DUE,
     Light.RED),
    ("a draft is still missing after the due date", [(L, "draft", "in_progress")], AFTER_DUE, Light.RED),
    ("lead reported, responsible not yet, not yet due", [(L, "submitted", "in_progress"), (R, None, "")],
     BEFORE_DUE, Light.YELLOW),
    ("all filed, in progress, after period due but before item deadline",
     [(L, "approved", "in_progress"), (R, "submitted", "in_progress")], AFTER_DUE, Light.YELLOW),
    ("returned report counts as filed", [(L, "returned", "in_progress")], AFTER_DUE, Light.YELLOW),
    ("any report says 未能按期完成, even before due", [(L, "submitted", "in_progress"), (R, "submitted", "delayed")],
     BEFORE_DUE, Light.RED),
    ("lead completed and approved", [(L, "approved", "completed")], BEFORE_DUE, Light.GREEN),
    ("green wins over a late responsible unit", [(L, "approved", "completed"), (R, None, "")], AFTER_DUE,
     Light.GREEN),
    ("lead completed but not yet approved", [(L, "submitted", "completed")], BEFORE_DUE, Light.YELLOW),
    ("one of two leads still in progress", [(L, "approved", "completed"), (L, "approved", "in_progress")],
     BEFORE_DUE, Light.YELLOW),
    ("past the item deadline and not completed", [(L, "approved", "in_progress")], AFTER_DEADLINE, Light.RED),
    ("past the item deadline, completed awaiting review", [(L, "submitted", "completed")], AFTER_DEADLINE,
     Light.YELLOW),
    ("no lead units: every owing unit completed and approved", [(R, "approved", "completed")], BEFORE_DUE,
     Light.GREEN),
    ("no obligations at all", [], AFTER_DEADLINE, Light.GREY),
]


def _build(units, due_on=HALF_DUE):
    plan = PlanFactory(year=2026)
    period = PeriodFactory(plan=plan, due_on=due_on)
    item = WorkItemFactory(plan=plan, deadline=dt.date(2026, 12, 31))
    for role, state, progress in units:
        ob = ObligationFactory(period=period, item=item, role=role)
        if state:
            ReportFactory(obligation=ob, state=state, progress=progress)
    return period, item


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "units", "today", "expected"), ITEM_CASES, ids=[c[0] for c in ITEM_CASES])
def test_item_light(case, units, today, expected):
    period, item = _build(units, due_on=dt.date(2027, 1, 10) if today == AFTER_DEADLINE else HALF_DUE)
    assert items_for_dashboard(period, today).get(pk=item.pk).light == expected


OBLIGATION_CASES = [
    ("no report, not yet due", None, "", BEFORE_DUE, Light.GREY),
    ("no report after due", None, "", AFTER_DUE, Light.RED),
    ("draft after due", "draft", "in_progress", AFTER_DUE, Light.RED),
    ("submitted in progress", "submitted", "in_progress", AFTER_DUE, Light.YELLOW),
    ("returned", "returned", "in_progress", BEFORE_DUE, Light.YELLOW),
    ("delayed", "submitted", "delayed", BEFORE_DUE, Light.RED),
    ("approved completed", "approved", "completed", AFTER_DEADLINE, Light.GREEN),
    ("approved in progress after the item deadline", "approved", "in_progress", AFTER_DEADLINE, Light.RED),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "state", "progress", "today", "expected"), OBLIGATION_CASES,
                         ids=[c[0] for c in OBLIGATION_CASES])
def test_obligation_light(case, state, progress, today, expected):
    period, _ = _build([(L, state, progress)])
    (cell,) = matrix_cells(period, today, user=None)
    assert cell["light"] == expected

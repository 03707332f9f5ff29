"""The 4月1日 deadline of last year's government report, shown on the dashboard until it is published."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery

from govreport.models import GovReport, ReportState, deadline_for
from tasks.models import Government, Plan, PlanStatus


def pending_deadlines(today) -> list[dict]:
    """Governments with an issued plan last year whose report is not published yet: one query."""
    year = today.year - 1
    reports = GovReport.objects.filter(government=OuterRef("pk"), year=year)
    governments = (
        Government.objects.filter(Exists(Plan.objects.filter(government=OuterRef("pk"), year=year)
                                         .exclude(status=PlanStatus.DRAFT)))
        .exclude(Exists(reports.filter(state=ReportState.PUBLISHED)))
        .annotate(report_id=Subquery(reports.values("pk")[:1]),
                  report_state=Subquery(reports.values("state")[:1]))
        .order_by("name")
    )
    deadline = deadline_for(year)
    return [{"government": g, "year": year, "deadline": deadline, "days_left": (deadline - today).days,
             "report_id": g.report_id, "state": ReportState(g.report_state).label if g.report_state else "尚未汇编"}
            for g in governments]

"""The 4月1日 deadline of last year's government report, shown on the dashboard until it is published."""

from __future__ import annotations

from django import template
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from fazhi.fragments import cached_part, render_part
from govreport.cachekeys import govreport_version
from govreport.models import GovReport, ReportState, deadline_for
from tasks.cachekeys import registry_version
from tasks.models import Government, Plan, PlanStatus

register = template.Library()


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


@register.simple_tag(takes_context=True)
def govreport_deadlines(context) -> str:
    """The notice, rendered once a day and per version of the reports and governments (``govreport.cachekeys``)
    and of the registry (plans issued or moved between governments): the same for every viewer."""
    today = timezone.localdate()
    return cached_part(context.request, ["govreport-deadlines", today.isoformat(), govreport_version(),
                                         registry_version()],
                       lambda: render_part("govreport/_dashboard_deadlines.html", {"rows": pending_deadlines(today)}))

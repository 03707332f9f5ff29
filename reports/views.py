"""Pages of the reporting workflow. Every object is fetched through ``reports.access``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reports.access import can_edit_report, can_read_attachments, can_review, get_report_for_user


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    context = {
        "report": report,
        "obligation": report.obligation,
        "figures": report.figures.all(),
        "attachments": report.attachments.all() if can_read_attachments(request.user, report) else None,
        "events": report.events.select_related("actor"),
        "can_edit": can_edit_report(request.user, report),
        "can_review": can_review(request.user) and report.state == "submitted",
    }
    return render(request, "reports/detail.html", context)

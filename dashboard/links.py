"""Links into the reports app. Report pages (and who may read them) belong to ``reports``."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

# The reports app's detail page; it checks access itself (``get_report_for_user``).
REPORT_DETAIL = "reports:detail"


def report_url(report_id: int | None) -> str:
    if not report_id:
        return ""
    try:
        return reverse(REPORT_DETAIL, args=[report_id])
    except NoReverseMatch:  # the reports pages are not installed: show the figure without a link
        return ""

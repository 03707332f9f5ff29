"""What each kind of export needs: who may have it, its file name, and how it is built.

Every builder takes the job's JSON parameters only, so the worker process can build it from the
database alone. The permission check runs when the file is asked for, again when it is built and
again when it is downloaded: a role or unit may change while the job waits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.models import User
from audit.exporting import audit_export_title, build_audit_xlsx
from exports.models import ExportKind
from govreport.access import can_read_report
from govreport.documents import docx_filename, report_docx
from govreport.models import GovReport
from reports.access import can_export_annual, can_export_summary, is_own_unit
from reports.documents import build_annual_docx, build_period_xlsx
from reports.models import Period
from tasks.models import Unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Spec:
    allowed: Callable[[User, dict[str, Any]], bool]
    title: Callable[[dict[str, Any]], str]  # raises ObjectDoesNotExist for parameters naming nothing
    build: Callable[[dict[str, Any]], bytes]
    content_type: str


def _annual_allowed(user: User, params: dict[str, Any]) -> bool:
    # "unsent": the unit's not yet submitted texts, which only its own liaison may have.
    return can_export_annual(user, params["unit"]) and (not params.get("unsent") or is_own_unit(user, params["unit"]))


def _annual_title(params: dict[str, Any]) -> str:
    unit = Unit.objects.get(pk=params["unit"])
    return f"{unit.name}{params['year']}年法治政府建设情况报告.docx"


def _annual_build(params: dict[str, Any]) -> bytes:
    return build_annual_docx(Unit.objects.get(pk=params["unit"]), params["year"],
                             with_unsent=bool(params.get("unsent")))


def _summary_allowed(user: User, params: dict[str, Any]) -> bool:
    return can_export_summary(user)


def _summary_title(params: dict[str, Any]) -> str:
    period = Period.objects.select_related("plan").get(pk=params["period"])
    year = str(period.plan.year)
    name = period.name if period.name.startswith(year) else f"{year}年{period.name}"
    return f"{name}汇总表.xlsx"


def _summary_build(params: dict[str, Any]) -> bytes:
    return build_period_xlsx(Period.objects.select_related("plan").get(pk=params["period"]))


def _audit_allowed(user: User, params: dict[str, Any]) -> bool:
    return user.is_authenticated and user.is_coordinator


def _audit_title(params: dict[str, Any]) -> str:
    return audit_export_title(params["query"])


def _audit_build(params: dict[str, Any]) -> bytes:
    return build_audit_xlsx(params["query"])


def _gov_report_allowed(user: User, params: dict[str, Any]) -> bool:
    return can_read_report(user)


def _gov_report_title(params: dict[str, Any]) -> str:
    return docx_filename(GovReport.objects.select_related("government").get(pk=params["report"]))


def _gov_report_build(params: dict[str, Any]) -> bytes:
    return report_docx(GovReport.objects.select_related("government").get(pk=params["report"]))


SPECS: dict[str, Spec] = {
    ExportKind.ANNUAL_DOCX: Spec(_annual_allowed, _annual_title, _annual_build, DOCX),
    ExportKind.PERIOD_XLSX: Spec(_summary_allowed, _summary_title, _summary_build, XLSX),
    ExportKind.AUDIT_XLSX: Spec(_audit_allowed, _audit_title, _audit_build, XLSX),
    ExportKind.GOV_REPORT_DOCX: Spec(_gov_report_allowed, _gov_report_title, _gov_report_build, DOCX),
}

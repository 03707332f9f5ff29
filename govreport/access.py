"""Who may see and change the government's report. Every view asks here, nowhere else.

- Coordinators (the legal office) compile, edit, approve, submit and publish.
- Leaders and liaisons read the report and its sources but change nothing.
- Anyone, without logging in, reads what is published and not withdrawn (``Publication.objects.public()``),
  when ``FAZHI_PUBLIC_REPORTS`` is on.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.backends import USERS
from accounts.models import User
from fazhi.versions import read_all
from govreport.cachekeys import GOVREPORT
from govreport.models import GovReport, Publication, Section
from tasks.cachekeys import REGISTRY


def can_read_report(user: User) -> bool:
    return user.is_authenticated and user.is_active and (user.is_coordinator or user.is_leader or user.is_liaison)


def can_edit_report(user: User) -> bool:
    return user.is_authenticated and user.is_coordinator


def can_read_evidence(user: User) -> bool:
    # As for unit reports: evidence may hold personal data, so other units' liaisons see text only.
    return user.is_authenticated and (user.is_coordinator or user.is_leader)


def _check(user: User, write: bool) -> None:
    if write and not can_edit_report(user):
        raise PermissionDenied("只有法治办工作人员可以修改政府年度报告。")
    if not can_read_report(user):
        raise PermissionDenied("无权查看政府年度报告。")


def get_report_for_user(user: User, pk: int, write: bool = False) -> GovReport:
    _check(user, write)
    if write:
        return get_object_or_404(GovReport.objects.with_government(), pk=pk)
    # To read, the row as of the versions it is made of: the report and its government (GOVREPORT), the leading
    # unit's name (REGISTRY) and who changed it last (USERS); every reader may read every report (``_check``).
    key = ":".join(str(p) for p in ["fazhi:govreport:row", pk, *read_all(GOVREPORT, REGISTRY, USERS)])
    report = cache.get(key)
    if report is None:
        report = get_object_or_404(GovReport.objects.with_government(), pk=pk)
        cache.set(key, report, 60 * 60)
    return report


def get_section_for_user(user: User, pk: int, write: bool = False) -> Section:
    _check(user, write)
    return get_object_or_404(Section.objects.select_related("report__government__leadership_unit", "updated_by",
                                                            "item__chapter"), pk=pk)


def get_public_publication(pk: int) -> Publication:
    if not settings.FAZHI_PUBLIC_REPORTS:
        raise Http404("未开放公开查询。")
    return get_object_or_404(Publication.objects.public(), pk=pk)

"""Hostile query parameters on every URL: each pattern of the urlconf (admin included) is requested as a
coordinator with every query parameter the code reads set to hostile values — superscript digits that
``str.isdigit`` accepts and ``int`` refuses, integers past 64 bits, NUL, dates past 9999 — and never
answers 500. Parameter names are harvested from the code, so a new one is covered without editing this."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.forms import UserFilterForm
from audit.forms import AuditSearchForm
from reports import services as report_services
from reports.filters import ReviewFilter
from reports.models import Notice
from tasks.filters import WorkItemFilter
from tasks.models import Alias, UnitGroup
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ["²", "9" * 25, "-1", "\x00", "1e309", "٣", "%' OR '1'='1", "9999-12-31", "x" * 3000]
ADMIN_HOSTILE = ["²", "9" * 25, "\x00"]
READS = re.compile(r"""(?:GET\.get\(|GET\[|GET\.getlist\(|data\.get\(|\.get\()["'](\w+)["']""")


def harvested_names() -> set[str]:
    names = {"chapter", "unit", "plan", "period", "year", "item", "status", "sort", "light", "kind", "page", "q",
             "view", "export", "next", "source", "action", "o", "p", "e", "_changelist_filters"}
    for path in ROOT.glob("*/**/views*.py"):
        if ".venv" not in path.parts:
            names |= set(READS.findall(path.read_text(encoding="utf-8")))
    names |= set(UserFilterForm.base_fields) | set(AuditSearchForm.base_fields)
    names |= set(WorkItemFilter.base_filters) | set(ReviewFilter.base_filters)
    return names


def walk(patterns, namespace: str = "", prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name, prefix + str(p.pattern), p.pattern


@pytest.fixture
def scene(small_plan, coordinator, liaison_a, unit_a):
    period = report_services.open_period(plan=small_plan, name="半年报", user=coordinator,
                                         due_on=dt.date.today() + dt.timedelta(days=10))
    obligation = period.obligations.filter(unit=unit_a).first()
    report = fill(report_services.start_report(obligation=obligation, user=liaison_a), liaison_a)
    report_services.submit_report(report=report, user=liaison_a)
    item = small_plan.items.order_by("seq").first()
    alias = Alias.objects.create(name="司法局别名", unit=unit_a)
    notice = Notice.objects.create(user=coordinator, title="通知")
    # The literal path segment before a converter says which object it names.
    return {"users": liaison_a.pk, "plans": small_plan.pk, "chapters": item.chapter_id, "items": item.pk,
            "units": unit_a.pk, "aliases": alias.pk, "reports": report.pk,
            "groups": UnitGroup.objects.get(name="各区镇").pk,
            "periods": period.pk, "period": period.pk, "notices": notice.pk, "obligations": obligation.pk,
            "annual": unit_a.pk, "year": small_plan.year, "plan_pk": small_plan.pk, "item_pk": item.pk,
            "unit_pk": unit_a.pk, "period_pk": period.pk, "period_id": period.pk, "obligation_pk": obligation.pk}


def _kwargs(route: str, pattern, scene) -> dict:
    kwargs = {}
    for name in getattr(pattern, "converters", {}) or re.findall(r"\(\?P<(\w+)>", route):
        before = re.findall(r"([a-z_]+)/<[^>]*" + name + ">", route)
        if name == "year":
            kwargs[name] = scene["year"]
        elif name == "app_label":
            kwargs[name] = "tasks"
        elif name in scene:
            kwargs[name] = scene[name]
        elif before and before[-1] in scene:
            kwargs[name] = scene[before[-1]]
        else:
            kwargs[name] = 1
    return kwargs


def test_every_url_answers_hostile_query_parameters_without_an_error(scene, coordinator, client):
    coordinator.is_staff = coordinator.is_superuser = True  # reach the admin too
    coordinator.save()
    client.force_login(coordinator)
    client.raise_request_exception = False  # collect every 500 instead of stopping at the first
    names = sorted(harvested_names())
    assert {"chapter", "unit", "plan", "q", "date_from"} <= set(names)
    failures = []
    urls = 0
    for name, route, pattern in walk(get_resolver().url_patterns):
        if name.endswith(("logout", "login")):
            continue
        try:
            url = reverse(name, kwargs=_kwargs(route, pattern, scene))
        except Exception:  # a pattern we cannot build is a failure of this walk, reported below
            failures.append((name, "cannot build"))
            continue
        urls += 1
        for value in ADMIN_HOSTILE if name.startswith("admin:") else HOSTILE:
            for extra in ({}, {"export": "xlsx"}) if name.startswith("dashboard:") else ({},):
                response = client.get(url, {**dict.fromkeys(names, value), **extra})
                if response.status_code >= 500:
                    failures.append((name, url, value[:10], extra, getattr(response, "exc_info", None)
                                     and repr(response.exc_info[1])[:120]))
    assert urls > 150
    assert failures == [], "\n".join(map(str, failures))


def test_a_due_date_past_2099_is_refused_and_an_old_one_never_breaks_submitting(small_plan, coordinator_client,
                                                                                  coordinator, liaison_a,
                                                                                  liaison_a_client, unit_a):
    url = f"/reports/plans/{small_plan.pk}/periods/"
    response = coordinator_client.post(url, {"name": "年终", "kind": "year_end", "scope": "all",
                                             "due_on": "9999-12-31"})
    assert response.status_code == 200
    assert "“报送截止日期”须在 2000-01-01 至 2099-12-31 之间。" in response.content.decode()
    assert not small_plan.periods.exists()
    with pytest.raises(report_services.ReportError, match="2099-12-31"):
        report_services.open_period(plan=small_plan, name="年终", due_on=dt.date(9999, 12, 31), user=coordinator)
    # A period stored before dates were bounded: submitting on it works and is not late.
    period = report_services.open_period(plan=small_plan, name="年终", due_on=dt.date(2099, 12, 31), user=coordinator)
    period.due_on = dt.date(9999, 12, 31)
    period.save()
    report = fill(report_services.start_report(obligation=period.obligations.get(unit=unit_a, item__seq=1),
                                               user=liaison_a), liaison_a)
    response = liaison_a_client.post(f"/reports/{report.pk}/submit/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted" and report.is_late is False

"""seed_demo: consistent synthetic data that leaves the real (demo) data and the dashboard home alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from dashboard import seeding
from reports.models import Obligation, Period, Report, ReportEvent
from tasks.models import Duty, Plan, Unit
from tests.factories import PeriodFactory, PlanFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)


def test_seeded_rows_are_consistent():
    counts = seeding.seed(seeding.Scale(jurisdictions=2, years=2, items=6), today=TODAY, log=lambda s: None)
    assert counts["report"] == Report.objects.count() > 0
    assert Plan.objects.count() == 4 and all(p.issuer.startswith("（模拟）") for p in Plan.objects.all())
    # Every obligation stands on a duty of the same role; reports never outnumber obligations.
    assert Obligation.objects.count() == counts["obligation"]
    duty_keys = set(Duty.objects.values_list("item_id", "unit_id", "role"))
    assert set(Obligation.objects.values_list("item_id", "unit_id", "role")) <= duty_keys
    # Past periods are closed; this year's year-end period (opened 15 Nov) is open and still due.
    assert set(Period.objects.filter(due_on__lt=TODAY).values_list("status", flat=True)) == {"closed"}
    assert set(Period.objects.filter(plan__year=2026, kind="year_end").values_list("status", flat=True)) == {"open"}
    # Filed reports have a submission event; approved ones an approval event.
    approved = Report.objects.filter(state="approved")
    assert ReportEvent.objects.filter(action="approved").count() == approved.count()
    assert not Report.objects.filter(state="approved", submitted_at__isnull=True).exists()
    assert Report.objects.filter(is_late=True).exists() and Report.objects.filter(state="returned").exists()


def test_seed_leaves_demo_data_and_the_dashboard_home_alone(leader_client):
    real = PlanFactory(year=2026, title="2026年江川市法治政府建设工作要点", issuer="江川市人民政府办公室")
    real_period = PeriodFactory(plan=real, due_on=dt.date(2026, 7, 10))
    units_before = set(Unit.objects.values_list("pk", "name"))
    seeding.seed(seeding.Scale(jurisdictions=1, years=1, items=3), today=TODAY, log=lambda s: None)
    assert units_before <= set(Unit.objects.values_list("pk", "name"))
    assert leader_client.get(reverse("dashboard:home")).url == reverse("dashboard:overview", args=[real_period.pk])


def test_reuse_flag_skips_an_already_seeded_scale(capsys):
    seeding.seed(seeding.Scale(jurisdictions=1, years=1, items=2), log=lambda s: None)
    before = Report.objects.count()
    call_command("seed_demo", "--scale", "small", "--reuse")
    assert Report.objects.count() == before
    assert "跳过生成" in capsys.readouterr().out

"""Chasing units for their own year-end report (单位年度报告), by the same means as period reminders:
one in-app notice per liaison and one e-mail (``reports.reminders.deliver_mail``, after commit),
recorded as a ``Reminder`` with ``annual_year`` set. The scheduled run sends the before-due reminder
once per unit and year and the overdue one at most every ``FAZHI_REMIND_OVERDUE_EVERY_DAYS`` days,
until the unit has submitted; it looks at years whose due date lies within ``CHASE_DAYS`` behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from fazhi.worker import run_in_background
from reports import inbox
from reports.models import AnnualReportDraft, Reminder, ReminderKind, ReportState
from reports.reminders import _liaisons, _local_midnight
from reports.services import ReportError
from reports.services_annual import due_on
from tasks.models import AssignmentRole, Duty, Plan, Unit

CHASE_DAYS = 120  # an annual report still missing four months after its due date is a matter for a phone call


@dataclass
class PlannedAnnualReminder:
    unit: Unit
    year: int
    kind: str
    due: dt.date


def units_owing(year: int):
    """Active units that owe work in the year's plans and have not sent their year-end report."""
    owing = Duty.objects.filter(item__plan__year=year).exclude(role=AssignmentRole.OTHER).values("unit")
    sent = AnnualReportDraft.objects.filter(
        year=year, state__in=[ReportState.SUBMITTED, ReportState.APPROVED]
    ).values("unit")
    return Unit.objects.filter(pk__in=owing, is_active=True).exclude(pk__in=sent).order_by("order", "name")


def compose(unit: Unit, year: int, due: dt.date, today: dt.date, note: str = "") -> tuple[str, str]:
    days = (due - today).days
    when = f"已逾期 {-days} 天" if days < 0 else ("今天截止" if days == 0 else f"还剩 {days} 天")
    subject = f"【催办】{unit.name}{year}年度法治政府建设情况报告尚未报送"
    lines = [
        f"{unit.name}：",
        "",
        f"您单位的{year}年度法治政府建设情况报告尚未报送（截止 {due:%Y-%m-%d}，{when}）。",
        "请填写主要负责人履行第一责任人职责情况、存在的不足和原因、下一年度主要安排后报送。",
        "",
        f"请登录“{settings.FAZHI_SITE_NAME}”，在“本单位年度报告”中填写并报送。",
    ]
    if note:
        lines += ["", f"附言：{note}"]
    return subject, "\n".join(lines)


@transaction.atomic
def send_annual_reminder(*, unit: Unit, year: int, kind: str, user: User | None, today: dt.date,
                         note: str = "") -> Reminder:
    due = due_on(year)
    subject, body = compose(unit, year, due, today, note)
    liaisons = _liaisons(unit)
    url = reverse("reports:annual_edit", args=[unit.pk, year])
    inbox.notify(users=liaisons, title=subject, body=body, url=url)
    emails = [u.email for u in liaisons if u.email]
    if emails:
        transaction.on_commit(partial(run_in_background, "reports.reminders.deliver_mail",
                                      subject=subject, body=body, addresses=emails))
    recipients = "；".join(u.display_name + (f" <{u.email}>" if u.email else "") for u in liaisons)
    return Reminder.objects.create(kind=kind, unit=unit, annual_year=year, sent_by=user,
                                   recipients=recipients or "（该单位没有联络员账号）", message=body)


@transaction.atomic
def remind_unsent_annual(*, year: int, user: User | None, note: str = "",
                         today: dt.date | None = None) -> list[Reminder]:
    """A coordinator chases every unit that has not sent its year-end report for ``year``."""
    today = today or timezone.localdate()
    units = list(units_owing(year))
    if not units:
        raise ReportError(f"{year}年度各单位的年度报告均已报送，无需催办。")
    return [send_annual_reminder(unit=u, year=year, kind=ReminderKind.MANUAL, user=user, today=today, note=note)
            for u in units]


def _years_to_chase(today: dt.date) -> list[int]:
    years = sorted(set(Plan.objects.values_list("year", flat=True)))
    window_end = today + dt.timedelta(days=settings.FAZHI_REMIND_DAYS_BEFORE)
    return [y for y in years if today - dt.timedelta(days=CHASE_DAYS) <= due_on(y) <= window_end]


def plan_scheduled_annual(today: dt.date) -> list[PlannedAnnualReminder]:
    every = settings.FAZHI_REMIND_OVERDUE_EVERY_DAYS
    planned: list[PlannedAnnualReminder] = []
    for year in _years_to_chase(today):
        due = due_on(year)
        if due < today:
            kind = ReminderKind.OVERDUE
            already = Reminder.objects.filter(annual_year=year, kind=kind,
                                              sent_at__gte=_local_midnight(today - dt.timedelta(days=every - 1)))
        else:
            kind = ReminderKind.BEFORE_DUE
            already = Reminder.objects.filter(annual_year=year, kind=kind)
        done = set(already.values_list("unit_id", flat=True))
        planned += [PlannedAnnualReminder(unit=u, year=year, kind=kind, due=due)
                    for u in units_owing(year) if u.pk not in done]
    return planned


@transaction.atomic
def send_scheduled_annual_reminders(*, today: dt.date | None = None,
                                    dry_run: bool = False) -> list[PlannedAnnualReminder]:
    """Send (or with ``dry_run`` only list) today's year-end report reminders. Safe to run many times a day."""
    today = today or timezone.localdate()
    planned = plan_scheduled_annual(today)
    if not dry_run:
        for entry in planned:
            send_annual_reminder(unit=entry.unit, year=entry.year, kind=entry.kind, user=None, today=today)
    return planned

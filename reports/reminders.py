"""Chasing (催办): reminders to units about what they still owe, by hand or on a schedule.

Each liaison of a unit gets ONE message per sending listing every open item it is about, by
e-mail (Django's mail settings) and as an in-app notice; each sending is recorded as a
``Reminder`` per (unit, period, kind) with its obligations. The scheduled run is idempotent:
the before-due reminder goes once per unit and period, the overdue one at most once every
``FAZHI_REMIND_OVERDUE_EVERY_DAYS`` days, so cron can call it as often as it likes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from fazhi import limits
from fazhi.worker import run_in_background
from reports import inbox
from reports.models import Obligation, Period, PeriodStatus, Reminder, ReminderKind
from reports.services import ReportError, check_length, notice_title
from tasks.models import Unit

logger = logging.getLogger(__name__)


@dataclass
class PlannedReminder:
    unit: Unit
    kind: str
    obligations: list[Obligation] = field(default_factory=list)

    @property
    def periods(self) -> set[int]:
        return {o.period_id for o in self.obligations}


def _state_label(obligation: Obligation) -> str:
    report = obligation.report_or_none
    return report.get_state_display() if report else "未填报"


def compose(unit: Unit, obligations: list[Obligation], today: dt.date, note: str = "") -> tuple[str, str]:
    """The subject and body of the one message a unit's liaisons receive."""
    subject = f"【催办】{unit.name}有 {len(obligations)} 项报送任务待完成"
    lines = [
        f"{unit.name}：",
        "",
        f"您单位尚有以下 {len(obligations)} 项法治政府建设报送任务未完成报送：",
        "",
    ]
    for n, ob in enumerate(obligations, start=1):
        days = (ob.period.due_on - today).days
        when = f"已逾期 {-days} 天" if days < 0 else ("今天截止" if days == 0 else f"还剩 {days} 天")
        lines.append(
            f"{n}. 【{ob.period.name}】{ob.item}（截止 {ob.period.due_on:%Y-%m-%d}，{when}，{_state_label(ob)}）"
        )
    lines += ["", f"请登录“{settings.FAZHI_SITE_NAME}”，在“我的待办”中及时填报。"]
    if note:
        lines += ["", f"附言：{note}"]
    return subject, "\n".join(lines)


def _liaisons(unit: Unit) -> list[User]:
    return list(User.objects.filter(role=Role.LIAISON, unit=unit, is_active=True).order_by("id"))


def _open_obligations(qs) -> list[Obligation]:
    return list(qs.select_related("period", "item", "unit", "report").order_by("period__due_on", "item__seq"))


def deliver_mail(*, subject: str, body: str, addresses: list[str]) -> int:
    """One message per address. The reminder is recorded and the notices are in whatever happens here:
    a mail server that is down is logged for the administrator, never an error for the coordinator."""
    messages = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("Sending reminder e-mail to %s failed", ", ".join(addresses))
        return 0


@transaction.atomic
def send_reminder(
    *,
    unit: Unit,
    obligations: list[Obligation],
    kind: str,
    user: User | None,
    today: dt.date,
    note: str = "",
) -> list[Reminder]:
    """Send one message to each liaison of ``unit`` listing ``obligations``, and record it."""
    subject, body = compose(unit, obligations, today, note)
    liaisons = _liaisons(unit)
    recipients = "；".join(f"{u.display_name}" + (f" <{u.email}>" if u.email else "") for u in liaisons)
    url = reverse("reports:todo")
    inbox.notify(users=liaisons, title=notice_title(subject), body=body, url=url)
    emails = [u.email for u in liaisons if u.email]
    if emails:
        # After commit (a rolled-back reminder must not have been mailed), and on the worker when there is
        # one: a mail server that is slow must not keep the coordinator's click waiting.
        transaction.on_commit(partial(run_in_background, "reports.reminders.deliver_mail",
                                      subject=subject, body=body, addresses=emails))
    by_period: dict[int, list[Obligation]] = defaultdict(list)
    for ob in obligations:
        by_period[ob.period_id].append(ob)
    records = []
    for period_id, group in by_period.items():
        reminder = Reminder.objects.create(
            kind=kind,
            unit=unit,
            period_id=period_id,
            sent_by=user,
            recipients=recipients or "（该单位没有联络员账号）",
            message=body,
        )
        reminder.obligations.set(group)
        records.append(reminder)
    return records


@transaction.atomic
def remind_unit(
    *, unit: Unit, user: User | None, note: str = "", today: dt.date | None = None
) -> list[Reminder]:
    """A coordinator chases one unit about everything it still owes in open periods."""
    check_length(note, limits.SHORT_TEXT, "附言")
    today = today or timezone.localdate()
    obligations = _open_obligations(Obligation.objects.filter(unit=unit).open())
    if not obligations:
        raise ReportError(f"{unit.name}没有未完成的报送任务，无需催办。")
    return send_reminder(
        unit=unit, obligations=obligations, kind=ReminderKind.MANUAL, user=user, today=today, note=note
    )


@transaction.atomic
def remind_overdue_units(
    *, user: User | None, note: str = "", today: dt.date | None = None
) -> list[Reminder]:
    """A coordinator chases every unit that has overdue obligations; each gets one message."""
    check_length(note, limits.SHORT_TEXT, "附言")
    today = today or timezone.localdate()
    overdue_units = Unit.objects.filter(pk__in=Obligation.objects.overdue(today).values("unit")).order_by(
        "order", "name"
    )
    if not overdue_units:
        raise ReportError("目前没有逾期未报的单位。")
    records: list[Reminder] = []
    for unit in overdue_units:
        # Only what is overdue: a chase about lateness does not also list work that is not due yet.
        obligations = _open_obligations(Obligation.objects.filter(unit=unit).overdue(today))
        records += send_reminder(
            unit=unit, obligations=obligations, kind=ReminderKind.MANUAL, user=user, today=today, note=note
        )
    return records


@transaction.atomic
def remind_units_due_within(
    *, days: int, user: User | None, note: str = "", today: dt.date | None = None
) -> list[Reminder]:
    """A coordinator reminds every unit with unfiled work due in the next ``days`` days (today included)."""
    check_length(note, limits.SHORT_TEXT, "附言")
    today = today or timezone.localdate()
    due_soon = Obligation.objects.open().filter(period__due_on__gte=today,
                                                period__due_on__lte=today + dt.timedelta(days=days))
    units = Unit.objects.filter(pk__in=due_soon.values("unit")).order_by("order", "name")
    if not units:
        raise ReportError(f"{days} 天内没有到期未报的任务。")
    records: list[Reminder] = []
    for unit in units:
        obligations = _open_obligations(due_soon.filter(unit=unit))
        records += send_reminder(
            unit=unit, obligations=obligations, kind=ReminderKind.MANUAL, user=user, today=today, note=note
        )
    return records


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def plan_scheduled(today: dt.date) -> list[PlannedReminder]:
    """What the scheduled run would send today, one entry per unit, after removing what was already sent."""
    days_before = settings.FAZHI_REMIND_DAYS_BEFORE
    every = settings.FAZHI_REMIND_OVERDUE_EVERY_DAYS
    planned: dict[int, PlannedReminder] = {}
    for period in Period.objects.filter(status=PeriodStatus.OPEN).order_by("due_on", "id"):
        days_left = (period.due_on - today).days
        if days_left < 0:
            kind = ReminderKind.OVERDUE
            already = Reminder.objects.filter(
                period=period, kind=kind, sent_at__gte=_local_midnight(today - dt.timedelta(days=every - 1))
            )
        elif days_left <= days_before:
            kind = ReminderKind.BEFORE_DUE
            already = Reminder.objects.filter(period=period, kind=kind)
        else:
            continue
        done_units = set(already.values_list("unit_id", flat=True))
        for ob in _open_obligations(
            Obligation.objects.filter(period=period).open().exclude(unit_id__in=done_units)
        ):
            entry = planned.setdefault(ob.unit_id, PlannedReminder(unit=ob.unit, kind=kind))
            if kind == ReminderKind.OVERDUE:
                entry.kind = kind  # the sterner wording wins when one message covers both
            entry.obligations.append(ob)
    return sorted(planned.values(), key=lambda p: (p.unit.order, p.unit.name))


@transaction.atomic
def send_scheduled_reminders(*, today: dt.date | None = None, dry_run: bool = False) -> list[PlannedReminder]:
    """Send (or with ``dry_run`` only list) the reminders due today. Safe to run many times a day."""
    today = today or timezone.localdate()
    planned = plan_scheduled(today)
    if not dry_run:
        for entry in planned:
            records = send_reminder(
                unit=entry.unit, obligations=entry.obligations, kind=entry.kind, user=None, today=today
            )
            # One message was sent; the records must still say which kind each period's part was, for dedupe.
            for record in records:
                kind = ReminderKind.OVERDUE if record.period.due_on < today else ReminderKind.BEFORE_DUE
                if record.kind != kind:
                    record.kind = kind
                    record.save(update_fields=["kind"])
    return planned

"""Write operations on reporting. Every state change of a period or a report goes through this module.

Each function is one transition: it checks the state it starts from, writes the change and a
``ReportEvent`` in one transaction, and bumps the period's cache version so dashboards never
serve stale figures. Who may call which function is decided in ``reports.access``; the functions
here guard the workflow itself (state, open period, versions) so no caller can skip a step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from fazhi import limits
from fazhi.forms import DATE_MAX, DATE_MIN
from reports import inbox
from reports.cachekeys import (
    CALENDAR_KEY,
    bump_now_and_after_commit,
    bump_period_version,
    report_files_key,
    unit_drafts_key,
    unit_reports_key,
)
from reports.models import (
    Attachment,
    Notice,
    Obligation,
    Period,
    PeriodKind,
    PeriodScope,
    PeriodStatus,
    ProgressStatus,
    Report,
    ReportAction,
    ReportEvent,
    ReportFigure,
    ReportState,
)
from tasks.models import AssignmentRole, Duty, Plan, WorkItem

# Every state change of a report, and what it records. A save keeps the state (draft → draft, returned →
# returned); only the legal office moves a submitted report on; an approved report is final.
_MOVES: dict[str, dict[str, str]] = {
    ReportState.DRAFT: {ReportState.DRAFT: ReportAction.SAVED, ReportState.SUBMITTED: ReportAction.SUBMITTED},
    ReportState.RETURNED: {ReportState.RETURNED: ReportAction.SAVED, ReportState.SUBMITTED: ReportAction.SUBMITTED},
    ReportState.SUBMITTED: {ReportState.RETURNED: ReportAction.RETURNED, ReportState.APPROVED: ReportAction.APPROVED},
    ReportState.APPROVED: {},
}
FIGURE_UNIT_LENGTH = 20  # 单位 of a key figure: "%", "件", "万元"
# The typed texts of a report and their limits (fazhi.limits): every caller is held to them, not only the form.
TEXT_LIMITS = {
    "measures": (limits.LONG_TEXT, "工作举措与成效"),
    "problems": (limits.LONG_TEXT, "存在问题"),
    "next_steps": (limits.LONG_TEXT, "下一步计划"),
    "delay_reason": (limits.SHORT_TEXT, "未能按期完成原因"),
}
TEXT_FIELDS = ("progress", "percent", "measures", "problems", "next_steps", "delay_reason")


class ReportError(ValidationError):
    """A workflow rule refused the operation; the message is meant for the user."""


def check_length(value: str | None, limit: int, label: str) -> None:
    """``fazhi.limits.check_length`` as a ``ReportError``, which every reporting view already answers."""
    if value is not None and len(value) > limit:
        raise ReportError(limits.length_message(label, limit, len(value)), code="max_length")


class StaleReportError(ReportError):
    """Someone else saved the report since the form was opened. ``current`` is what they saved."""

    def __init__(self, current: Report) -> None:
        super().__init__("在您编辑期间，此报告已被他人修改并保存。您的修改尚未保存，请对照下方的最新内容后重新提交。")
        self.current = current


# ---------------------------------------------------------------------------------------------
# Periods and obligations


def _duties_in_scope(period: Period, items: Iterable[WorkItem] | None = None):
    duties = Duty.objects.filter(item__plan_id=period.plan_id)
    if items is not None:
        duties = duties.filter(item__in=list(items))
    if period.scope == PeriodScope.LEAD_ONLY:
        duties = duties.filter(role=AssignmentRole.LEAD)
    else:
        # 配合单位 support the work but do not owe a report of their own.
        duties = duties.exclude(role=AssignmentRole.OTHER)
    return duties


def preview_obligations(*, plan: Plan, scope: str) -> tuple[int, int]:
    """What opening a period with ``scope`` would create: (obligations, distinct units). Writes nothing."""
    duties = _duties_in_scope(Period(plan=plan, scope=scope)).order_by()
    return duties.count(), duties.values("unit_id").distinct().count()


def _sync_period(period: Period, items: list[WorkItem] | None) -> None:
    wanted = {(d.item_id, d.unit_id): d.role for d in _duties_in_scope(period, items)}
    existing_qs = Obligation.objects.filter(period=period)
    if items is not None:
        existing_qs = existing_qs.filter(item__in=items)
    existing = {(o.item_id, o.unit_id): o for o in existing_qs}
    Obligation.objects.bulk_create(
        [
            Obligation(period=period, item_id=item_id, unit_id=unit_id, role=role)
            for (item_id, unit_id), role in wanted.items()
            if (item_id, unit_id) not in existing
        ]
    )
    stale = [o.pk for key, o in existing.items() if key not in wanted]
    Obligation.objects.filter(pk__in=stale, report__isnull=True).delete()
    changed = [o for key, o in existing.items() if key in wanted and o.role != wanted[key]]
    for obligation in changed:
        obligation.role = wanted[(obligation.item_id, obligation.unit_id)]
    Obligation.objects.bulk_update(changed, ["role"])
    bump_period_version(period.id)
    bump_now_and_after_commit(CALENDAR_KEY)  # which obligations exist and are open (我的待办)


@transaction.atomic
def sync_obligations(*, items: Iterable[WorkItem]) -> None:
    """Bring the obligations of every open period in line with the items' current duties.

    New duties get obligations; an obligation whose duty is gone is removed only while no
    report was started on it, so nothing a unit wrote is ever deleted by a membership change.
    """
    items = list(items)
    plan_ids = {item.plan_id for item in items}
    for period in Period.objects.filter(plan_id__in=plan_ids, status=PeriodStatus.OPEN):
        _sync_period(period, [item for item in items if item.plan_id == period.plan_id])


@transaction.atomic
def open_period(
    *, plan: Plan, name: str, due_on: dt.date, user: User | None,
    kind: str = PeriodKind.HALF_YEAR, scope: str = PeriodScope.ALL,
) -> Period:
    """Open a reporting period: every unit that owes work on an item of the plan now owes a report."""
    name = name.strip()
    if not name:
        raise ReportError("请填写报送期次名称。")
    check_length(name, limits.NAME, "名称")
    if not DATE_MIN <= due_on <= DATE_MAX:
        raise ReportError(f"报送截止日期须在 {DATE_MIN:%Y-%m-%d} 至 {DATE_MAX:%Y-%m-%d} 之间。")
    if Period.objects.filter(plan=plan, name=name).exists():
        raise ReportError(f"本工作要点已有名为“{name}”的报送期次。")
    period = Period.objects.create(plan=plan, name=name, kind=kind, due_on=due_on, scope=scope,
                                   status=PeriodStatus.OPEN, opened_by=user)
    _sync_period(period, None)
    return period


@transaction.atomic
def close_period(*, period: Period, user: User | None) -> Period:
    """Stop filing: reports can no longer be started, edited or submitted. Review goes on."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status == PeriodStatus.CLOSED:
        raise ReportError("该报送期次已关闭。")
    period.status = PeriodStatus.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = user
    period.save(update_fields=["status", "closed_at", "closed_by"])
    bump_period_version(period.id)
    bump_now_and_after_commit(CALENDAR_KEY)
    return period


@transaction.atomic
def reopen_period(*, period: Period, user: User | None) -> Period:
    """Reopen a closed period; assignments changed meanwhile get their obligations now."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status == PeriodStatus.OPEN:
        raise ReportError("该报送期次已在填报中。")
    period.status = PeriodStatus.OPEN
    period.closed_at = None
    period.closed_by = None
    period.save(update_fields=["status", "closed_at", "closed_by"])
    _sync_period(period, None)
    return period


# ---------------------------------------------------------------------------------------------
# Reports


def deadline_of(period: Period) -> dt.datetime:
    """The end of the due day in the site's time zone (Asia/Shanghai): submissions after it are late."""
    tz = timezone.get_default_timezone()
    if period.due_on >= dt.date.max:  # a due date stored before dates were bounded: never late, never a 500
        return dt.datetime.max.replace(tzinfo=tz)
    return dt.datetime.combine(period.due_on + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def _event(report: Report, action: str, from_state: str, user: User | None, comment: str = "") -> ReportEvent:
    return ReportEvent.objects.create(report=report, action=action, from_state=from_state,
                                      to_state=report.state, actor=user, comment=comment)


def _require_move(report: Report, to: str, refused: str, *, action: str | None = None) -> None:
    """Refuse (``refused``, with {state} filled in) a move the table does not allow from the report's state.
    ``action`` pins which move is meant: returned → returned is a save, never a second return."""
    allowed = _MOVES[report.state]
    if to not in allowed or (action is not None and allowed[to] != action):
        raise ReportError(refused.format(state=report.get_state_display()))


def _move(report: Report, to: str, *, user: User | None, comment: str = "", **fields: Any) -> Report:
    """The one way a report changes: check the move against ``_MOVES``, write ``fields`` and the new state,
    bump the version (stale forms are refused), save with the history user, record the event and bump the
    period's cache version. Call inside the transaction that locked the report."""
    from_state = report.state
    _require_move(report, to, "报告{state}，不能再改变状态。")
    for name, value in fields.items():
        setattr(report, name, value)
    report.state = to
    report.version += 1
    report._history_user = user  # simple-history: the actor even outside a request (commands, demo)
    report.save()
    _event(report, _MOVES[from_state][to], from_state, user, comment)
    unit_id = report.obligation.unit_id
    if to != from_state:
        bump_period_version(report.obligation.period_id)
        bump_now_and_after_commit(unit_reports_key(unit_id), unit_drafts_key(unit_id))
    else:
        # A save keeps the state. Dashboards count filed reports only, so a draft's save changes no figure
        # there (a returned report's does: its progress counts); 我的待办 shows states, not text. Only what
        # the unit itself sees of its drafts moves, so a deadline rush of saves does not empty every
        # dashboard's cache (README "Every page through gunicorn").
        if from_state in ReportState.FILED:
            bump_period_version(report.obligation.period_id)
        bump_now_and_after_commit(unit_drafts_key(unit_id))
    return report


def notice_title(text: str) -> str:
    """A notice title that fits its column: an item title alone may run to 300 characters, and PostgreSQL
    refused the whole approval (varchar(200)) when "报告已审核通过：" was put in front of one."""
    limit = Notice._meta.get_field("title").max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _notify_unit(report: Report, title: str, body: str) -> None:
    from django.urls import reverse

    url = reverse("reports:detail", args=[report.pk])
    liaisons = User.objects.filter(role=Role.LIAISON, unit_id=report.obligation.unit_id, is_active=True)
    inbox.notify(users=liaisons, title=notice_title(title), body=body, url=url)


def _hold_period(*, report_pk: int | None = None, obligation_pk: int | None = None) -> None:
    """Share-lock the period a write belongs to (PostgreSQL ``FOR SHARE``), before the write's own row lock.

    A plain ``select_for_update()`` with ``select_related`` locks every joined row ``FOR UPDATE``: each save,
    start and review locked its period's row, so all the units filing in one period waited for each other (the
    50-user load test: saves at a median of 1 s with the CPU 40 % idle). Shared, writes in one period run side
    by side, while ``close_period``'s ``FOR UPDATE`` still waits for those in flight and they for it; taken
    first, so the period read next (``is_open``) is the one in force until commit. SQLite serialises writers
    on the whole database and has no row locks."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return
    period, obligation, report = Period._meta.db_table, Obligation._meta.db_table, Report._meta.db_table
    if report_pk is not None:
        sql = (f'SELECT 1 FROM "{period}" p JOIN "{obligation}" o ON o.period_id = p.id '
               f'JOIN "{report}" r ON r.obligation_id = o.id WHERE r.id = %s FOR SHARE OF p')
        key = report_pk
    else:
        sql = f'SELECT 1 FROM "{period}" p JOIN "{obligation}" o ON o.period_id = p.id WHERE o.id = %s FOR SHARE OF p'
        key = obligation_pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])


def _locked(report_pk: int) -> Report:
    _hold_period(report_pk=report_pk)
    return (Report.objects.select_for_update(of=("self",)).select_related("obligation__period", "obligation__item")
            .get(pk=report_pk))


def _require_open(report: Report) -> None:
    if not report.obligation.period.is_open:
        raise ReportError("该报送期次已关闭，不能再修改或报送。")


def previous_report(obligation: Obligation) -> Report | None:
    """The unit's most recent report on the same item in an earlier period of the plan."""
    return (
        Report.objects.filter(obligation__unit_id=obligation.unit_id, obligation__item_id=obligation.item_id,
                              obligation__period__due_on__lt=obligation.period.due_on)
        .exclude(obligation_id=obligation.pk)
        .order_by("-obligation__period__due_on", "-id")
        .prefetch_related("figures")
        .first()
    )


@transaction.atomic
def start_report(*, obligation: Obligation, user: User | None) -> Report:
    """Create the draft for an obligation, pre-filled from the unit's previous report on the item.

    Starting twice returns the existing report, so a double click never creates a second draft.
    """
    _hold_period(obligation_pk=obligation.pk)
    obligation = Obligation.objects.select_for_update(of=("self",)).select_related("period").get(pk=obligation.pk)
    existing = Report.objects.filter(obligation=obligation).first()
    if existing is not None:
        return existing
    if not obligation.period.is_open:
        raise ReportError("该报送期次已关闭，不能再填报。")
    report = Report(obligation=obligation, updated_by=user)
    previous = previous_report(obligation)
    if previous is not None:
        for field in TEXT_FIELDS:
            setattr(report, field, getattr(previous, field))
        if report.progress == ProgressStatus.COMPLETED:
            report.percent = 100
    copied = [ReportFigure(label=f.label, value=f.value, unit=f.unit, order=f.order)
              for f in previous.figures.all()] if previous is not None else []
    report.figures_text = figures_text(copied)
    report._history_user = user  # simple-history: the actor even outside a request (commands, demo)
    report.save()
    # One save per figure, not bulk_create: the change log (auditlog's signals) records each value.
    for figure in copied:
        figure.report = report
        figure.save()
    _event(report, ReportAction.CREATED, "", user,
           comment=f"已根据“{previous.obligation.period.name}”的报告预填" if previous else "")
    # A new draft is the unit's own until submitted: 我的待办 and the unit's own views move, the figures
    # everyone else sees (filed reports only) do not.
    bump_now_and_after_commit(unit_reports_key(obligation.unit_id), unit_drafts_key(obligation.unit_id))
    return report


def figures_text(figures: Sequence[ReportFigure]) -> str:
    """The key figures as one line, the form ``Report.figures_text`` keeps (and the history compares)."""
    return "；".join(f"{f.label} {f.value.normalize():f}{f.unit}" for f in figures)


# The largest figure the database stores exactly: SQLite keeps a decimal as a REAL (15 significant digits),
# so a wider value came back rounded and failed Django's conversion on every page that read it.
FIGURE_MAX = Decimal(10) ** (limits.FIGURE_MAX_DIGITS - limits.FIGURE_DECIMALS) - Decimal(1).scaleb(
    -limits.FIGURE_DECIMALS)
FIGURE_TOO_BIG = f"数值最大为 {FIGURE_MAX:,}（负数最小为 -{FIGURE_MAX:,}），最多保留两位小数。"


def figure_value(raw: object) -> Decimal:
    """A key figure as the database will store it, or ``ReportError`` (Chinese) when it cannot be stored exactly."""
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ReportError("数值请填写数字，如 100 或 7900。") from exc
    if not value.is_finite():
        raise ReportError("数值请填写数字，如 100 或 7900。")
    if abs(value) > FIGURE_MAX or value != value.quantize(Decimal(1).scaleb(-limits.FIGURE_DECIMALS)):
        raise ReportError(FIGURE_TOO_BIG)
    return value.quantize(Decimal(1).scaleb(-limits.FIGURE_DECIMALS))


def _clean_figures(figures: Sequence[Mapping[str, Any]]) -> list[ReportFigure]:
    rows = []
    for order, row in enumerate(figures):
        label = str(row.get("label") or "").strip()
        unit = str(row.get("unit") or "").strip()
        value = row.get("value")
        if not label and value in (None, ""):
            continue
        if not label or value in (None, ""):
            raise ReportError("关键数据的每一行都需要同时填写指标和数值。")
        check_length(label, limits.NAME, "指标")
        check_length(unit, FIGURE_UNIT_LENGTH, "单位")
        rows.append(ReportFigure(label=label, value=figure_value(value), unit=unit, order=order))
    return rows


def _replace_figures(report: Report, rows: list[ReportFigure]) -> None:
    """Make the report's figures ``rows``, row by row, through save() and delete() and never in bulk, so the
    change log keeps every value (a changed figure is one update: 出庭率 95 → 100)."""
    existing = list(report.figures.order_by("order", "id"))
    for old, new in zip(existing, rows, strict=False):
        changed = [name for name in ("label", "value", "unit", "order") if getattr(old, name) != getattr(new, name)]
        for name in changed:
            setattr(old, name, getattr(new, name))
        if changed:
            old.save(update_fields=changed)
    for new in rows[len(existing):]:
        new.report = report
        new.save()
    for old in existing[len(rows):]:
        old.delete()


@transaction.atomic
def save_report(
    *, report: Report, data: Mapping[str, Any], figures: Sequence[Mapping[str, Any]] | None,
    user: User | None, expected_version: int,
) -> Report:
    """Save the text and figures of an editable report.

    ``expected_version`` is the version the user's form was built from; if someone saved in the
    meantime the save is refused with ``StaleReportError`` instead of overwriting their work.
    """
    report = _locked(report.pk)
    _require_open(report)
    _require_move(report, report.state, "报告{state}，不能修改。")  # a save keeps the state: editable ones only
    if report.version != expected_version:
        raise StaleReportError(report)
    for field in TEXT_FIELDS:
        if field in data:
            value = data[field]
            setattr(report, field, value.strip() if isinstance(value, str) else value)
    for field, (limit, label) in TEXT_LIMITS.items():
        check_length(getattr(report, field), limit, label)
    if report.progress != ProgressStatus.DELAYED:
        report.delay_reason = ""
    if report.progress == ProgressStatus.DELAYED and not report.delay_reason:
        raise ReportError("推进状态为“未能按期完成”时必须填写原因。")
    if not 0 <= int(report.percent) <= 100:
        raise ReportError("完成进度须在 0 到 100 之间。")
    if report.progress == ProgressStatus.COMPLETED:
        report.percent = 100
    if figures is not None:
        rows = _clean_figures(figures)
        _replace_figures(report, rows)
        report.figures_text = figures_text(rows)
    return _move(report, report.state, user=user, updated_by=user)


@transaction.atomic
def submit_report(*, report: Report, user: User | None, now: dt.datetime | None = None) -> Report:
    """Send the report to the legal office. Marked late if first submitted after the due day."""
    report = _locked(report.pk)
    _require_open(report)
    _require_move(report, ReportState.SUBMITTED, "报告{state}，不能再次报送。")
    missing = []
    if not report.measures.strip():
        missing.append("工作举措与成效")
    if report.progress == ProgressStatus.DELAYED and not report.delay_reason.strip():
        missing.append("未能按期完成原因")
    if missing:
        raise ReportError(f"报送前请填写：{'、'.join(missing)}。")
    now = now or timezone.now()
    from_state = report.state
    first = {} if report.first_submitted_at else {
        "first_submitted_at": now, "is_late": now >= deadline_of(report.obligation.period)}
    report = _move(report, ReportState.SUBMITTED, user=user, submitted_at=now, updated_by=user, **first)
    from reports.notices import notify_reviewers

    notify_reviewers(report=report, resubmitted=from_state == ReportState.RETURNED)
    return report


def _require_reviewer(user: User | None) -> None:
    from reports.access import can_review

    if user is not None and not can_review(user):
        raise PermissionDenied("只有法治办工作人员可以审核报告。")


@transaction.atomic
def return_report(*, report: Report, user: User | None, comment: str) -> Report:
    """Send a submitted report back to its unit for changes; the comment tells them what to change."""
    _require_reviewer(user)
    comment = (comment or "").strip()
    if not comment:
        raise ReportError("退回修改时必须填写意见，告诉单位需要修改什么。")
    check_length(comment, limits.SHORT_TEXT, "退回意见")
    report = _locked(report.pk)
    _require_move(report, ReportState.RETURNED, "报告{state}，只有已报送的报告可以退回。", action=ReportAction.RETURNED)
    _move(report, ReportState.RETURNED, user=user, comment=comment, reviewed_at=timezone.now(), reviewed_by=user,
          review_comment=comment)
    _notify_unit(report, f"报告被退回修改：{report.obligation.period.name} · {report.obligation.item}", comment)
    return report


@transaction.atomic
def approve_report(*, report: Report, user: User | None, comment: str = "") -> Report:
    """Accept a submitted report. Approved reports are final for the unit."""
    _require_reviewer(user)
    check_length((comment or "").strip(), limits.SHORT_TEXT, "审核意见")
    report = _locked(report.pk)
    _require_move(report, ReportState.APPROVED, "报告{state}，只有已报送的报告可以审核通过。")
    comment = (comment or "").strip()
    _move(report, ReportState.APPROVED, user=user, comment=comment, reviewed_at=timezone.now(), reviewed_by=user,
          review_comment=comment)
    _notify_unit(report, f"报告已审核通过：{report.obligation.period.name} · {report.obligation.item}", comment)
    return report


@transaction.atomic
def add_attachment(*, report: Report, upload: Any, kind: str, user: User | None) -> Attachment:
    """Store one already validated evidence file (see ``reports.files``) on an editable report."""
    from reports.files import MAX_FILES_PER_REPORT

    report = _locked(report.pk)
    _require_open(report)
    if report.state not in ReportState.EDITABLE:
        raise ReportError(f"报告{report.get_state_display()}，不能再上传佐证材料。")
    if report.attachments.count() >= MAX_FILES_PER_REPORT:
        raise ReportError(f"每份报告最多上传 {MAX_FILES_PER_REPORT} 个佐证材料。")
    import hashlib

    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(report=report, original_name=upload.name[-200:], size=upload.size,
                            content_type=kind, sha256=digest.hexdigest(), uploaded_by=user)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    bump_now_and_after_commit(report_files_key(report.pk))
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, user: User | None) -> None:
    report = _locked(attachment.report_id)
    _require_open(report)
    if report.state not in ReportState.EDITABLE:
        raise ReportError(f"报告{report.get_state_display()}，不能删除佐证材料。")
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    bump_now_and_after_commit(report_files_key(report.pk))
    # Remove the file only once the row is really gone.
    transaction.on_commit(lambda: storage.delete(name))

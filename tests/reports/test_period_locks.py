"""On PostgreSQL a write to a report share-locks its period (``reports.services._hold_period``): units filing in
one period never wait for each other, and closing the period still waits for a save in flight (and a save after
the close is refused). SQLite has no row locks (it serialises writers), so these run on PostgreSQL only."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections, transaction

from reports import services
from reports.models import PeriodStatus, Report
from tests.factories import ObligationFactory, PeriodFactory, ReportFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]

TEXT = {"progress": "in_progress", "percent": 40, "measures": "召开专题会议，完善制度。", "problems": "",
        "next_steps": "继续推进。", "delay_reason": ""}


def _draft(period) -> Report:
    return ReportFactory(obligation=ObligationFactory(period=period), state="draft")


def _save(report: Report, text: str = "召开专题会议，完善制度。") -> Report:
    report.refresh_from_db()
    return services.save_report(report=report, data={**TEXT, "measures": text}, figures=None,
                                user=UserFactory(), expected_version=report.version)


@contextmanager
def _another_unit_saving():
    """An open period with two units' drafts; the first unit's save is left uncommitted inside the block."""
    period = PeriodFactory(status=PeriodStatus.OPEN)
    first, second = _draft(period), _draft(period)
    started, release = threading.Event(), threading.Event()

    def run() -> None:
        try:
            with transaction.atomic():
                _save(first, "另一单位的草稿")
                started.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(10)
    try:
        yield period, first, second
    finally:
        release.set()
        thread.join(10)


def _with_lock_timeout(action):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
        return action()


def test_two_units_save_in_one_period_without_waiting_for_each_other():
    with _another_unit_saving() as (_period, first, second):
        saved = _with_lock_timeout(lambda: _save(second, "本单位的草稿"))  # would time out on a period row lock
    assert Report.objects.get(pk=saved.pk).measures == "本单位的草稿"
    assert Report.objects.get(pk=first.pk).measures == "另一单位的草稿"


def test_closing_a_period_waits_for_a_save_in_flight_and_a_save_after_it_is_refused():
    with _another_unit_saving() as (period, first, second), pytest.raises(OperationalError, match="lock timeout"):
        _with_lock_timeout(lambda: services.close_period(period=period, user=None))
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN and Report.objects.get(pk=first.pk).measures == "另一单位的草稿"
    services.close_period(period=period, user=None)
    with pytest.raises(services.ReportError, match="关闭"):
        _save(second, "关闭后的草稿")
    assert Report.objects.get(pk=second.pk).measures != "关闭后的草稿"

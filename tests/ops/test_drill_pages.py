"""The printable record of restore drills: coordinators only, in Chinese, every check listed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ops.models import DrillOutcome, RestoreDrill


def _drill(**overrides) -> RestoreDrill:
    now = timezone.now()
    values = dict(kind="pitr", outcome=DrillOutcome.PASSED, started_at=now - dt.timedelta(seconds=42),
                  finished_at=now, seconds=42.3, backup="pgBackRest fazhi / 20261130-020000F",
                  backup_created=now - dt.timedelta(hours=3), target_time=now - dt.timedelta(minutes=5),
                  run_by="coordinator", host="db1",
                  checks=[{"name": "目标时间点之前的数据已恢复", "ok": True, "detail": "时间点前写入的标记行存在"},
                          {"name": "目标时间点之后的数据未恢复", "ok": True, "detail": "时间点后写入的标记行不存在"}])
    values.update(overrides)
    return RestoreDrill.objects.create(**values)


@pytest.mark.django_db
def test_coordinators_see_the_drills_newest_first_with_outcome_and_time(client, coordinator):
    _drill(started_at=timezone.now() - dt.timedelta(days=3), outcome=DrillOutcome.FAILED, kind="portable",
           backup="/srv/fazhi-backups/fazhi-20261127.tar")
    _drill()
    client.force_login(coordinator)
    page = client.get("/ops/drills/").content.decode()
    assert "备份恢复演练记录" in page
    assert page.index("时间点恢复（PostgreSQL）") < page.index("便携备份恢复")
    assert "最近一次通过的演练" in page and "42.3 秒" in page and "未通过" in page


@pytest.mark.django_db
def test_the_detail_page_lists_every_check_for_printing(client, coordinator):
    drill = _drill(outcome=DrillOutcome.FAILED, error="WAL 段 0000000100000000000000AB 在 180 秒内没有归档。")
    client.force_login(coordinator)
    page = client.get(f"/ops/drills/{drill.pk}/").content.decode()
    assert "备份恢复测试记录" in page and "时间点前写入的标记行存在" in page
    assert "WAL 段 0000000100000000000000AB" in page and "核查人" in page
    assert "pgBackRest fazhi / 20261130-020000F" in page


@pytest.mark.django_db
def test_only_coordinators_may_read_the_record(client, leader, liaison_a):
    drill = _drill()
    for person in (leader, liaison_a):
        client.force_login(person)
        assert client.get("/ops/drills/").status_code == 403
        assert client.get(f"/ops/drills/{drill.pk}/").status_code == 403
    client.logout()
    assert client.get("/ops/drills/").status_code == 302


@pytest.mark.django_db
def test_an_unknown_drill_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/ops/drills/999999/").status_code == 404


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_at_1_and_50_drills(client, coordinator):
    client.force_login(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/ops/drills/").status_code == 200
        return len(captured)

    _drill()
    client.get("/ops/drills/")  # warm the session
    one = queries()
    for _ in range(49):
        _drill()
    assert queries() == one

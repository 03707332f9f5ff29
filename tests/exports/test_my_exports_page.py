"""我的导出 is cached per user (issue 15): a new job, each state it moves through and a pruned job show on the
very next request; nobody is served another user's list; the queries do not grow with the list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exports import services
from exports.models import ExportJob, ExportKind
from tests.reports.test_cached_pages import _html, _queries

pytestmark = pytest.mark.django_db


def _ask(user, world, n=0):
    return services.request_export(user=user, kind=ExportKind.PERIOD_XLSX, params={"period": world.period.pk,
                                                                                    "n": n})


def test_a_new_job_its_states_and_its_pruning_show_at_once(world, leader, leader_client):
    assert "还没有导出过文件" in _html(leader_client, "/exports/")
    job = _ask(leader, world)
    html = _html(leader_client, "/exports/")
    assert job.title in html and "排队中" in html
    services.run_export(job_id=job.pk)
    html = _html(leader_client, "/exports/")
    assert "已完成" in html and f"/exports/{job.pk}/download/" in html
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert services.prune_exports() == 1
    assert "还没有导出过文件" in _html(leader_client, "/exports/")


def test_a_job_deleted_in_the_admin_leaves_the_list(world, leader, leader_client):
    job = _ask(leader, world)
    assert job.title in _html(leader_client, "/exports/")
    job.delete()  # as the admin's delete does: no service involved
    assert "还没有导出过文件" in _html(leader_client, "/exports/")


def test_nobody_is_served_another_users_list(world, leader, coordinator, leader_client, coordinator_client):
    job = _ask(leader, world)
    assert job.title in _html(leader_client, "/exports/")
    assert job.title not in _html(coordinator_client, "/exports/")
    mine = _ask(coordinator, world)
    assert f"/exports/{mine.pk}/" in _html(coordinator_client, "/exports/")
    assert f"/exports/{mine.pk}/" not in _html(leader_client, "/exports/")


def test_my_exports_runs_the_same_queries_cold_at_1_and_50_jobs_and_fewer_warm(world, leader, leader_client):
    _ask(leader, world)
    cold_one = _queries(leader_client, "/exports/", cold=True)
    warm = _queries(leader_client, "/exports/", cold=False)
    for n in range(1, 50):
        _ask(leader, world, n)
    assert _html(leader_client, "/exports/").count("排队中") == 50
    assert _queries(leader_client, "/exports/", cold=True) == cold_one
    assert _queries(leader_client, "/exports/", cold=False) == warm < cold_one

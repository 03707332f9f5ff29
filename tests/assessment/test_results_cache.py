"""The results page caches its ranking table under the scheme's version: every write through the services that
changes a result bumps it, so a leader never reads a stale ranking, and a repeated read skips the computation."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import services
from assessment.models import CategoryMembership, SchemeState
from tests.assessment.support import YEAR

URL = f"/assessment/{YEAR}/results/"


def _row(client, unit: str) -> str:
    page = client.get(URL).content.decode()
    return re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{unit}.*?</tr>", page, re.S).group(0)


def _score_and_result_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    tables = ('"assessment_score"', '"assessment_result"')
    return [q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in tables)]


def test_a_repeated_read_of_the_live_ranking_does_not_sum_the_scores_again(in_review, leader_client):
    assert _score_and_result_queries(leader_client)  # the first read computes
    assert _score_and_result_queries(leader_client) == []  # the second is the cached table
    assert "98.00" in _row(leader_client, "测试市司法局")


def test_a_score_changed_in_review_shows_at_once(in_review, leader_client, coordinator, unit_a,
                                                 django_capture_on_commit_callbacks):
    assert "98.00" in _row(leader_client, "测试市司法局")
    a = CategoryMembership.objects.get(unit=unit_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_score(membership=a, indicator=in_review.filing, score=D(10), reason="五件逾期",
                              user=coordinator, as_office=True)
    assert "90.00" in _row(leader_client, "测试市司法局")


def test_new_grading_rules_show_at_once(in_review, leader_client, django_capture_on_commit_callbacks):
    assert "良好" in _row(leader_client, "测试市司法局")  # 98, alone in its category: the 优秀 cap leaves it 良好
    with django_capture_on_commit_callbacks(execute=True):
        services.update_scheme_settings(scheme=in_review.scheme, excellent_threshold=D(100), good_threshold=D(99))
    assert "合格" in _row(leader_client, "测试市司法局")


def test_lock_and_an_upheld_objection_show_at_once(in_review, leader_client, coordinator, liaison_a, unit_a, unit_b,
                                                   django_capture_on_commit_callbacks):
    b = CategoryMembership.objects.get(unit=unit_b)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_score(membership=b, indicator=in_review.filing, score=D(20), reason="", user=coordinator,
                              as_office=True)
    assert "未评项" in leader_client.get(URL).content.decode()  # live: the column of items not yet scored
    with django_capture_on_commit_callbacks(execute=True):
        services.move_scheme(scheme=in_review.scheme, to=SchemeState.LOCKED, user=coordinator)
    page = leader_client.get(URL).content.decode()
    assert "未评项" not in page and "98.00" in _row(leader_client, "测试市司法局")
    today = dt.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        services.move_scheme(scheme=in_review.scheme, to=SchemeState.PUBLISHED, user=coordinator, today=today)
    a = CategoryMembership.objects.get(unit=unit_a)
    objection = services.raise_objection(membership=a, text="备案并未逾期", indicator=in_review.filing, user=liaison_a,
                                         today=today)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_objection(objection=objection, answer="核实后备案未逾期。", upheld=True, new_score=D(20),
                                  user=coordinator)
    assert "100.00" in _row(leader_client, "测试市司法局")


REVIEW = f"/assessment/{YEAR}/review/"


def _review_row(client, unit: str) -> str:
    page = client.get(REVIEW).content.decode()
    return re.search(rf"<tr><th><a [^>]*>{unit}</a></th>.*?</tr>", page, re.S).group(0)  # the short name


def test_the_review_matrix_is_read_once_and_follows_every_score(in_review, coordinator_client, coordinator, unit_a,
                                                              django_capture_on_commit_callbacks):
    row = _review_row(coordinator_client, "司法局")
    assert '<td class="num cell-office">18</td>' in row and '<td class="num cell-office">50</td>' in row
    with CaptureQueriesContext(connection) as ctx:
        coordinator_client.get(REVIEW)
    assert not [q for q in ctx.captured_queries if '"assessment_score"' in q["sql"]]  # the cached matrix
    a = CategoryMembership.objects.get(unit=unit_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_score(membership=a, indicator=in_review.filing, score=D(10), reason="五件逾期",
                              user=coordinator, as_office=True)
    row = _review_row(coordinator_client, "司法局")
    assert '<td class="num cell-office">10</td>' in row and ">18<" not in row

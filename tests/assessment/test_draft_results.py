"""Draft results while items are still unscored: such a unit is 待评定 (never 不合格 for scores nobody gave yet)
and takes no 优秀 place, on the results page, in the results workbook and in ``assessment_results --draft``."""

from __future__ import annotations

import json
import re
from decimal import Decimal as D
from io import BytesIO, StringIO

from django.core.management import call_command
from openpyxl import load_workbook

from assessment import services
from assessment.models import CategoryMembership
from assessment.rules import Entry, Grade, Thresholds, rank_category
from tests.assessment.support import YEAR

URL = f"/assessment/{YEAR}/results/"


def _row(page: str, unit: str) -> str:
    return re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{unit}.*?</tr>", page, re.S).group(0)


def test_a_unit_with_unscored_items_is_pending_not_failed_on_the_results_page(in_review, leader_client):
    towns = leader_client.get(f"{URL}?category={in_review.towns.pk}").content.decode()
    row = _row(towns, "测试市甲镇人民政府")
    assert "待评定" in row and "不合格" not in row and "grade-pending" in row
    assert "乡镇街道（评分未完成）" in towns and "1 个单位还有评分项未评分，等次为“待评定”" in towns
    depts = leader_client.get(f"{URL}?category={in_review.depts.pk}").content.decode()
    assert "良好" in _row(depts, "测试市司法局")  # every item scored: graded (98 points, cap 0 of 1 unit)
    assert "评分未完成" not in depts


def test_the_last_score_turns_pending_into_a_grade_at_once(in_review, leader_client, coordinator, unit_b,
                                                           django_capture_on_commit_callbacks):
    url = f"{URL}?category={in_review.towns.pk}"
    assert "待评定" in _row(leader_client.get(url).content.decode(), "测试市甲镇人民政府")  # cached now
    b = CategoryMembership.objects.get(unit=unit_b)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_score(membership=b, indicator=in_review.filing, score=D(20), reason="", user=coordinator,
                              as_office=True)
    page = leader_client.get(url).content.decode()
    assert "待评定" not in page and "评分未完成" not in page
    assert "良好" in _row(page, "测试市甲镇人民政府")


def test_the_draft_command_and_the_workbook_say_pending_too(in_review, leader_client):
    out = StringIO()
    call_command("assessment_results", "--year", str(YEAR), "--json", "--draft", stdout=out)
    grades = {r["unit"]: r["grade"] for r in json.loads(out.getvalue())}
    assert grades == {"测试市司法局": "良好", "测试市甲镇人民政府": "待评定"}
    ws = load_workbook(BytesIO(leader_client.get(f"{URL[:-1]}.xlsx").content)).worksheets[0]
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r[1] in grades}
    assert "评分未完成" in ws["A1"].value
    assert rows["测试市甲镇人民政府"][6:8] == ("待评定", "1 项未评分")
    assert rows["测试市司法局"][6] == "良好"


def test_a_pending_unit_takes_no_excellent_place():
    t = Thresholds(excellent=D(90), good=D(80), passing=D(60), excellent_cap_percent=50)
    got = rank_category([Entry(1, D(99), pending=True), Entry(2, D(95)), Entry(3, D(92)), Entry(4, D(50), True,
                                                                                             pending=True)], t)
    assert [(r.unit_id, r.rank, r.grade) for r in got] == [
        (1, 1, "pending"), (2, 2, Grade.EXCELLENT), (3, 3, Grade.EXCELLENT), (4, 4, Grade.FAIL)]  # a veto stays 不合格

"""Editing a scheme in the browser: create or copy, rules, categories and members, the tree; bad input kept."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment.models import Category, CategoryMembership, Indicator, Scheme, SchemeState
from tests.assessment.support import YEAR, build_small


def test_create_a_scheme_and_build_it_in_the_browser(coordinator_client, unit_a, unit_b):
    response = coordinator_client.post("/assessment/", {"year": "2031", "name": "2031年度考核细则"})
    assert response.status_code == 302
    scheme = Scheme.objects.get(year=2031)
    response = coordinator_client.post("/assessment/", {"year": "2031", "name": "重复"})
    assert response.status_code == 400 and "2031 年度已有考核方案" in response.content.decode()

    assert coordinator_client.post("/assessment/2031/members/", {
        "action": "category", "name": "乡镇街道", "declared_total": "100", "order": "1"}).status_code == 302
    towns = Category.objects.get(scheme=scheme)
    assert coordinator_client.post("/assessment/2031/members/", {
        f"unit_{unit_b.pk}": str(towns.pk), f"unit_{unit_a.pk}": ""}).status_code == 302
    assert list(CategoryMembership.objects.filter(scheme=scheme).values_list("unit_id", flat=True)) == [unit_b.pk]

    assert coordinator_client.post("/assessment/2031/indicators/new/", {
        "level": "1", "title": "依法履职", "points": "100", "order": "1"}).status_code == 302
    top = Indicator.objects.get(scheme=scheme, level=1)
    assert coordinator_client.post("/assessment/2031/indicators/new/", {
        "level": "2", "parent": top.pk, "title": "制度建设", "points": "100", "order": "1"}).status_code == 302
    mid = Indicator.objects.get(scheme=scheme, level=2)
    # A per-occurrence item without its deduction is refused, with what was typed kept.
    response = coordinator_client.post("/assessment/2031/indicators/new/", {
        "level": "3", "parent": mid.pk, "title": "文件备案", "points": "100", "order": "1",
        "rule_kind": "per_occurrence", "categories": [towns.pk]})
    assert response.status_code == 400 and "必须填写扣分分值" in response.content.decode()
    assert "文件备案" in response.content.decode()
    assert not Indicator.objects.filter(level=3).exists()
    # A rate measure on a count rule is refused.
    response = coordinator_client.post("/assessment/2031/indicators/new/", {
        "level": "3", "parent": mid.pk, "title": "文件备案", "points": "100", "order": "1",
        "rule_kind": "per_occurrence", "deduction": "1", "measure": "on_time_rate", "categories": [towns.pk]})
    assert response.status_code == 400 and "不匹配" in response.content.decode()
    # 90 of 100: the scheme does not add up and cannot open.
    assert coordinator_client.post("/assessment/2031/indicators/new/", {
        "level": "3", "parent": mid.pk, "title": "文件备案", "points": "90", "order": "1",
        "rule_kind": "discretionary", "categories": [towns.pk]}).status_code == 302
    page = coordinator_client.get("/assessment/2031/").content.decode()
    assert "方案还不能开始考核" in page and "“制度建设”分值 100 分，适用于“乡镇街道”的下级指标合计 90 分" in page
    page = coordinator_client.post("/assessment/2031/move/", {"to": "self"}, follow=True).content.decode()
    assert "分值不一致或方案不完整，不能开始考核" in page
    scheme.refresh_from_db()
    assert scheme.state == SchemeState.DRAFT
    leaf = Indicator.objects.get(scheme=scheme, level=3)
    assert coordinator_client.post(f"/assessment/2031/indicators/{leaf.pk}/", {
        "level": "3", "parent": mid.pk, "title": "文件备案", "points": "100", "order": "1",
        "rule_kind": "discretionary", "categories": [towns.pk]}).status_code == 302
    coordinator_client.post("/assessment/2031/move/", {"to": "self"})
    scheme.refresh_from_db()
    assert scheme.state == SchemeState.SELF
    # Open: the tree is frozen.
    response = coordinator_client.post(f"/assessment/2031/indicators/{leaf.pk}/delete/", follow=True)
    assert "不能再修改" in response.content.decode()
    assert Indicator.objects.filter(pk=leaf.pk).exists()


def test_rules_are_set_per_scheme_and_bad_ones_refused(coordinator_client, unit_a, unit_b):
    small = build_small(unit_a, unit_b)
    url = f"/assessment/{YEAR}/settings/"
    data = {"name": small.scheme.name, "excellent_threshold": "85", "good_threshold": "90", "pass_threshold": "60",
            "excellent_cap_percent": "30", "objection_days": "7", "bonus_limit": "3"}
    response = coordinator_client.post(url, data)
    assert response.status_code == 400 and "分数线须满足" in response.content.decode()
    data["good_threshold"] = "75"
    assert coordinator_client.post(url, data).status_code == 302
    small.scheme.refresh_from_db()
    assert (small.scheme.excellent_threshold, small.scheme.objection_days) == (D(85), 7)
    page = coordinator_client.get(f"/assessment/{YEAR}/").content.decode()
    assert "优秀 ≥ 85 分" in page and "公示后 7 个自然日" in page


def test_copy_last_years_scheme_from_the_list(coordinator_client, unit_a, unit_b):
    small = build_small(unit_a, unit_b)
    response = coordinator_client.post("/assessment/", {"year": str(YEAR + 1), "name": "下一年度考核细则",
                                                        "copy_from": small.scheme.pk})
    assert response.status_code == 302
    copy = Scheme.objects.get(year=YEAR + 1)
    assert copy.indicators.count() == small.scheme.indicators.count()
    assert "分值核对无误" in coordinator_client.get(f"/assessment/{YEAR + 1}/").content.decode()


@pytest.mark.parametrize("value", ["abc", "1e5", "99999", "-1", "1.234"])
def test_points_that_do_not_round_trip_are_refused(coordinator_client, unit_a, unit_b, value):
    small = build_small(unit_a, unit_b)
    response = coordinator_client.post(f"/assessment/{YEAR}/indicators/new/", {
        "level": "1", "title": "新指标", "points": value, "order": "1"})
    assert response.status_code == 400
    assert not small.scheme.indicators.filter(title="新指标").exists()

"""Services: opening, scoring refusals, lock, objections, copying, computed measures."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from assessment import services
from assessment.models import Result, SchemeState, Score
from assessment.results import live_results
from tests.assessment.support import build_small


@pytest.fixture
def small(unit_a, unit_b):
    return build_small(unit_a, unit_b)


def test_a_scheme_that_adds_up_opens(small, coordinator):
    assert services.scheme_problems(small.scheme) == []
    services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)
    small.scheme.refresh_from_db()
    assert small.scheme.state == SchemeState.SELF


def test_a_scheme_whose_points_do_not_add_up_cannot_open(small, coordinator):
    small.cases.points = D(45)
    small.cases.save()
    with pytest.raises(ValidationError) as exc:
        services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)
    assert any("“行政执法案卷评查”分值 50 分" in m for m in exc.value.messages)
    small.scheme.refresh_from_db()
    assert small.scheme.state == SchemeState.DRAFT


def _open_scoring(small, coordinator):
    services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)
    services.move_scheme(scheme=small.scheme, to=SchemeState.SCORING, user=coordinator)
    small.scheme.refresh_from_db()


@pytest.mark.parametrize(("score", "reason", "message"), [
    (D(21), "x", "得分不能高于本项分值 20 分。"),
    (D(-1), "x", "得分不能低于 0 分。"),
    (D(15), "", "低于满分时必须填写扣分理由。"),
])
def test_bad_scores_are_refused_and_nothing_is_saved(small, coordinator, score, reason, message):
    _open_scoring(small, coordinator)
    membership = small.scheme.memberships.get(unit__name="测试市司法局")
    with pytest.raises(ValidationError) as exc:
        services.record_score(membership=membership, indicator=small.filing, score=score, reason=reason,
                              user=small.scorer)
    assert message in exc.value.messages
    assert not Score.objects.exists()


def test_a_scorer_without_a_grant_is_refused(small, coordinator):
    _open_scoring(small, coordinator)
    membership = small.scheme.memberships.get(unit__name="测试市司法局")
    with pytest.raises(services.AssessmentRefused):
        services.record_score(membership=membership, indicator=small.cases, score=D(50), reason="",
                              user=small.scorer)
    assert not Score.objects.exists()


def test_lock_stores_results_with_conversion_bonus_and_computed_full_marks(small, coordinator):
    _open_scoring(small, coordinator)
    a = small.scheme.memberships.get(unit__name="测试市司法局")
    b = small.scheme.memberships.get(unit__name="测试市甲镇人民政府")
    services.record_score(membership=a, indicator=small.filing, score=D(18), reason="一件逾期备案", user=small.scorer)
    services.record_score(membership=b, indicator=small.filing, score=D(15), reason="两件逾期", user=small.scorer)
    services.record_score(membership=a, indicator=small.cases, score=D(40), reason="两卷不合格", user=small.scorer2)
    with pytest.raises(ValidationError):  # bonus above the limit of the item
        services.record_score(membership=b, indicator=small.bonus, score=D(4), reason="x", user=coordinator,
                              as_office=True)
    services.move_scheme(scheme=small.scheme, to=SchemeState.REVIEW, user=coordinator)
    services.record_score(membership=b, indicator=small.bonus, score=D(2), reason="省级示范", user=coordinator,
                          as_office=True)
    services.move_scheme(scheme=small.scheme, to=SchemeState.LOCKED, user=coordinator)
    ra, rb = Result.objects.get(membership=a), Result.objects.get(membership=b)
    # No reports owed this year: 按时报送 is 无此项任务, full 30.
    assert (ra.base, ra.converted, ra.total, ra.grade) == (D("88.00"), D("88.00"), D("88.00"), "good")
    assert (rb.base, rb.converted, rb.bonus, rb.total) == (D("45.00"), D("90.00"), D("2.00"), D("92.00"))
    # One town alone: the 优秀 cap (30 % of 1 → 0) leaves it 良好.
    assert rb.grade == "good"
    assert Score.objects.filter(membership=a, indicator=small.on_time, computed=D(30)).exists()
    with pytest.raises(ValidationError):
        services.record_score(membership=a, indicator=small.filing, score=D(20), reason="", user=small.scorer)
    assert Score.objects.get(membership=a, indicator=small.filing).score == D(18)


def test_lock_is_refused_while_items_are_unscored(small, coordinator):
    _open_scoring(small, coordinator)
    services.move_scheme(scheme=small.scheme, to=SchemeState.REVIEW, user=coordinator)
    with pytest.raises(ValidationError) as exc:
        services.move_scheme(scheme=small.scheme, to=SchemeState.LOCKED, user=coordinator)
    assert "未评分" in exc.value.messages[0]
    small.scheme.refresh_from_db()
    assert small.scheme.state == SchemeState.REVIEW
    assert not Result.objects.exists()


def test_veto_ranks_last_and_fails(small, coordinator, unit_a):
    from tests.factories import UnitFactory

    other = UnitFactory(name="测试市乙局")
    services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)
    services.move_scheme(scheme=small.scheme, to=SchemeState.DRAFT, user=coordinator)
    services.set_memberships(scheme=small.scheme, assignments={other.pk: small.depts})
    _open_scoring(small, coordinator)
    services.move_scheme(scheme=small.scheme, to=SchemeState.REVIEW, user=coordinator)
    for m in small.scheme.memberships.all():
        services.record_score(membership=m, indicator=small.filing, score=D(20), reason="", user=coordinator,
                              as_office=True)
        if m.category == small.depts:
            services.record_score(membership=m, indicator=small.cases, score=D(50) if m.unit == unit_a else D(30),
                                  reason="" if m.unit == unit_a else "四卷不合格", user=coordinator, as_office=True)
    a = small.scheme.memberships.get(unit=unit_a)
    services.record_score(membership=a, indicator=small.veto, score=D(0), vetoed=True, reason="发生重大违法案件",
                          user=coordinator, as_office=True)
    rows = {r.unit.name: r for r in live_results(small.scheme)}
    assert (rows["测试市司法局"].total, rows["测试市司法局"].rank, rows["测试市司法局"].grade) == (D(100), 2, "fail")
    assert (rows["测试市乙局"].total, rows["测试市乙局"].rank, rows["测试市乙局"].grade) == (D(80), 1, "good")


def test_copy_scheme_starts_the_next_year(small, coordinator):
    copy = services.copy_scheme(source=small.scheme, year=2027, name="2027年度考核细则")
    assert copy.state == SchemeState.DRAFT
    assert copy.indicators.count() == small.scheme.indicators.count()
    assert copy.memberships.count() == 2
    assert services.scheme_problems(copy) == []
    leaf = copy.indicators.get(title="规范性文件按规定报送备案")
    assert list(leaf.grants.values_list("user__username", flat=True)) == ["scorer"]
    assert {c.name for c in leaf.categories.all()} == {"有执法职能部门", "乡镇街道"}

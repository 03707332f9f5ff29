"""The rule engine, table by table: every rule kind, caps, floors, veto, bonus limits, 折算, tree validation."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment.rules import (
    Entry,
    Grade,
    Node,
    Rule,
    RuleKind,
    Thresholds,
    clamp_bonus,
    convert,
    excellent_cap,
    rank_category,
    rule_text,
    score_bounds,
    score_from_count,
    score_from_rate,
    score_problem,
    tree_problems,
)


@pytest.mark.parametrize(("rule", "count", "expected"), [
    (Rule(RuleKind.FIXED, D(2), D("0.5")), 0, D("2.00")),
    (Rule(RuleKind.FIXED, D(2), D("0.5")), 1, D("1.50")),
    (Rule(RuleKind.FIXED, D(2), D("0.5")), 7, D("1.50")),  # a fixed deduction is taken once
    (Rule(RuleKind.FIXED, D(1), D(3)), 1, D("0.00")),  # never below zero
    (Rule(RuleKind.PER_OCCURRENCE, D(2), D("0.3"), D("0.9")), 0, D("2.00")),
    (Rule(RuleKind.PER_OCCURRENCE, D(2), D("0.3"), D("0.9")), 2, D("1.40")),
    (Rule(RuleKind.PER_OCCURRENCE, D(2), D("0.3"), D("0.9")), 3, D("1.10")),
    (Rule(RuleKind.PER_OCCURRENCE, D(2), D("0.3"), D("0.9")), 50, D("1.10")),  # the cap holds
    (Rule(RuleKind.PER_OCCURRENCE, D(2), D("0.5")), 3, D("0.50")),
    (Rule(RuleKind.PER_OCCURRENCE, D(2), D("0.5")), 9, D("0.00")),  # without a cap: down to zero, not below
    (Rule(RuleKind.PER_OCCURRENCE, D(1), D("0.5"), D(5)), 9, D("0.00")),  # a cap above the points is the points
])
def test_count_rules_deduct_with_caps_and_floors(rule, count, expected):
    assert score_from_count(rule, count) == expected


@pytest.mark.parametrize("kind", [RuleKind.RATE, RuleKind.DISCRETIONARY, RuleKind.VETO, RuleKind.BONUS])
def test_count_scoring_is_only_for_count_rules(kind):
    with pytest.raises(ValueError):
        score_from_count(Rule(kind, D(2)), 1)


@pytest.mark.parametrize(("rate", "expected"), [
    (D(1), D("4.00")), (D("0.875"), D("3.50")), (D(0), D("0.00")), (D("1.2"), D("4.00")), (D("-0.1"), D("0.00")),
    (D(2) / D(3), D("2.67")),
])
def test_rate_rule_is_points_times_rate_clamped(rate, expected):
    assert score_from_rate(Rule(RuleKind.RATE, D(4)), rate) == expected


@pytest.mark.parametrize(("kind", "score", "reason", "problem"), [
    (RuleKind.DISCRETIONARY, D(3), "", ""),
    (RuleKind.DISCRETIONARY, D("3.5"), "", "得分不能高于本项分值 3 分。"),
    (RuleKind.DISCRETIONARY, D(-1), "理由", "得分不能低于 0 分。"),
    (RuleKind.DISCRETIONARY, D(2), "", "低于满分时必须填写扣分理由。"),
    (RuleKind.DISCRETIONARY, D(2), "  ", "低于满分时必须填写扣分理由。"),
    (RuleKind.DISCRETIONARY, D(2), "未按要求开展", ""),
    (RuleKind.DISCRETIONARY, D("2.555"), "x", "分数最多保留两位小数。"),
    (RuleKind.FIXED, D("2.5"), "未制定方案", ""),
    (RuleKind.BONUS, D(3), "获评省级示范", ""),
    (RuleKind.BONUS, D(-3), "被通报批评", ""),
    (RuleKind.BONUS, D(-4), "x", "减分不能超过 3 分。"),
    (RuleKind.BONUS, D(4), "x", "得分不能高于本项分值 3 分。"),
    (RuleKind.BONUS, D(1), "", "加分或减分必须填写理由。"),
    (RuleKind.BONUS, D(0), "", ""),
])
def test_score_problems_in_chinese(kind, score, reason, problem):
    assert score_problem(Rule(kind, D(3)), score, reason) == problem


def test_bounds_per_kind():
    assert score_bounds(Rule(RuleKind.BONUS, D(3))) == (D(-3), D(3))
    assert score_bounds(Rule(RuleKind.VETO, D(0))) == (D(0), D(0))
    assert score_bounds(Rule(RuleKind.RATE, D(5))) == (D(0), D(5))


@pytest.mark.parametrize(("total", "limit", "expected"), [
    (D(2), D(3), D("2.00")), (D(5), D(3), D("3.00")), (D(-7), D(3), D("-3.00")), (D(1), D(0), D("0.00")),
])
def test_bonus_total_is_clamped_to_the_limit(total, limit, expected):
    assert clamp_bonus(total, limit) == expected


@pytest.mark.parametrize(("total", "declared", "expected"), [
    (D(45), D(50), D("90.00")), (D("33.33"), D(50), D("66.66")), (D(100), D(100), D("100.00")),
    (D("47.5"), D(60), D("79.17")),
])
def test_conversion_to_a_hundred(total, declared, expected):
    assert convert(total, declared) == expected


def test_conversion_refuses_a_zero_total():
    with pytest.raises(ValueError):
        convert(D(1), D(0))


def test_rule_texts_name_the_numbers():
    assert "每次扣 0.3 分，累计扣分不超过 0.9 分" in rule_text(Rule(RuleKind.PER_OCCURRENCE, D(2), D("0.3"), D("0.9")))
    assert "一票否决" in rule_text(Rule(RuleKind.VETO, D(0)))


T = Thresholds(D(90), D(80), D(60), 30)


def _ranked(scores, vetoed=(), t=T):
    entries = [Entry(i, D(s), i in vetoed) for i, s in enumerate(scores, start=1)]
    return [(r.unit_id, r.rank, Grade(r.grade).label) for r in rank_category(entries, t)]


def test_ties_share_ranks():
    assert _ranked([85, 95, 85, 70]) == [(2, 1, "优秀"), (1, 2, "良好"), (3, 2, "良好"), (4, 4, "合格")]


def test_grades_by_thresholds():
    assert _ranked([59.99, 60, 79.99, 80, 89.99, 90, 100, 100, 100, 100], t=Thresholds(D(90), D(80), D(60), 100)) == [
        (7, 1, "优秀"), (8, 1, "优秀"), (9, 1, "优秀"), (10, 1, "优秀"), (6, 5, "优秀"), (5, 6, "良好"), (4, 7, "良好"),
        (3, 8, "合格"), (2, 9, "合格"), (1, 10, "不合格")]


@pytest.mark.parametrize(("n", "percent", "cap"), [(10, 30, 3), (7, 30, 2), (3, 30, 0), (100, 30, 30), (5, 0, 0)])
def test_excellent_cap_rounds_down(n, percent, cap):
    assert excellent_cap(n, percent) == cap


def test_excellent_cap_takes_the_best():
    # 10 units, cap 3: four score ≥ 90, the fourth drops to 良好.
    got = _ranked([99, 98, 97, 96, 50, 50, 50, 50, 50, 50])
    assert [g for _, _, g in got[:4]] == ["优秀", "优秀", "优秀", "良好"]


def test_units_tied_at_the_cap_edge_all_drop():
    # Cap 3: 99, then three units on 95 compete for the last two places; all three drop.
    got = _ranked([99, 95, 95, 95, 50, 50, 50, 50, 50, 50])
    assert got[:4] == [(1, 1, "优秀"), (2, 2, "良好"), (3, 2, "良好"), (4, 2, "良好")]


def test_a_tie_inside_the_cap_stays_excellent():
    got = _ranked([99, 99, 95, 91, 50, 50, 50, 50, 50, 50])
    assert [g for _, _, g in got[:4]] == ["优秀", "优秀", "优秀", "良好"]


def test_veto_fails_and_ranks_last_with_its_score():
    got = rank_category([Entry(1, D(98), True), Entry(2, D(70)), Entry(3, D(85)), Entry(4, D(40), True)], T)
    assert [(r.unit_id, r.rank, r.grade, r.score) for r in got] == [
        (3, 1, Grade.GOOD, D(85)), (2, 2, Grade.PASS, D(70)), (1, 3, Grade.FAIL, D(98)), (4, 4, Grade.FAIL, D(40))]


def test_vetoed_units_do_not_tie_with_others_on_equal_scores():
    got = rank_category([Entry(1, D(80), True), Entry(2, D(80))], T)
    assert [(r.unit_id, r.rank) for r in got] == [(2, 1), (1, 2)]


def _leaf(key, points, cats=("镇街",), kind=RuleKind.DISCRETIONARY):
    return Node(key, D(points), kind, frozenset(cats))


def test_a_tree_that_adds_up_has_no_problems():
    roots = [
        Node("依法履职", D(60), children=[
            Node("制度建设", D(30), children=[_leaf("a", 10), _leaf("b", 20)]),
            Node("执法", D(30), children=[_leaf("c", 30)]),
        ]),
        Node("组织保障", D(40), children=[Node("领导", D(40), children=[_leaf("d", 40)])]),
        Node("附加项", D(3), children=[Node("加减分", D(3), children=[
            _leaf("加分", 3, kind=RuleKind.BONUS), _leaf("否决", 0, kind=RuleKind.VETO)])]),
    ]
    assert tree_problems(roots, {"镇街": D(100)}) == []


def test_children_must_sum_to_the_parent_and_categories_to_their_total():
    roots = [Node("依法履职", D(60), children=[Node("制度建设", D(30), children=[_leaf("a", 10), _leaf("b", 15)])])]
    problems = tree_problems(roots, {"镇街": D(100)})
    assert "“依法履职”分值 60 分，适用于“镇街”的下级指标合计 30 分，两者不一致。" in problems
    assert "“制度建设”分值 30 分，适用于“镇街”的下级指标合计 25 分，两者不一致。" in problems
    assert "“镇街”各一级指标合计 60 分，应为 100 分。" in problems


def test_alternatives_per_category_and_a_declared_total_of_fifty():
    roots = [Node("共性指标", D(50), children=[Node("执法监督", D(50), children=[
        _leaf("执法部门项", 50, cats=("执法部门",)), _leaf("非执法部门项", 50, cats=("非执法部门",))])])]
    assert tree_problems(roots, {"执法部门": D(50), "非执法部门": D(50)}) == []


def test_leaf_problems_are_named():
    roots = [Node("一", D(10), children=[Node("二", D(10), children=[
        _leaf("无类别", 5, cats=()), _leaf("错类别", 5, cats=("不存在",)), _leaf("零分", 0)])])]
    problems = tree_problems(roots, {"镇街": D(10)})
    assert "“无类别”没有指定适用单位类别。" in problems
    assert "“错类别”的适用单位类别“不存在”不存在。" in problems
    assert "“零分”分值必须大于 0。" in problems


def test_an_empty_scheme_cannot_open():
    assert tree_problems([], {"镇街": D(100)}) == ["考核方案还没有任何指标。"]

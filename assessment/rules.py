"""The assessment's arithmetic as pure functions: no database, no Django models, table-tested.

Everything here works on ``Decimal`` with two places (what the database stores), so a result computed
live and a result stored at lock compare equal. The services feed these functions with rows they read
in a fixed number of queries; the pages print ``RULE_TEXTS`` so every rule applied is also shown.

Decisions where real schemes differ (README "Assessment"):
- An item never goes below zero and never above its points; a bonus item moves between −points and
  +points, and the unit's bonuses and deductions together are clamped to the scheme's bonus limit.
- 折算: converted = total × 100 ÷ the category's declared total, rounded half-up to two places; the bonus
  is added after conversion (it sits outside the 100).
- A veto (一票否决) makes the unit 不合格 whatever its score; it is ranked after every unit without a veto
  in its category, and its score is still shown.
- Ranks are shared on ties (1, 2, 2, 4) on the converted score with bonus.
- 优秀 is capped at a share of the category's units (rounded down); when the units at the cap's edge are
  tied, all of them drop to 良好 rather than picking some.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from fazhi.ranking import shared_ranks

TWO = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


def pts(value: Decimal | int | None) -> str:
    """A score as people write it: 60, 0.5, 2.25 (never 6E+1)."""
    if value is None:
        return ""
    text = format(Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def q2(value: Decimal | int | float | str) -> Decimal:
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


class RuleKind(models.TextChoices):
    FIXED = "fixed", "未达要求定额扣分"
    PER_OCCURRENCE = "per_occurrence", "按次扣分（累计有上限）"
    RATE = "rate", "按比例得分"
    DISCRETIONARY = "discretionary", "酌情赋分"
    VETO = "veto", "一票否决"
    BONUS = "bonus", "加分/减分（附加项）"

    @classmethod
    def extras(cls) -> tuple[str, ...]:
        """Kinds outside the category's 100: they never count toward the declared total."""
        return (cls.VETO, cls.BONUS)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


# A draft result of a unit with items still unscored: no grade yet. Never stored (locking needs every item
# scored), so it is no choice of ``Result.grade``.
PENDING = "pending"
PENDING_LABEL = "待评定"


def grade_label(grade: str) -> str:
    if grade == PENDING:
        return PENDING_LABEL
    return Grade(grade).label if grade else ""


@dataclass(frozen=True)
class Rule:
    kind: str
    points: Decimal
    deduction: Decimal = ZERO  # per failure / per occurrence
    cap: Decimal | None = None  # the most a per-occurrence rule takes; None: up to the item's points


def rule_text(rule: Rule) -> str:
    """The rule as the results page prints it."""
    p = pts(rule.points)
    if rule.kind == RuleKind.FIXED:
        return f"满分 {p} 分；未达要求扣 {pts(rule.deduction)} 分，扣完为止。"
    if rule.kind == RuleKind.PER_OCCURRENCE:
        cap = rule.cap if rule.cap is not None else rule.points
        return f"满分 {p} 分；每次扣 {pts(rule.deduction)} 分，累计扣分不超过 {pts(min(cap, rule.points))} 分。"
    if rule.kind == RuleKind.RATE:
        return f"满分 {p} 分；按完成比例得分（比例 × {p}）。"
    if rule.kind == RuleKind.DISCRETIONARY:
        return f"满分 {p} 分；达到要求得满分，部分达到酌情赋分，未开展不得分。"
    if rule.kind == RuleKind.VETO:
        return "触发即一票否决，等次为不合格（得分照常显示）。"
    return f"在 −{p} 至 +{p} 分之间加分或减分，计入附加项。"


def score_from_count(rule: Rule, count: int) -> Decimal:
    """Score of a FIXED or PER_OCCURRENCE item given the number of failures; never below zero."""
    if count < 0:
        raise ValueError("count must not be negative")
    if rule.kind == RuleKind.FIXED:
        taken = rule.deduction if count > 0 else ZERO
    elif rule.kind == RuleKind.PER_OCCURRENCE:
        limit = rule.points if rule.cap is None else min(rule.cap, rule.points)
        taken = min(rule.deduction * count, limit)
    else:
        raise ValueError(f"{rule.kind} is not scored by count")
    return q2(max(rule.points - taken, ZERO))


def score_from_rate(rule: Rule, rate: Decimal) -> Decimal:
    """RATE: points × rate, the rate clamped to 0…1."""
    rate = min(max(rate, ZERO), Decimal(1))
    return q2(rule.points * rate)


def score_bounds(rule: Rule) -> tuple[Decimal, Decimal]:
    """The lowest and highest score a scorer may give the item."""
    if rule.kind == RuleKind.BONUS:
        return -rule.points, rule.points
    if rule.kind == RuleKind.VETO:
        return ZERO, ZERO
    return ZERO, rule.points


def score_problem(rule: Rule, score: Decimal, reason: str) -> str:
    """Why a score cannot be saved, in Chinese, or "" when it can."""
    low, high = score_bounds(rule)
    if score != q2(score):
        return "分数最多保留两位小数。"
    if score > high:
        return f"得分不能高于本项分值 {pts(high)} 分。"
    if score < low:
        return "得分不能低于 0 分。" if low == ZERO else f"减分不能超过 {pts(-low)} 分。"
    if rule.kind not in RuleKind.extras() and score < rule.points and not reason.strip():
        return "低于满分时必须填写扣分理由。"
    if rule.kind == RuleKind.BONUS and score != ZERO and not reason.strip():
        return "加分或减分必须填写理由。"
    return ""


def clamp_bonus(total: Decimal, limit: Decimal) -> Decimal:
    """A unit's bonuses and deductions together stay within ±limit."""
    return q2(min(max(total, -limit), limit))


def convert(total: Decimal, declared_total: Decimal) -> Decimal:
    """折算 to 100: total × 100 ÷ declared total."""
    if declared_total <= 0:
        raise ValueError("declared total must be positive")
    return q2(total * HUNDRED / declared_total)


# ---- the tree: children sum to their parent, each category to its declared total ----

@dataclass
class Node:
    key: str  # how errors name the node (its code or title)
    points: Decimal
    kind: str = ""  # leaves only
    categories: frozenset[str] = frozenset()  # leaves only: the categories the item applies to
    children: list[Node] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self) -> Iterable[Node]:
        if self.is_leaf:
            yield self
        else:
            for child in self.children:
                yield from child.leaves()

    def is_extra(self) -> bool:
        return all(leaf.kind in RuleKind.extras() for leaf in self.leaves())

    def applies_to(self, category: str) -> bool:
        return any(category in leaf.categories for leaf in self.leaves())


def tree_problems(roots: Sequence[Node], declared: dict[str, Decimal]) -> list[str]:
    """Every reason the scheme cannot be opened for scoring, in Chinese; empty when it adds up.

    For each category, the children of a node that apply to it add up to the node's points, and the
    top-level indicators that apply to it add up to its declared total. Veto and bonus items (and nodes
    made only of them) sit outside the sums. Alternatives for different categories under one parent
    (towns score item A, departments item B) are therefore allowed.
    """
    problems: list[str] = []
    if not roots:
        return ["考核方案还没有任何指标。"]

    def walk(node: Node, category: str) -> None:
        if node.is_leaf or node.is_extra():
            return
        children = [c for c in node.children if c.applies_to(category) and not c.is_extra()]
        total = sum((c.points for c in children), ZERO)
        if children and total != node.points:
            problems.append(f"“{node.key}”分值 {pts(node.points)} 分，适用于“{category}”的下级指标合计 "
                            f"{pts(total)} 分，两者不一致。")
        for child in children:
            walk(child, category)

    for leaf in (leaf for root in roots for leaf in root.leaves()):
        if leaf.points < 0 or (leaf.points == 0 and leaf.kind != RuleKind.VETO):
            problems.append(f"“{leaf.key}”分值必须大于 0。")
        if not leaf.categories:
            problems.append(f"“{leaf.key}”没有指定适用单位类别。")
        unknown = sorted(leaf.categories - set(declared))
        if unknown:
            problems.append(f"“{leaf.key}”的适用单位类别“{'、'.join(unknown)}”不存在。")
    for category, declared_total in declared.items():
        applicable = [r for r in roots if r.applies_to(category) and not r.is_extra()]
        total = sum((r.points for r in applicable), ZERO)
        if total != declared_total:
            problems.append(f"“{category}”各一级指标合计 {pts(total)} 分，应为 {pts(declared_total)} 分。")
        for root in applicable:
            walk(root, category)
    return problems


# ---- grades and ranks ----

@dataclass(frozen=True)
class Thresholds:
    excellent: Decimal = Decimal("90")
    good: Decimal = Decimal("80")
    passing: Decimal = Decimal("60")
    excellent_cap_percent: int = 30


@dataclass(frozen=True)
class Entry:
    unit_id: int
    score: Decimal  # converted score with the bonus
    vetoed: bool = False
    pending: bool = False  # items still unscored (draft): ranked by the score so far, graded 待评定


@dataclass(frozen=True)
class Ranked:
    unit_id: int
    score: Decimal
    vetoed: bool
    rank: int
    grade: str


def grade_by_score(score: Decimal, t: Thresholds) -> str:
    if score >= t.excellent:
        return Grade.EXCELLENT
    if score >= t.good:
        return Grade.GOOD
    if score >= t.passing:
        return Grade.PASS
    return Grade.FAIL


def excellent_cap(n_units: int, percent: int) -> int:
    """How many units of a category may be 优秀: the share rounded down."""
    return math.floor(n_units * percent / 100)


def rank_category(entries: Sequence[Entry], t: Thresholds) -> list[Ranked]:
    """Ranks and grades of one category's units, best first.

    Units without a veto come first by score (ties share a rank: 1, 2, 2, 4), then vetoed units by score,
    ranked after them. Grades by thresholds; a veto is 不合格; at most the cap are 优秀, and if the units at
    the cap's edge tie, every one of them drops to 良好. A pending unit (draft, items unscored, no veto: a veto
    is 不合格 whatever is left) is 待评定 and takes no 优秀 place; the cap stays a share of all the category's units.
    """
    ordered = sorted(entries, key=lambda e: (e.vetoed, -e.score, e.unit_id))
    ranks = shared_ranks([(e.vetoed, e.score) for e in ordered])
    grades = [Grade.FAIL if e.vetoed else PENDING if e.pending else grade_by_score(e.score, t) for e in ordered]
    cap = excellent_cap(len(ordered), t.excellent_cap_percent)
    excellent = [i for i, g in enumerate(grades) if g == Grade.EXCELLENT]
    if len(excellent) > cap:
        # Excellent units come in score order, best first (no vetoes among them; pending units skipped).
        edge_score = ordered[excellent[cap]].score if cap < len(excellent) else None
        for i in excellent[cap:]:
            grades[i] = Grade.GOOD
        if edge_score is not None:
            for i in excellent[:cap]:
                if ordered[i].score == edge_score:
                    grades[i] = Grade.GOOD
    return [Ranked(e.unit_id, e.score, e.vetoed, r, g) for e, r, g in zip(ordered, ranks, grades, strict=True)]


RULE_TEXTS = [
    "各项得分不低于 0 分、不高于该项分值；低于满分须写明扣分理由。",
    "附加项加分、减分合计不超过方案规定的上下限，计入总分但不计入基础分。",
    "折算得分 = 基础得分 × 100 ÷ 该类别满分；总分 = 折算得分 + 附加项得分。",
    "触发一票否决的单位等次为不合格，在本类别中排在最后，得分照常显示。",
    "排名按总分从高到低，分数相同名次并列（如 1、2、2、4）。",
    "优秀名额按本类别单位数乘以比例向下取整；名额边缘分数相同的单位全部降为良好。",
    "绑定平台数据的指标按本年度数据自动计算；本单位无此项任务的，该项得满分并注明“无此项任务”。",
]

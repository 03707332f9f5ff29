"""Results and ranking: computed live from scores (draft) or read from the rows stored at lock.

Live computation reads a fixed number of queries whatever the number of units and items: the
memberships, the scoring items and their categories, one grouped aggregate over the scores, the
(unit, item) pairs already scored on data-bound items, and the three measure queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from assessment.measures import computed_score, read_measures
from assessment.models import Category, CategoryMembership, Indicator, Result, Scheme, Score
from assessment.rules import PENDING, ZERO, Entry, RuleKind, clamp_bonus, convert, grade_label, q2, rank_category
from tasks.models import Unit


@dataclass
class UnitResult:
    membership_id: int
    unit: Unit | UnitRef
    category: Category
    base: Decimal
    converted: Decimal
    bonus: Decimal
    total: Decimal
    vetoed: bool
    rank: int = 0
    grade: str = ""
    missing: int = 0  # items applicable but not yet scored (draft only): graded 待评定 while > 0

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)

    @property
    def pending(self) -> bool:
        return self.grade == PENDING


def leaves_by_category(scheme: Scheme) -> tuple[dict[int, Indicator], dict[int, list[int]]]:
    """The scheme's scoring items by id, and the ids that apply to each category (two queries)."""
    leaves = {i.pk: i for i in Indicator.objects.filter(scheme=scheme, level=3).order_by("order", "id")}
    applies: dict[int, list[int]] = defaultdict(list)
    through = Indicator.categories.through.objects.filter(indicator__scheme=scheme, indicator__level=3)
    for indicator_id, category_id in through.values_list("indicator_id", "category_id").order_by("indicator_id"):
        applies[category_id].append(indicator_id)
    return leaves, applies


def live_results(scheme: Scheme, *, as_of: dt.date | None = None, category: Category | None = None) -> list[UnitResult]:
    """Every unit's result as the scores stand now, ranked and graded per category (or of one category:
    ranks are per category, so one category needs only its own units)."""
    as_of = as_of or timezone.localdate()
    members = CategoryMembership.objects.filter(scheme=scheme)
    scores = Score.objects.filter(membership__scheme=scheme)
    if category is not None:
        members = members.filter(category=category)
        scores = scores.filter(membership__category=category)
    memberships = list(members.select_related("unit", "category"))
    leaves, applies = leaves_by_category(scheme)
    extras = RuleKind.extras()
    sums = {
        row["membership_id"]: row
        for row in scores.values("membership_id").annotate(
            base=Sum("score", filter=~Q(indicator__rule_kind__in=extras)),
            bonus=Sum("score", filter=Q(indicator__rule_kind=RuleKind.BONUS)),
            vetoes=Count("id", filter=Q(vetoed=True)),
            scored=Count("id", filter=~Q(indicator__rule_kind__in=extras)),
        ).order_by()
    }
    bound = {pk: i for pk, i in leaves.items() if i.measure}
    scored_bound: set[tuple[int, int]] = set()
    readings = {}
    if bound:
        scored_bound = set(scores.filter(indicator_id__in=bound).values_list("membership_id", "indicator_id"))
        readings = read_measures(scheme.year, as_of)
    base_items = {c: [pk for pk in ids if leaves[pk].rule_kind not in extras] for c, ids in applies.items()}
    bound_items = {c: [pk for pk in ids if pk in bound] for c, ids in applies.items()}

    results: list[UnitResult] = []
    for m in memberships:
        row = sums.get(m.pk, {})
        base = row.get("base") or ZERO
        scored = row.get("scored") or 0
        for pk in bound_items.get(m.category_id, []):
            if (m.pk, pk) not in scored_bound:
                indicator = bound[pk]
                score, _ = computed_score(indicator.rule, indicator.measure,
                                          readings[indicator.measure].get(m.unit_id))
                base += score
                scored += 1
        converted = convert(q2(base), m.category.declared_total)
        bonus = clamp_bonus(row.get("bonus") or ZERO, scheme.bonus_limit)
        results.append(UnitResult(
            membership_id=m.pk, unit=m.unit, category=m.category, base=q2(base), converted=converted, bonus=bonus,
            total=q2(converted + bonus), vetoed=bool(row.get("vetoes")),
            missing=len(base_items.get(m.category_id, [])) - scored,
        ))
    return rank(scheme, results)


def rank(scheme: Scheme, results: list[UnitResult]) -> list[UnitResult]:
    by_category: dict[int, list[UnitResult]] = defaultdict(list)
    for r in results:
        by_category[r.category.pk].append(r)
    ordered: list[UnitResult] = []
    for category_results in sorted(by_category.values(), key=lambda rs: (rs[0].category.order, rs[0].category.pk)):
        by_id = {r.membership_id: r for r in category_results}
        # Live results only can miss scores (locking needs every item scored): those units are 待评定.
        entries = [Entry(r.membership_id, r.total, r.vetoed, pending=r.missing > 0) for r in category_results]
        for ranked in rank_category(entries, scheme.thresholds):
            r = by_id[ranked.unit_id]
            r.rank, r.grade = ranked.rank, ranked.grade
            ordered.append(r)
    return ordered


@dataclass(frozen=True)
class UnitRef:
    """What result lists need of a unit; stored results read it without building model instances."""

    pk: int
    name: str


def stored_results(scheme: Scheme, category: Category | None = None) -> list[UnitResult]:
    """The rows stored at lock, in ranking order (one query for one category; two for all)."""
    rows = Result.objects.filter(membership__scheme=scheme)
    if category is not None:
        categories = {category.pk: category}
        rows = rows.filter(membership__category=category)
    else:
        categories = {c.pk: c for c in scheme.categories.all()}
    fields = ("membership_id", "membership__unit_id", "membership__unit__name", "membership__category_id", "base",
              "converted", "bonus", "total", "vetoed", "rank", "grade")
    return [
        UnitResult(membership_id=m, unit=UnitRef(u, name), category=categories[c], base=base, converted=conv,
                   bonus=bonus, total=total, vetoed=vetoed, rank=rank, grade=grade)
        for m, u, name, c, base, conv, bonus, total, vetoed, rank, grade in rows.ranked().values_list(*fields)
    ]


def results_for(scheme: Scheme, category: Category | None = None) -> list[UnitResult]:
    return stored_results(scheme, category) if scheme.is_stored else live_results(scheme, category=category)


def group_by_category(results: list[UnitResult]) -> list[tuple[Category, list[UnitResult]]]:
    groups: list[tuple[Category, list[UnitResult]]] = []
    for r in results:
        if not groups or groups[-1][0].pk != r.category.pk:
            groups.append((r.category, []))
        groups[-1][1].append(r)
    return groups

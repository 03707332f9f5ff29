"""An assessment at scale for benchmarks: N units × M scoring items, scored, in two synthetic years.

Year 2090 is locked and published (results stored), year 2091 is in review (results computed live), so
``make bench`` measures both paths of the results page. Rows go in through ``bulk_create`` (the per-row
services would take minutes for 80,000 scores); the scores respect every rule the services check.
Synthetic years and the ``（模拟）`` unit prefix keep this apart from ``load_demo``.
"""

from __future__ import annotations

import zlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assessment.cachekeys import bump_results_version
from assessment.models import Category, CategoryMembership, Indicator, Scheme, SchemeState, Score
from assessment.rules import RuleKind
from tasks.models import Unit, UnitKind

YEARS = (2090, 2091)
PREFIX = "（模拟）考核单位"
CATEGORIES = ["有执法职能部门", "无执法职能部门", "乡镇街道"]


def _points(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` split into ``parts`` two-place amounts that add up exactly."""
    base = (total / parts).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    out = [base] * parts
    out[-1] = total - base * (parts - 1)
    return out


def seeded() -> bool:
    return Scheme.objects.filter(year__in=YEARS).count() == len(YEARS)


@transaction.atomic
def seed_assessment(*, units: int = 500, items: int = 80) -> dict[str, int]:
    from assessment.services import store_results

    have = {u.name: u for u in Unit.objects.filter(name__startswith=PREFIX)}
    Unit.objects.bulk_create([Unit(name=f"{PREFIX}{n:04d}", short_name=f"考核单位{n:04d}", kind=UnitKind.GOVERNMENT,
                                   order=100000 + n) for n in range(1, units + 1) if f"{PREFIX}{n:04d}" not in have])
    pool = list(Unit.objects.filter(name__startswith=PREFIX).order_by("name")[:units])
    counts = {"scheme": 0, "score": 0}
    for year in YEARS:
        if Scheme.objects.filter(year=year).exists():
            continue
        scheme = Scheme.objects.create(year=year, name=f"（模拟）{year}年度考核细则", state=SchemeState.REVIEW,
                                       opened_at=timezone.now())
        cats = [Category.objects.create(scheme=scheme, name=name, order=i) for i, name in enumerate(CATEGORIES)]
        CategoryMembership.objects.bulk_create([
            CategoryMembership(scheme=scheme, category=cats[i % 3], unit=u, self_state="submitted")
            for i, u in enumerate(pool)])
        tops, mids_per, leaves_per = 4, 4, max(1, items // 16)
        leaves: list[Indicator] = []
        for t, top_points in enumerate(_points(Decimal(100), tops), start=1):
            top = Indicator.objects.create(scheme=scheme, level=1, order=t, title=f"一级指标{t}", points=top_points)
            for m, mid_points in enumerate(_points(top_points, mids_per), start=1):
                mid = Indicator.objects.create(scheme=scheme, parent=top, level=2, order=m, title=f"二级指标{t}.{m}",
                                               points=mid_points)
                for k, leaf_points in enumerate(_points(mid_points, leaves_per), start=1):
                    leaves.append(Indicator(scheme=scheme, parent=mid, level=3, order=k, points=leaf_points,
                                            title=f"评分项{t}.{m}.{k}", rule_kind=RuleKind.DISCRETIONARY,
                                            standard="达到要求得满分，部分达到酌情扣分。"))
        Indicator.objects.bulk_create(leaves)
        Through = Indicator.categories.through
        Through.objects.bulk_create([Through(indicator_id=leaf.pk, category_id=c.pk) for leaf in leaves for c in cats])
        memberships = list(CategoryMembership.objects.filter(scheme=scheme))
        rows = []
        for m in memberships:
            for leaf in leaves:
                h = zlib.crc32(f"{year}|{m.unit_id}|{leaf.pk}".encode()) % 100
                score = leaf.points if h < 75 else (leaf.points / 2).quantize(Decimal("0.01"))
                rows.append(Score(membership=m, indicator=leaf, score=score,
                                  reason="" if score == leaf.points else "部分工作未达到要求。"))
        Score.objects.bulk_create(rows, batch_size=5000)
        bump_results_version(scheme.pk)  # rows went in by bulk_create, past the services that bump
        counts["scheme"] += 1
        counts["score"] += len(rows)
        if year == YEARS[0]:
            scheme.state = SchemeState.LOCKED
            scheme.save(update_fields=["state"])
            store_results(scheme=scheme)
            scheme.state, scheme.published_on = SchemeState.PUBLISHED, timezone.localdate()
            scheme.save(update_fields=["state", "published_on"])
    return counts

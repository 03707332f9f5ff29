"""Demo assessment: last year assessed and published with one objection answered; this year in 自评.

Called by ``load_demo`` after units, users and reports exist. Everything goes through
``assessment.services`` so the demo has the same rows, checks and audit entries as real use.
Idempotent: nothing happens when this year's scheme already exists.
"""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from accounts.models import Role, User
from accounts.services import create_user
from assessment import demo_data, services
from assessment.models import Category, CategoryMembership, Indicator, Scheme, SchemeState
from assessment.rules import RuleKind, score_from_count
from tasks.demo_data import ENFORCEMENT
from tasks.models import Unit, UnitKind

NOT_ASSESSED = {"市委依法治市办", "市法院", "市检察院"}  # the organiser, and the courts that score
SCORERS = [  # (username, unit, surname, given name): named accounts granted the items their unit scores
    ("scorer_court", "市法院", "孙", "评分"),
    ("scorer_office", "市政府办公室", "钱", "评分"),
]


def _h(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())


def _category_of(unit: Unit) -> str | None:
    if unit.name in NOT_ASSESSED:
        return None
    if unit.kind in (UnitKind.TOWN, UnitKind.PARK):
        return demo_data.T
    if unit.name in ENFORCEMENT:
        return demo_data.E
    return demo_data.N


def _scorers() -> dict[int, User]:
    """The account that scores each scoring unit's items: the demo liaison of 司法局, and two scorer accounts."""
    by_unit: dict[int, User] = {}
    sfj = User.objects.filter(username="liaison_sfj").first()
    if sfj is not None:
        by_unit[sfj.unit_id] = sfj
    for username, unit_name, last, first in SCORERS:
        unit = Unit.objects.filter(name=unit_name).first()
        if unit is None:
            continue
        user = User.objects.filter(username=username).first() or create_user(
            username=username, role=Role.LIAISON, password=settings.FAZHI_DEMO_PASSWORD, unit=unit,
            last_name=last, first_name=first)
        by_unit[unit.pk] = user
    return by_unit


def build_scheme(year: int) -> Scheme:
    scheme = services.create_scheme(year=year, name=f"{year}年度江川市法治政府建设考核细则")
    categories = {name: services.add_category(scheme=scheme, name=name, declared_total=Decimal(total), order=i)
                  for i, (name, total) in enumerate(demo_data.CATEGORIES, start=1)}
    units = list(Unit.objects.active())
    services.set_memberships(scheme=scheme, assignments={
        u.pk: categories[c] for u in units if (c := _category_of(u)) is not None})
    by_name = {u.name: u for u in units}
    scorers = _scorers()
    for i, (top_title, top_points, mids) in enumerate(demo_data.SCHEME, start=1):
        top = services.save_indicator(scheme=scheme, parent=None, level=1, title=top_title,
                                      points=Decimal(top_points), order=i)
        for j, (mid_title, mid_points, leaves) in enumerate(mids, start=1):
            mid = services.save_indicator(scheme=scheme, parent=top, level=2, title=mid_title,
                                          points=Decimal(mid_points), order=j)
            for k, (title, points, standard, kind, deduction, cap, measure, unit_name, cats) in enumerate(leaves, 1):
                unit = by_name.get(unit_name)
                scorer = scorers.get(unit.pk) if unit else None
                services.save_indicator(
                    scheme=scheme, parent=mid, level=3, title=title, points=Decimal(points), order=k,
                    standard=standard, rule_kind=kind, deduction=Decimal(str(deduction)),
                    deduction_cap=Decimal(str(cap)) if cap is not None else None, measure=measure,
                    scoring_unit=unit, evidence=demo_data.EVIDENCE[kind], categories=[categories[c] for c in cats],
                    scorers=[scorer] if scorer and not measure and kind not in RuleKind.extras() else [])
    return scheme


def _self_assess(scheme: Scheme, membership: CategoryMembership, user: User, items: list[Indicator],
                 share: int = 100) -> None:
    for item in items:
        if item.measure or item.is_extra or _h(scheme.year, membership.unit_id, item.pk) % 100 >= share:
            continue
        services.save_self_assessment(
            membership=membership, indicator=item, claimed=item.points, user=user,
            explanation=demo_data.EXPLANATIONS[_h(item.pk, membership.unit_id) % len(demo_data.EXPLANATIONS)])


def _liaison(unit: Unit) -> User:
    user = User.objects.filter(role=Role.LIAISON, unit=unit, is_active=True).order_by("id").first()
    if user is None:
        user = User(username=f"demo_liaison_{unit.pk}", role=Role.LIAISON, unit=unit, last_name="联络",
                    first_name="员")
        user.set_unusable_password()
        user.save()
    return user


def _score_value(item: Indicator, membership: CategoryMembership) -> tuple[Decimal, str]:
    n = _h("score", item.pk, membership.unit_id) % 100
    if item.rule_kind in (RuleKind.FIXED, RuleKind.PER_OCCURRENCE):
        count = 0 if n < 70 else 1 if n < 90 else 2
        score = score_from_count(item.rule, count)
    else:
        score = item.points if n < 60 else (item.points * Decimal("0.8")).quantize(Decimal("0.1"))
    reason = "" if score == item.points else demo_data.DEDUCTION_REASONS[n % len(demo_data.DEDUCTION_REASONS)]
    return score, reason


def assess_last_year(year: int, coordinator: User) -> Scheme:
    scheme = build_scheme(year)
    services.move_scheme(scheme=scheme, to=SchemeState.SELF, user=coordinator)
    memberships = list(scheme.memberships.select_related("unit", "category"))
    items_by_cat = {c.pk: list(Indicator.objects.filter(scheme=scheme, level=3, categories=c))
                    for c in Category.objects.filter(scheme=scheme)}
    for m in memberships:
        user = _liaison(m.unit)
        _self_assess(scheme, m, user, items_by_cat[m.category_id])
        services.submit_self_assessment(membership=m, user=user)
    services.move_scheme(scheme=scheme, to=SchemeState.SCORING, user=coordinator)
    later: list[tuple[CategoryMembership, Indicator]] = []
    for m in memberships:
        for item in items_by_cat[m.category_id]:
            if item.measure or item.is_extra:
                continue
            grant = item.grants.first()
            if grant is None:
                later.append((m, item))
                continue
            score, reason = _score_value(item, m)
            services.record_score(membership=m, indicator=item, score=score, reason=reason, user=grant.user)
    services.move_scheme(scheme=scheme, to=SchemeState.REVIEW, user=coordinator)
    for m, item in later:  # items whose scoring unit has no account: entered by the legal office
        score, reason = _score_value(item, m)
        services.record_score(membership=m, indicator=item, score=score, reason=reason, user=coordinator,
                              as_office=True)
    bonus = Indicator.objects.get(scheme=scheme, level=3, title__startswith="法治建设工作获省级")
    veto = Indicator.objects.get(scheme=scheme, level=3, rule_kind=RuleKind.VETO)
    by_unit = {m.unit.name: m for m in memberships}
    for name, value in (("市司法局", 2), ("临江镇", 2)):
        if name in by_unit:
            services.record_score(membership=by_unit[name], indicator=bonus, score=Decimal(value),
                                  reason="经验做法被省司法厅推广。", user=coordinator, as_office=True)
    if "市城管局" in by_unit:
        services.record_score(membership=by_unit["市城管局"], indicator=veto, score=Decimal(0), vetoed=True,
                              reason="发生违法强制拆除并造成严重后果，经查属实。", user=coordinator, as_office=True)
    services.move_scheme(scheme=scheme, to=SchemeState.LOCKED, user=coordinator)
    published = dt.date(year + 1, 1, 20)
    services.move_scheme(scheme=scheme, to=SchemeState.PUBLISHED, user=coordinator, today=published)
    scheme.refresh_from_db()
    town = by_unit.get("临江镇")
    if town is not None:
        item = Indicator.objects.get(scheme=scheme, level=3, title="规范性文件按时报送备案")
        objection = services.raise_objection(
            membership=town, indicator=item, user=_liaison(town.unit), today=published + dt.timedelta(days=2),
            text="本镇全年制定的3件规范性文件均已在印发后15日内报送备案，备案回执见自评佐证，扣分有误。")
        services.answer_objection(objection=objection, upheld=True, new_score=item.points, user=coordinator,
                                  answer="经核对备案登记系统，该镇3件文件均按时备案，原扣分系登记遗漏，予以更正。")
    return scheme


def open_this_year(year: int, source: Scheme, coordinator: User) -> Scheme:
    scheme = services.copy_scheme(source=source, year=year, name=f"{year}年度江川市法治政府建设考核细则")
    services.move_scheme(scheme=scheme, to=SchemeState.SELF, user=coordinator)
    items_by_cat = {c.pk: list(Indicator.objects.filter(scheme=scheme, level=3, categories=c))
                    for c in Category.objects.filter(scheme=scheme)}
    for m in scheme.memberships.select_related("unit"):
        n = _h("progress", m.unit_id) % 10
        # The demo logins' units are part-way through, so there is something left to do.
        share = 40 if m.unit.name in ("市司法局", "临江镇") else 0 if n < 3 else 60 if n < 7 else 100
        _self_assess(scheme, m, _liaison(m.unit), items_by_cat[m.category_id], share)
    return scheme


@transaction.atomic
def load_demo_assessment(*, year: int, coordinator: User) -> list[str]:
    if Scheme.objects.filter(year__in=[year, year - 1]).exists():
        return []
    last = assess_last_year(year - 1, coordinator)
    this = open_this_year(year, last, coordinator)
    items = Indicator.objects.filter(scheme=this, level=3).count()
    return [f"{last.year} 年度考核（已公示，含一件已答复的异议）",
            f"{this.year} 年度考核方案（{items} 个评分项，自评中）"]

"""Who may see and do what in the assessment. Every view asks here.

- The legal office (coordinators) manages schemes, reviews, adjusts, locks, publishes, answers objections.
- Leaders read everything, at every stage, and change nothing.
- A liaison sees its own unit's self-assessment, evidence and (once published) its own breakdown; of other
  units it sees only the published totals, ranks and grades.
- Scoring is a grant to a named account on a named item (``ScorerGrant``). A scorer sees the
  self-assessment and evidence of every unit on the items it scores, and nothing else: this is the one
  exception to "a unit's evidence is never shown to other units' liaisons".
- Another unit's object in a URL answers 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from assessment.cachekeys import SCHEMES
from assessment.models import (
    CategoryMembership,
    Evidence,
    Indicator,
    Objection,
    ObjectionState,
    Scheme,
    SchemeState,
    ScorerGrant,
)
from fazhi.versions import read_all
from tasks.cachekeys import REGISTRY


def can_manage(user: User) -> bool:
    return user.is_authenticated and user.is_coordinator


def reads_all(user: User) -> bool:
    return user.is_authenticated and (user.is_coordinator or user.is_leader)


@dataclass(frozen=True)
class Standing:
    """What one viewer's assessment pages all start from: the schemes they may see (``visible_to``), their unit's
    membership in each, the schemes in which they score, and (for the office and leaders) each scheme's open
    objections. Cached per viewer under ``SCHEMES`` and the registry version (unit names), so a warm page reads
    no table for it; the services bump ``SCHEMES`` with every change to any of it."""

    schemes: tuple[Scheme, ...]
    own: dict[int, CategoryMembership]
    scored: frozenset[int]
    open_objections: dict[int, int]


_STANDING_TTL = 60 * 60


def standing(user: User) -> Standing:
    # The key names everything the value depends on about the user: the flags (a superuser is the office whatever
    # its role, so a removed superuser flag must not keep the office's view of draft schemes) and the unit.
    flags = f"{int(user.is_coordinator)}{int(user.is_leader)}{int(user.is_liaison)}"
    key = ":".join(str(p) for p in ["fazhi:assessment:standing", *read_all(SCHEMES, REGISTRY), user.pk, flags,
                                    user.unit_id])
    found = cache.get(key)
    if found is None:
        schemes = tuple(Scheme.objects.visible_to(user))
        ids = [s.pk for s in schemes]
        own = {m.scheme_id: m for m in CategoryMembership.objects.select_related("unit", "category", "scheme")
               .filter(scheme__in=ids, unit_id=user.unit_id)} if user.is_liaison and user.unit_id and ids else {}
        scored = frozenset(Indicator.objects.filter(scheme__in=ids, level=3, grants__user=user)
                           .values_list("scheme_id", flat=True).distinct()) if ids else frozenset()
        waiting: dict[int, int] = {}
        if reads_all(user) and ids:
            for scheme_id in Objection.objects.filter(membership__scheme__in=ids, state=ObjectionState.OPEN) \
                    .values_list("membership__scheme_id", flat=True):
                waiting[scheme_id] = waiting.get(scheme_id, 0) + 1
        found = Standing(schemes=schemes, own=own, scored=scored, open_objections=waiting)
        cache.set(key, found, _STANDING_TTL)
    return found


def get_scheme_for_user(user: User, year: int) -> Scheme:
    scheme = next((s for s in standing(user).schemes if s.year == year), None)
    if scheme is None:
        raise Http404("没有找到该年度的考核方案。")
    return scheme


def get_scheme_to_manage(user: User, year: int) -> Scheme:
    if not can_manage(user):
        raise PermissionDenied("只有法治办工作人员可以管理考核。")
    return get_object_or_404(Scheme, year=year)


def own_membership(user: User, scheme: Scheme) -> CategoryMembership | None:
    if not user.is_liaison or user.unit_id is None:
        return None
    return standing(user).own.get(scheme.pk)


def can_see_breakdown(user: User, membership: CategoryMembership) -> bool:
    """Per-item scores: the office and leaders always; a unit its own once published."""
    if reads_all(user):
        return True
    return (user.is_liaison and user.unit_id == membership.unit_id
            and membership.scheme.state == SchemeState.PUBLISHED)


def get_membership_for_user(user: User, scheme: Scheme, pk: int) -> CategoryMembership:
    membership = get_object_or_404(CategoryMembership.objects.select_related("unit", "category", "scheme"),
                                   scheme=scheme, pk=pk)
    if reads_all(user) or (user.is_liaison and user.unit_id == membership.unit_id):
        return membership
    raise Http404("没有找到该单位的考核情况。")


def scored_items(user: User, scheme: Scheme):
    return Indicator.objects.filter(scheme=scheme, level=3, grants__user=user).order_by("order", "id")


def get_item_to_score(user: User, scheme: Scheme, pk: int) -> Indicator:
    indicator = get_object_or_404(Indicator.objects.select_related("scoring_unit", "parent__parent"),
                                  scheme=scheme, pk=pk, level=3)
    if not ScorerGrant.objects.filter(indicator=indicator, user=user).exists():
        raise Http404("没有找到该评分项。")
    return indicator


def can_read_evidence(user: User, evidence: Evidence) -> bool:
    membership = evidence.self_assessment.membership
    if reads_all(user):
        return True
    if user.is_liaison and user.unit_id == membership.unit_id:
        return True
    # The explicit exception: a granted scorer reads the evidence of the items it scores, and only those.
    return ScorerGrant.objects.filter(indicator_id=evidence.self_assessment.indicator_id, user=user).exists()


def get_evidence_for_user(user: User, pk: int, write: bool = False) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related("self_assessment__membership__scheme"), pk=pk)
    membership = evidence.self_assessment.membership
    if write:
        if not (user.is_liaison and user.unit_id == membership.unit_id):
            raise Http404("没有找到该文件。")
        return evidence
    if not can_read_evidence(user, evidence):
        raise Http404("没有找到该文件。")
    return evidence


def nav_context(user: User, scheme: Scheme, tab: str) -> dict:
    """What the tab bar shows: the unit's own self-assessment, the scorer's queue (the office always has the
    评分 tab). Read from the viewer's standing: no query when it is cached."""
    return {"scheme": scheme, "tab": tab, "own": own_membership(user, scheme),
            "scores": bool(getattr(user, "is_coordinator", False)) or scheme.pk in standing(user).scored}

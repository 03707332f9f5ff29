"""Fixtures shared by the assessment tests."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment import services
from assessment.models import CategoryMembership, SchemeState
from tests.assessment.support import build_small


@pytest.fixture
def in_review(unit_a, unit_b, coordinator, django_capture_on_commit_callbacks):
    """The small scheme in review: unit A (departments) has every item scored; unit B (towns) has 文件备案 still
    unscored."""
    small = build_small(unit_a, unit_b)
    with django_capture_on_commit_callbacks(execute=True):
        for to in (SchemeState.SELF, SchemeState.SCORING, SchemeState.REVIEW):
            services.move_scheme(scheme=small.scheme, to=to, user=coordinator)
        a = CategoryMembership.objects.get(unit=unit_a)
        services.record_score(membership=a, indicator=small.filing, score=D(18), reason="一件逾期", user=coordinator,
                              as_office=True)
        services.record_score(membership=a, indicator=small.cases, score=D(50), reason="", user=coordinator,
                              as_office=True)
    return small

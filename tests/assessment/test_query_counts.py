"""Assessment pages run the same number of queries at 1 and at 50 units (and items)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import CategoryMembership, Scheme, SchemeState
from assessment.seeding import seed_assessment


def _queries(client, url: str, cold: bool = False) -> int:
    client.get(url)  # warm: the signed-in user is cached from the second request on
    if cold:  # the results page's cached ranking table gone: the count of computing it
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _counts(client, urls: list[str]) -> list[int]:
    return [_queries(client, url, cold) for url in urls for cold in (False, True)]


URLS = ["/assessment/{y}/results/", "/assessment/{y}/review/", "/assessment/{y}/", "/assessment/{y}/results.xlsx"]


@pytest.mark.django_db
def test_pages_cost_the_same_at_1_and_50_units(leader_client, coordinator_client):
    seed_assessment(units=1, items=16)
    one = {y: _counts(coordinator_client, [u.format(y=y) for u in URLS]) for y in (2090, 2091)}
    Scheme.objects.filter(year__in=(2090, 2091)).delete()
    seed_assessment(units=50, items=32)
    fifty = {y: _counts(coordinator_client, [u.format(y=y) for u in URLS]) for y in (2090, 2091)}
    assert one == fifty
    assert Scheme.objects.get(year=2090).state == SchemeState.PUBLISHED  # stored results
    assert Scheme.objects.get(year=2091).state == SchemeState.REVIEW  # computed live
    assert CategoryMembership.objects.filter(scheme__year=2091).count() == 50
    page = leader_client.get("/assessment/2090/results/").content.decode()
    assert page.count('data-label="名次"') == 17  # one category of three


@pytest.mark.django_db
def test_unit_and_scorer_pages_cost_the_same_at_1_and_50_units(coordinator_client):
    from accounts.models import Role
    from assessment.models import Indicator, ScorerGrant
    from tests.factories import UserFactory

    def urls():
        scheme = Scheme.objects.get(year=2091)
        leaf = Indicator.objects.filter(scheme=scheme, level=3).first()
        m = CategoryMembership.objects.filter(scheme=scheme).first()
        ScorerGrant.objects.get_or_create(indicator=leaf, user=scorer)
        more = Indicator.objects.filter(scheme=scheme, level=3)[:5]
        ScorerGrant.objects.bulk_create([ScorerGrant(indicator=i, user=scorer) for i in more],
                                        ignore_conflicts=True)
        return [f"/assessment/2091/units/{m.pk}/", f"/assessment/2091/score/{leaf.pk}/", "/assessment/2091/score/"]

    from django.test import Client

    scorer = UserFactory(username="seed_scorer", role=Role.COORDINATOR)
    client = Client()
    client.force_login(scorer)
    seed_assessment(units=1, items=16)
    one = _counts(client, urls())
    Scheme.objects.filter(year__in=(2090, 2091)).delete()
    seed_assessment(units=50, items=16)
    assert _counts(client, urls()) == one

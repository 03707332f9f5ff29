"""The assessment index, review and results pages are served from rendered parts cached under the scheme's
results version (``assessment/cachekeys.py``), the registry version and the viewer's scope: every change shows on
the very next request, viewers never get each other's part, the queries stay flat and the forms still post."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessment import services
from assessment.models import CategoryMembership, Scheme, SchemeState
from assessment.seeding import seed_assessment
from tasks.models import Unit
from tests.assessment.support import YEAR
from tests.pages import csrf_token

pytestmark = pytest.mark.django_db

REVIEW = f"/assessment/{YEAR}/review/"
RESULTS = f"/assessment/{YEAR}/results/"
INDEX = "/assessment/"


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- (1) every kind of change shows on the very next request ------------------------------------------------

def test_a_score_a_new_category_and_a_move_show_at_once_on_the_review_page(
        in_review, coordinator, coordinator_client, unit_b, django_capture_on_commit_callbacks):
    url = f"{REVIEW}?category={in_review.towns.pk}"
    missing = _html(coordinator_client, url).count("cell-missing")  # unit B's 文件备案 is not scored yet
    b = CategoryMembership.objects.get(unit=unit_b)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_score(membership=b, indicator=in_review.filing, score=D(16), reason="一件未备案",
                              user=coordinator, as_office=True)
    html = _html(coordinator_client, url)
    assert html.count("cell-missing") == missing - 1
    assert "锁定结果" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.move_scheme(scheme=in_review.scheme, to=SchemeState.SCORING, user=coordinator)
    html = _html(coordinator_client, url)
    assert "锁定结果" not in html and "进入复核" in html


def test_a_renamed_unit_shows_at_once_in_review_and_results(in_review, unit_a, leader_client):
    assert "测试市司法局" in _html(leader_client, REVIEW) + _html(leader_client, RESULTS)
    unit = Unit.objects.get(pk=unit_a.pk)
    unit.name, unit.short_name = "测试市司法局（更名）", "司法局（更名）"
    unit.save()
    assert "司法局（更名）" in _html(leader_client, REVIEW)
    assert "测试市司法局（更名）" in _html(leader_client, RESULTS)


def test_a_new_category_shows_at_once(in_review, leader_client, django_capture_on_commit_callbacks):
    assert "园区" not in _html(leader_client, RESULTS)
    Scheme.objects.filter(pk=in_review.scheme.pk).update(state=SchemeState.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_category(scheme=Scheme.objects.get(pk=in_review.scheme.pk), name="园区管委会", order=3)
    Scheme.objects.filter(pk=in_review.scheme.pk).update(state=SchemeState.REVIEW)
    assert "园区管委会" in _html(leader_client, RESULTS) and "园区管委会" in _html(leader_client, REVIEW)


def test_a_raised_objection_is_counted_at_once_on_the_results_page_and_an_answer_takes_it_off(
        in_review, unit_b, liaison_b, coordinator, coordinator_client, django_capture_on_commit_callbacks):
    today = dt.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_score(membership=CategoryMembership.objects.get(unit=unit_b), indicator=in_review.filing,
                              score=D(20), reason="", user=coordinator, as_office=True)
        for to in (SchemeState.LOCKED, SchemeState.PUBLISHED):
            services.move_scheme(scheme=in_review.scheme, to=to, user=coordinator, today=today)
    assert "待答复异议" not in _html(coordinator_client, RESULTS)
    with django_capture_on_commit_callbacks(execute=True):
        objection = services.raise_objection(membership=CategoryMembership.objects.get(unit=unit_b), text="有回执。",
                                             indicator=None, user=liaison_b, today=today)
    assert "待答复异议 1 件" in _html(coordinator_client, RESULTS)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_objection(objection=objection, answer="已核实，维持原评分。", upheld=False, user=coordinator)
    assert "待答复异议" not in _html(coordinator_client, RESULTS)


def test_a_new_renamed_or_moved_scheme_shows_at_once_on_the_index(in_review, coordinator, coordinator_client,
                                                                 django_capture_on_commit_callbacks):
    assert "评分中" not in _html(coordinator_client, INDEX)
    services.create_scheme(year=YEAR + 1, name="下一年度考核细则")
    html = _html(coordinator_client, INDEX)
    assert "下一年度考核细则" in html and html.count("下一年度考核细则") == 2  # the row and the copy choice
    with django_capture_on_commit_callbacks(execute=True):
        services.move_scheme(scheme=in_review.scheme, to=SchemeState.SCORING, user=coordinator)
    assert "评分中" in _html(coordinator_client, INDEX)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_scheme_settings(scheme=Scheme.objects.get(pk=in_review.scheme.pk), name="改过名的细则")
    assert "改过名的细则" in _html(coordinator_client, INDEX)


# --- (2) viewers never get each other's part; access still applies ------------------------------------------

def test_the_office_and_leaders_get_their_own_review_page(in_review, coordinator_client, leader_client,
                                                         liaison_a_client):
    assert "锁定结果" in _html(coordinator_client, REVIEW)
    html = _html(leader_client, REVIEW)
    assert "锁定结果" not in html and "/score/" not in html  # no moves, no 评分 tab without grants
    assert "/score/" in _html(coordinator_client, REVIEW)
    assert liaison_a_client.get(REVIEW).status_code == 403
    assert Client().get(REVIEW).status_code == 302


def test_a_scorer_leader_gets_the_scoring_tab_at_once(in_review, leader, leader_client,
                                                      django_capture_on_commit_callbacks):
    assert "/score/" not in _html(leader_client, REVIEW) + _html(leader_client, INDEX)
    with django_capture_on_commit_callbacks(execute=True):
        services.grant_scorer(indicator=in_review.filing, user=leader)
    assert "/score/" in _html(leader_client, REVIEW)
    assert f"/assessment/{YEAR}/score/" in _html(leader_client, INDEX)


def test_liaisons_of_two_units_get_their_own_index_links(in_review, liaison_a_client, liaison_b_client, unit_b):
    CategoryMembership.objects.filter(unit=unit_b).delete()
    assert "本单位自评" in _html(liaison_a_client, INDEX)
    assert "本单位自评" not in _html(liaison_b_client, INDEX)
    assert "本单位自评" in _html(liaison_a_client, INDEX)


def test_results_before_publication_are_still_kept_from_liaisons(in_review, leader_client, liaison_a_client):
    assert "测试市司法局" in _html(leader_client, RESULTS)
    html = _html(liaison_a_client, RESULTS)
    assert 'data-label="名次"' not in html


# --- (3) flat with a cold cache and cheaper warm -------------------------------------------------------------

def _queries(client, url: str, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == status, url
    return len(ctx.captured_queries)


def test_cold_pages_are_flat_and_warm_pages_cost_less(coordinator_client, leader_client):
    urls = ["/assessment/2090/results/", "/assessment/2091/review/", INDEX]
    counts = []
    for units in (1, 50):
        Scheme.objects.filter(year__in=(2090, 2091)).delete()
        seed_assessment(units=units, items=16)
        for client in (coordinator_client, leader_client):
            client.get("/no-such-page/")  # the signed-in user is cached
            for url in urls:
                cache.clear()
                client.get("/no-such-page/")
                signed_in = _queries(client, "/no-such-page/", 404)  # what any page costs: the session (DB engine here)
                cold = _queries(client, url)
                warm = _queries(client, url)
                # Warm, the page reads nothing more than being signed in does: the viewer's standing (schemes,
                # own links, grants, open objections) and the body come from the cache.
                assert warm == signed_in < cold, (url, signed_in, cold, warm)
                counts.append((cold, warm))
    half = len(counts) // 2
    assert counts[:half] == counts[half:]


# --- (4) forms inside the cached parts still post ------------------------------------------------------------

def test_the_move_and_create_forms_post_with_each_viewers_own_token(in_review, coordinator):
    from tests.factories import UserFactory

    other = UserFactory(username="coordinator_two", role=coordinator.role)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(coordinator)
    second.force_login(other)
    first_html, second_html = _html(first, REVIEW), _html(second, REVIEW)  # the second from the cache
    assert csrf_token(first_html) != csrf_token(second_html)
    response = second.post(f"/assessment/{YEAR}/move/", {"to": SchemeState.SCORING,
                                                        "csrfmiddlewaretoken": csrf_token(second_html)})
    assert response.status_code == 302
    assert Scheme.objects.get(pk=in_review.scheme.pk).state == SchemeState.SCORING
    index = _html(first, INDEX)
    response = first.post(INDEX, {"year": YEAR + 1, "name": "新方案", "csrfmiddlewaretoken": csrf_token(index)})
    assert response.status_code == 302 and Scheme.objects.filter(year=YEAR + 1).exists()


def test_a_superuser_whose_flag_is_removed_no_longer_sees_a_draft_scheme(in_review):
    # From the attack run: the standing was keyed by the role only, and a superuser is the office whatever its role.
    from assessment.models import Scheme
    from tests.factories import UserFactory

    Scheme.objects.create(year=YEAR + 1, name="草稿方案SECRET")  # a draft: the office's eyes only
    user = UserFactory(username="su1", role="leader", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    assert "草稿方案SECRET" in _html(client, INDEX)
    user.is_superuser = user.is_staff = False
    user.save()
    assert "草稿方案SECRET" not in _html(client, INDEX)
    assert client.get(f"/assessment/{YEAR + 1}/results/").status_code == 404

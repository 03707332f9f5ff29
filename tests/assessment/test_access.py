"""Who may do what: refused actions change nothing; another unit's details are not there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment import services
from assessment.models import CategoryMembership, Evidence, Objection, SchemeState, Score, SelfAssessment
from fazhi import limits
from tests.assessment.support import YEAR, build_small


@pytest.fixture
def small(unit_a, unit_b):
    return build_small(unit_a, unit_b)


@pytest.fixture
def opened(small, coordinator):
    services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)
    return small


@pytest.mark.parametrize("client_name", ["leader_client", "liaison_a_client"])
def test_only_the_office_moves_edits_and_imports(request, small, client_name):
    client = request.getfixturevalue(client_name)
    assert client.post(f"/assessment/{YEAR}/move/", {"to": "self"}).status_code == 403
    assert client.get(f"/assessment/{YEAR}/settings/").status_code == 403
    assert client.get(f"/assessment/{YEAR}/members/").status_code == 403
    assert client.post(f"/assessment/{YEAR}/indicators/{small.filing.pk}/delete/").status_code == 403
    assert client.post("/assessment/", {"year": 2030, "name": "x"}).status_code == 403
    small.scheme.refresh_from_db()
    assert small.scheme.state == SchemeState.DRAFT
    assert small.scheme.indicators.filter(pk=small.filing.pk).exists()


def test_a_leader_reads_everything_but_changes_nothing(opened, coordinator, leader_client, unit_a):
    services.move_scheme(scheme=opened.scheme, to=SchemeState.SCORING, user=coordinator)
    services.move_scheme(scheme=opened.scheme, to=SchemeState.REVIEW, user=coordinator)
    a = CategoryMembership.objects.get(unit=unit_a)
    assert leader_client.get(f"/assessment/{YEAR}/review/").status_code == 200
    assert leader_client.get(f"/assessment/{YEAR}/units/{a.pk}/").status_code == 200
    response = leader_client.post(f"/assessment/{YEAR}/units/{a.pk}/",
                                  {"item": opened.filing.pk, f"i{opened.filing.pk}-score": "20"})
    assert response.status_code == 403
    assert not Score.objects.exists()


def test_units_see_only_their_own_details_before_publication(opened, liaison_b_client, unit_a, unit_b):
    a, b = CategoryMembership.objects.get(unit=unit_a), CategoryMembership.objects.get(unit=unit_b)
    assert liaison_b_client.get(f"/assessment/{YEAR}/units/{a.pk}/").status_code == 404
    page = liaison_b_client.get(f"/assessment/{YEAR}/units/{b.pk}/").content.decode()
    assert "逐项得分在结果公示后可见" in page
    assert liaison_b_client.get(f"/assessment/{YEAR}/review/").status_code == 403
    assert liaison_b_client.get(f"/assessment/{YEAR}/score/").status_code == 404  # no grants, no queue


def test_another_units_evidence_is_not_there_and_a_scorer_sees_only_its_items(opened, liaison_a, liaison_b_client,
                                                                              unit_a):
    a = CategoryMembership.objects.get(unit=unit_a)
    sa = services.save_self_assessment(membership=a, indicator=opened.cases, claimed=D(50), explanation="",
                                       user=liaison_a)
    upload = SimpleUploadedFile("评查表.pdf", b"%PDF-1.4\n%%EOF\n")
    evidence = services.add_evidence(self_assessment=sa, upload=upload, user=liaison_a)
    assert liaison_b_client.get(f"/assessment/evidence/{evidence.pk}/").status_code == 404
    assert liaison_b_client.post(f"/assessment/evidence/{evidence.pk}/delete/").status_code == 404
    from django.test import Client

    scorer = Client()
    scorer.force_login(opened.scorer)  # scores 文件备案, not 案卷评查
    assert scorer.get(f"/assessment/evidence/{evidence.pk}/").status_code == 404
    scorer2 = Client()
    scorer2.force_login(opened.scorer2)  # scores 案卷评查: the explicit exception
    assert scorer2.get(f"/assessment/evidence/{evidence.pk}/").status_code == 200
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_bad_evidence_and_long_text_are_refused_in_chinese(opened, liaison_a_client, unit_a):
    url = f"/assessment/{YEAR}/self/{opened.filing.pk}/"
    response = liaison_a_client.post(url, {"claimed": "20", "explanation": "字" * (limits.SHORT_TEXT + 1)})
    assert response.status_code == 400 and "2000" in response.content.decode().split('class="errorlist"')[1][:200]
    assert not SelfAssessment.objects.exists()
    assert liaison_a_client.post(url, {"claimed": "20", "explanation": "好"}).status_code == 302
    response = liaison_a_client.post(url, {"claimed": "19", "explanation": "好",
                                           "files": SimpleUploadedFile("a.exe", b"MZ\x90\x00")})
    assert response.status_code == 400 and "类型不支持" in response.content.decode()
    response = liaison_a_client.post(url, {"claimed": "19", "explanation": "好",
                                           "files": SimpleUploadedFile("a.pdf", b"not a pdf")})
    assert response.status_code == 400 and "内容与扩展名不符" in response.content.decode()
    assert not Evidence.objects.exists()
    assert SelfAssessment.objects.get().claimed == D(20)  # the refused saves changed nothing


def test_objections_only_within_the_window(opened, coordinator, liaison_b, unit_b):
    services.move_scheme(scheme=opened.scheme, to=SchemeState.SCORING, user=coordinator)
    services.move_scheme(scheme=opened.scheme, to=SchemeState.REVIEW, user=coordinator)
    for m in CategoryMembership.objects.filter(scheme=opened.scheme):
        services.record_score(membership=m, indicator=opened.filing, score=D(20), reason="", user=coordinator,
                              as_office=True)
        if m.category == opened.depts:
            services.record_score(membership=m, indicator=opened.cases, score=D(50), reason="", user=coordinator,
                                  as_office=True)
    services.move_scheme(scheme=opened.scheme, to=SchemeState.LOCKED, user=coordinator)
    b = CategoryMembership.objects.get(unit=unit_b)
    with pytest.raises(ValidationError, match="不在异议期内"):  # locked, not yet published
        services.raise_objection(membership=b, text="有误", indicator=None, user=liaison_b)
    services.move_scheme(scheme=opened.scheme, to=SchemeState.PUBLISHED, user=coordinator,
                         today=dt.date(2027, 1, 10))
    b.refresh_from_db()
    services.raise_objection(membership=b, text="第五天仍可提出", indicator=None, user=liaison_b,
                             today=dt.date(2027, 1, 15))
    with pytest.raises(ValidationError, match="不在异议期内"):
        services.raise_objection(membership=b, text="第六天", indicator=None, user=liaison_b,
                                 today=dt.date(2027, 1, 16))
    assert Objection.objects.count() == 1


@pytest.mark.parametrize("query", ["?category=abc", "?category=-1", "?category=99999999999999999999", "?category=7"])
def test_the_category_parameter_is_bounded(opened, leader_client, query):
    response = leader_client.get(f"/assessment/{YEAR}/results/{query}")
    assert response.status_code == 200
    assert "有执法职能部门" in response.content.decode()

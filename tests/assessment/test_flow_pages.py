"""The whole assessment through the pages, one client per role: office, unit A, unit B, two scorers, leader."""

from __future__ import annotations

import json
from decimal import Decimal as D
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from assessment.models import (
    CategoryMembership,
    Evidence,
    Objection,
    Result,
    SchemeState,
    Score,
    SelfAssessment,
    SelfState,
)
from tests.assessment.support import PDF, YEAR, build_small


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def small(unit_a, unit_b):
    return build_small(unit_a, unit_b)


def _move(client: Client, to: str) -> str:
    response = client.post(f"/assessment/{YEAR}/move/", {"to": to}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_whole_flow_through_the_pages(small, coordinator_client, liaison_a_client, liaison_b_client,
                                          leader_client, unit_a, unit_b):
    scorer, scorer2 = _client(small.scorer), _client(small.scorer2)
    a = CategoryMembership.objects.get(unit=unit_a)
    b = CategoryMembership.objects.get(unit=unit_b)

    # The office sees the scheme adds up and opens it; units cannot see a draft scheme.
    page = _page(coordinator_client, f"/assessment/{YEAR}/")
    assert "分值核对无误" in page and "规范性文件按规定报送备案" in page
    _page(liaison_a_client, f"/assessment/{YEAR}/", 404)
    assert "考核方案已转为“自评中”" in _move(coordinator_client, "self")

    # Unit A self-assesses: claims, explains, links nothing, uploads a PDF; a claim above the points is refused.
    page = _page(liaison_a_client, f"/assessment/{YEAR}/self/")
    assert "已填写 0 / 2 项" in page  # the data-bound item and the extras need no claim
    url = f"/assessment/{YEAR}/self/{small.filing.pk}/"
    response = liaison_a_client.post(url, {"claimed": "25", "explanation": "全部按时备案"})
    assert response.status_code == 400 and "自评得分应在 0 至 20 分之间" in response.content.decode()
    assert "全部按时备案" in response.content.decode()  # what was typed is kept
    assert not SelfAssessment.objects.exists()
    upload = SimpleUploadedFile("备案登记表.pdf", PDF, content_type="application/pdf")
    assert liaison_a_client.post(url, {"claimed": "20", "explanation": "全部按时备案", "files": upload})\
        .status_code == 302
    evidence = Evidence.objects.get()
    cases_url = f"/assessment/{YEAR}/self/{small.cases.pk}/"
    upload = SimpleUploadedFile("评查表.pdf", PDF, content_type="application/pdf")
    assert liaison_a_client.post(cases_url, {"claimed": "50", "explanation": "案卷全部合格", "files": upload})\
        .status_code == 302
    cases_evidence = Evidence.objects.exclude(pk=evidence.pk).get()
    response = liaison_a_client.post(f"/assessment/{YEAR}/self/submit/", follow=True)
    assert "本单位自评已提交" in response.content.decode()
    a.refresh_from_db()
    assert a.self_state == SelfState.SUBMITTED
    # Unit B cannot reach unit A's item claim or evidence; another unit's item of a category B lacks is not there.
    _page(liaison_b_client, f"/assessment/evidence/{evidence.pk}/", 404)
    _page(liaison_b_client, cases_url, 404)

    assert "考核方案已转为“评分中”" in _move(coordinator_client, "scoring")

    # The scorer sees its queue and the item with unit A's claim and evidence side by side.
    page = _page(scorer, f"/assessment/{YEAR}/score/")
    assert "规范性文件按规定报送备案" in page and "执法案卷评查合格" not in page
    page = _page(scorer, f"/assessment/{YEAR}/score/{small.filing.pk}/")
    assert "全部按时备案" in page and "备案登记表.pdf" in page and "测试市甲镇人民政府" in page
    # The explicit exception: a scorer reads evidence of items it scores, not of other items.
    assert scorer.get(f"/assessment/evidence/{evidence.pk}/").status_code == 200
    _page(scorer, f"/assessment/evidence/{cases_evidence.pk}/", 404)
    _page(scorer, f"/assessment/{YEAR}/score/{small.cases.pk}/", 404)

    # Bad scores are refused in Chinese and save nothing.
    item_url = f"/assessment/{YEAR}/score/{small.filing.pk}/"
    for value, reason, message in [("21", "", "得分不能高于本项分值 20 分。"), ("-1", "x", "得分不能低于 0 分。"),
                                   ("15", "", "低于满分时必须填写扣分理由。")]:
        response = scorer.post(item_url, {"membership": a.pk, f"m{a.pk}-score": value, f"m{a.pk}-reason": reason})
        assert response.status_code == 400 and message in response.content.decode()
    assert not Score.objects.exists()
    assert scorer.post(item_url, {"membership": a.pk, f"m{a.pk}-score": "18",
                                  f"m{a.pk}-reason": "一件文件逾期备案"}).status_code == 302
    assert scorer.post(item_url, {"membership": b.pk, f"m{b.pk}-score": "20"}).status_code == 302
    # Per occurrence by count: two failed case files at 5 each.
    response = scorer2.post(f"/assessment/{YEAR}/score/{small.cases.pk}/",
                            {"membership": a.pk, f"m{a.pk}-occurrences": "2", f"m{a.pk}-reason": "两卷不合格"})
    assert response.status_code == 302
    assert Score.objects.get(membership=a, indicator=small.cases).score == D(40)

    # Leader reads the draft ranking; units see nothing before publication.
    page = _page(leader_client, f"/assessment/{YEAR}/results/")
    assert "草稿（实时计算，尚未锁定）" in page
    assert "考核结果尚未公示" in _page(liaison_b_client, f"/assessment/{YEAR}/results/")

    # Review: the office adjusts with a reason (audited), then locks.
    assert "考核方案已转为“复核中”" in _move(coordinator_client, "review")
    assert scorer.post(item_url, {"membership": b.pk, f"m{b.pk}-score": "19",
                                  f"m{b.pk}-reason": "x"}).status_code == 302  # refused: redirect with a message
    assert Score.objects.get(membership=b, indicator=small.filing).score == D(20)
    page = _page(coordinator_client, f"/assessment/{YEAR}/review/?category={small.towns.pk}")
    assert "测试市甲镇" in page or "甲镇" in page
    unit_url = f"/assessment/{YEAR}/units/{b.pk}/"
    response = coordinator_client.post(unit_url, {"item": small.filing.pk, f"i{small.filing.pk}-score": "17"})
    assert response.status_code == 400 and "低于满分时必须填写扣分理由" in response.content.decode()
    assert coordinator_client.post(unit_url, {"item": small.filing.pk, f"i{small.filing.pk}-score": "17",
                                              f"i{small.filing.pk}-reason": "复核发现一件未备案"}).status_code == 302
    assert coordinator_client.post(unit_url, {"item": small.bonus.pk, f"i{small.bonus.pk}-score": "2",
                                              f"i{small.bonus.pk}-reason": "获省级示范"}).status_code == 302
    adjusted = Score.objects.get(membership=b, indicator=small.filing)
    assert adjusted.score == D(17) and adjusted.by_office
    assert LogEntry.objects.get_for_object(adjusted).filter(actor__username="coordinator").exists()
    assert "考核方案已转为“已锁定”" in _move(coordinator_client, "locked")
    assert Result.objects.count() == 2

    # Locked: nothing changes any more.
    response = coordinator_client.post(unit_url, {"item": small.filing.pk, f"i{small.filing.pk}-score": "20"})
    assert response.status_code == 403
    assert Score.objects.get(membership=b, indicator=small.filing).score == D(17)

    # Publication: totals for all, breakdown only for one's own unit.
    assert "考核方案已转为“已公示”" in _move(coordinator_client, "published")
    # Unit B's own category first: (17 + 30) × 100 ÷ 50 = 94, + 2 = 96; one town, cap 0 (30 % of 1) → 良好.
    page = _page(liaison_b_client, f"/assessment/{YEAR}/results/")
    assert "96.00" in page and "88.00" not in page and "优秀" not in page.split("计分与评定规则")[0]
    assert "计分与评定规则" in page and "优秀比例上限：每类单位数的 30%" in page
    assert f"/assessment/{YEAR}/units/{b.pk}/" in page
    # Unit A's category: 18 + 30 (无此项任务) + 40 = 88, 良好; shown as a total, without a link to its details.
    page = _page(liaison_b_client, f"/assessment/{YEAR}/results/?category={small.depts.pk}")
    assert "88.00" in page and "测试市司法局" in page and f"/assessment/{YEAR}/units/{a.pk}/" not in page
    page = _page(liaison_b_client, unit_url)
    assert "复核发现一件未备案" in page and "本类别名次" in page
    _page(liaison_b_client, f"/assessment/{YEAR}/units/{a.pk}/", 404)

    # An objection within the window, answered by the office: upheld, the score and results change.
    response = liaison_b_client.post(f"/assessment/{YEAR}/units/{b.pk}/objection/",
                                     {"indicator": small.filing.pk, "text": "该文件已于期限内备案，有回执。"},
                                     follow=True)
    assert "异议已提交" in response.content.decode()
    objection = Objection.objects.get()
    page = _page(coordinator_client, f"/assessment/{YEAR}/objections/")
    assert "该文件已于期限内备案" in page
    response = coordinator_client.post(f"/assessment/{YEAR}/objections/", {
        "objection": objection.pk, f"o{objection.pk}-upheld": "1", f"o{objection.pk}-new_score": "20",
        f"o{objection.pk}-answer": "经核实已按时备案，予以更正。"})
    assert response.status_code == 302
    assert Result.objects.get(membership=b).total == D("102.00")
    objection.refresh_from_db()
    assert objection.state == "upheld"
    assert "经核实已按时备案" in _page(liaison_b_client, unit_url)

    # The leader's phone page and the command agree.
    page = _page(leader_client, f"/assessment/{YEAR}/results/?category={small.towns.pk}")
    assert "已公示" in page and "102.00" in page
    out = StringIO()
    call_command("assessment_results", "--year", str(YEAR), "--json", stdout=out)
    assert json.loads(out.getvalue()) == [
        {"unit": "测试市司法局", "kind": "有执法职能部门", "score": 88.0, "rank": 1, "grade": "良好"},
        {"unit": "测试市甲镇人民政府", "kind": "乡镇街道", "score": 102.0, "rank": 1, "grade": "良好"},
    ]
    small.scheme.refresh_from_db()
    assert small.scheme.state == SchemeState.PUBLISHED

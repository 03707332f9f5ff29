"""In a real browser at phone width: a unit goes through its self-assessment; a leader reads the ranking."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment import services
from assessment.models import CategoryMembership, Evidence, SchemeState, SelfAssessment, SelfState
from tests.assessment.support import PDF, YEAR, build_small

pytestmark = pytest.mark.django_db(transaction=True)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


def test_a_unit_self_assesses_and_a_leader_reads_the_ranking_on_a_phone(browser, everyone, unit_a, unit_b,
                                                                         coordinator, tmp_path):
    small = build_small(unit_a, unit_b)
    services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)

    page = browser.page_for("liaison_a", width=375)
    page.goto(f"{browser.base_url}/assessment/")
    page.get_by_role("link", name="本单位自评").first.click()
    assert "已填写 0 / 2 项" in page.content()
    _no_sideways_scroll(page)
    for title, claim, text in [("规范性文件按规定报送备案", "18", "一件文件备案晚了两天。"),
                               ("执法案卷评查合格", "50", "评查案卷全部合格。")]:
        page.get_by_role("row").filter(has_text=title).get_by_role("link", name="填写").click()
        page.fill("#id_claimed", claim)
        page.fill("#id_explanation", text)
        page.get_by_role("button", name="保存自评").click()
        assert "已保存" in page.content()
        evidence = tmp_path / "备案登记表.pdf"
        evidence.write_bytes(PDF)
        page.set_input_files("input[name=file]", str(evidence))
        page.get_by_role("button", name="上传").click()
        assert "佐证材料已上传" in page.content() and "备案登记表.pdf" in page.content()
        _no_sideways_scroll(page)
        page.get_by_role("link", name="本单位自评").first.click()
    assert "已填写 2 / 2 项" in page.content()
    page.get_by_role("button", name="提交本单位自评").click()
    assert "本单位自评已提交" in page.content()
    membership = CategoryMembership.objects.get(unit=unit_a)
    assert membership.self_state == SelfState.SUBMITTED
    assert SelfAssessment.objects.get(membership=membership, indicator=small.filing).claimed == D(18)
    assert Evidence.objects.filter(self_assessment__membership=membership).count() == 2

    # Scoring, review, lock and publication by the services; the leader then reads the ranking on a phone.
    services.move_scheme(scheme=small.scheme, to=SchemeState.SCORING, user=coordinator)
    services.move_scheme(scheme=small.scheme, to=SchemeState.REVIEW, user=coordinator)
    for m in CategoryMembership.objects.filter(scheme=small.scheme):
        services.record_score(membership=m, indicator=small.filing, score=D(18), reason="一件逾期", user=coordinator,
                              as_office=True)
        if m.category == small.depts:
            services.record_score(membership=m, indicator=small.cases, score=D(50), reason="", user=coordinator,
                                  as_office=True)
    services.move_scheme(scheme=small.scheme, to=SchemeState.LOCKED, user=coordinator)
    services.move_scheme(scheme=small.scheme, to=SchemeState.PUBLISHED, user=coordinator)

    page = browser.page_for("leader", width=375)
    page.goto(f"{browser.base_url}/assessment/{YEAR}/results/")
    assert "已公示" in page.content()
    row = page.get_by_role("row").filter(has_text="测试市司法局")
    assert "98.00" in row.inner_text() and "良好" in row.inner_text()
    _no_sideways_scroll(page)
    page.get_by_role("link", name="乡镇街道").click()
    row = page.get_by_role("row").filter(has_text="测试市甲镇人民政府")
    assert "96.00" in row.inner_text()  # (18 + 30) × 100 ÷ 50
    page.get_by_role("link", name="测试市甲镇人民政府").click()
    assert "本类别名次" in page.content() and "一件逾期" in page.content()
    _no_sideways_scroll(page)
    assert browser.errors == []

"""In a real browser at phone width: a unit goes through its self-assessment; a leader reads the ranking."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment import services
from assessment.models import CategoryMembership, Evidence, SchemeState, SelfAssessment, SelfState
from tests.assessment.support import PDF, YEAR, build_small
from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


def _errors_besides_refusals(browser) -> list[str]:
    """Console errors, less the 400 answer of a refused form (Chromium logs it; the page redisplays by design)."""
    return [e for e in browser.errors if "status of 400" not in e]


def _labels_above_inputs(page) -> None:
    """Every text, number and file input and every textarea of the page's forms sits below its label, and no
    field is wider than the page."""
    boxes = page.evaluate("""() => [...document.querySelectorAll(
        'form input[type=number], form input[type=text], form input[type=file], form textarea')].map(el => {
          const label = document.querySelector(`label[for="${el.id}"]`);
          const r = el.getBoundingClientRect(), l = label && label.getBoundingClientRect();
          return {id: el.id, label: l && [l.top, l.bottom, l.right], input: [r.top, r.right]};
        })""")
    assert boxes
    width = page.viewport_size["width"]
    for box in boxes:
        assert box["label"], f"{box['id']} has no label"
        assert box["label"][1] <= box["input"][0] + 1, f"{box['id']}: label beside, not above, its input"
        assert box["input"][1] <= width and box["label"][2] <= width, f"{box['id']} overflows"


def test_a_unit_self_assesses_and_a_leader_reads_the_ranking_on_a_phone(browser, everyone, unit_a, unit_b,
                                                                         coordinator, tmp_path):
    small = build_small(unit_a, unit_b)
    services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)

    evidence = tmp_path / "备案登记表.pdf"
    evidence.write_bytes(PDF)
    bad = tmp_path / "备案登记表.exe"
    bad.write_bytes(b"MZ\x90\x00")
    page = browser.page_for("liaison_a", width=375)
    page.goto(f"{browser.base_url}/assessment/")
    page.get_by_role("link", name="本单位自评").first.click()
    assert "已填写 0 / 2 项" in page.content()
    _no_sideways_scroll(page)
    for title, claim, text in [("规范性文件按规定报送备案", "18", "一件文件备案晚了两天。"),
                               ("执法案卷评查合格", "50", "评查案卷全部合格。")]:
        page.get_by_role("row").filter(has_text=title).get_by_role("link", name="填写").click()
        # Untouched: the score is empty (the points only as a placeholder), never a full-marks claim.
        assert page.input_value("#id_claimed") == "" and "满分" in page.get_attribute("#id_claimed", "placeholder")
        _labels_above_inputs(page)
        _no_sideways_scroll(page)
        assert_accessible(page)
        # A score over the item's maximum is refused by the browser itself: nothing sent, the file still chosen.
        page.fill("#id_claimed", "99")
        page.set_input_files("input[name=files]", str(evidence))
        page.get_by_role("button", name="保存自评").click()
        assert page.evaluate("!document.querySelector('#id_claimed').checkValidity()")
        assert page.evaluate("document.querySelector('input[name=files]').files.length") == 1
        assert not SelfAssessment.objects.filter(indicator__title=title).exists()
        # Score, text and a bad file in one submit: refused, and what was typed is still there.
        page.fill("#id_claimed", claim)
        page.fill("#id_explanation", text)
        page.set_input_files("input[name=files]", str(bad))
        page.get_by_role("button", name="保存自评").click()
        assert "类型不支持" in page.locator(".field-error").inner_text()
        assert page.input_value("#id_claimed") == claim and page.input_value("#id_explanation") == text
        _no_sideways_scroll(page)
        assert_accessible(page)
        # The good file chosen again: one press saves score, text and file.
        page.set_input_files("input[name=files]", str(evidence))
        page.get_by_role("button", name="保存自评").click()
        assert "上传佐证材料 1 个" in page.content() and "备案登记表.pdf" in page.content()
        assert page.input_value("#id_claimed") == claim
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
    assert _errors_besides_refusals(browser) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_scorer_page_reads_and_scores_at_phone_and_desktop_width(browser, everyone, unit_a, unit_b, coordinator,
                                                                     liaison_a, width):
    small = build_small(unit_a, unit_b)
    services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)
    a = CategoryMembership.objects.get(unit=unit_a)
    services.save_self_assessment(membership=a, indicator=small.filing, claimed=D(20), explanation="全部按时备案",
                                  user=liaison_a)
    services.move_scheme(scheme=small.scheme, to=SchemeState.SCORING, user=coordinator)

    page = browser.page_for("scorer", width=width)
    page.goto(f"{browser.base_url}/assessment/{YEAR}/score/{small.filing.pk}/")
    assert "全部按时备案" in page.content() and "未自评" in page.content()  # unit B claimed nothing
    _labels_above_inputs(page)
    _no_sideways_scroll(page)
    assert_accessible(page)
    # Below full marks without a reason: refused at the field, the typed score kept.
    section = page.locator(f"#m{a.pk}")
    section.locator(f"#id_m{a.pk}-score").fill("15")
    section.get_by_role("button", name="保存得分").click()
    section = page.locator(f"#m{a.pk}")
    assert "低于满分时必须填写扣分理由" in section.inner_text()
    assert section.locator(f"#id_m{a.pk}-score").input_value() == "15"
    _no_sideways_scroll(page)
    assert_accessible(page)
    section.locator(f"#id_m{a.pk}-reason").fill("一件文件逾期备案")
    section.get_by_role("button", name="保存得分").click()
    assert "得分 15 分" in page.content()
    assert _errors_besides_refusals(browser) == []

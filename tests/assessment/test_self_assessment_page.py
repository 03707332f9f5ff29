"""The unit's self-assessment page: one form per item saves score, explanation and evidence together, and a
refused save loses nothing typed and saves nothing. An untouched item is 未自评, never a full-marks claim."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment import services
from assessment.models import CategoryMembership, Evidence, SchemeState, SelfAssessment, SelfState
from reports.files import MAX_FILES_PER_REPORT
from tests.assessment.support import PDF, YEAR, build_small


@pytest.fixture
def opened(unit_a, unit_b, coordinator):
    small = build_small(unit_a, unit_b)
    services.move_scheme(scheme=small.scheme, to=SchemeState.SELF, user=coordinator)
    return small


def _pdf(name: str = "备案登记表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _claimed_input(page: str) -> str:
    return re.search(r'<input[^>]*name="claimed"[^>]*>', page).group(0)


def _field(page: str, name: str) -> str:
    """The rendered field block (label, input, errors) of one form field."""
    start = page.index(f'name="{name}"')
    begin = page.rindex('<div class="field', 0, start)
    return page[begin:page.index("</div>", page.index("</label>", begin)) + 300]


def test_score_text_and_a_bad_file_redisplay_everything_typed_and_save_nothing(opened, liaison_a_client):
    url = f"/assessment/{YEAR}/self/{opened.filing.pk}/"
    response = liaison_a_client.post(url, {"claimed": "18", "explanation": "一件文件备案晚了两天。",
                                           "files": SimpleUploadedFile("备案.exe", b"MZ\x90\x00")})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="18"' in _claimed_input(page)
    assert "一件文件备案晚了两天。</textarea>" in page
    assert "“备案.exe”的类型不支持" in _field(page, "files")  # the message sits at the file field
    assert not SelfAssessment.objects.exists() and not Evidence.objects.exists()


def test_a_score_out_of_range_with_a_good_file_saves_neither_and_asks_for_the_file_again(opened, liaison_a_client):
    url = f"/assessment/{YEAR}/self/{opened.filing.pk}/"
    response = liaison_a_client.post(url, {"claimed": "25", "explanation": "全部按时备案", "files": _pdf()})
    page = response.content.decode()
    assert response.status_code == 400
    assert "自评得分应在 0 至 20 分之间" in _field(page, "claimed") and 'value="25"' in _claimed_input(page)
    assert "全部按时备案</textarea>" in page
    assert "请重新选择要上传的文件" in _field(page, "files")
    assert not SelfAssessment.objects.exists() and not Evidence.objects.exists()


def test_score_text_and_a_good_file_are_saved_in_one_submit(opened, liaison_a_client, unit_a):
    url = f"/assessment/{YEAR}/self/{opened.filing.pk}/"
    response = liaison_a_client.post(url, {"claimed": "18", "explanation": "一件文件备案晚了两天。",
                                           "files": [_pdf(), _pdf("备案审查意见.pdf")]}, follow=True)
    page = response.content.decode()
    assert "已保存“规范性文件按规定报送备案”的自评，上传佐证材料 2 个。" in page
    claim = SelfAssessment.objects.get(membership__unit=unit_a, indicator=opened.filing)
    assert (claim.claimed, claim.explanation) == (D(18), "一件文件备案晚了两天。")
    assert sorted(claim.evidence.values_list("original_name", flat=True)) == ["备案审查意见.pdf", "备案登记表.pdf"]
    assert 'value="18"' in _claimed_input(page) and "备案登记表.pdf" in page


def test_removing_a_file_and_changing_the_score_is_one_submit(opened, liaison_a_client):
    url = f"/assessment/{YEAR}/self/{opened.filing.pk}/"
    liaison_a_client.post(url, {"claimed": "18", "explanation": "晚了两天", "files": [_pdf(), _pdf("旧表.pdf")]})
    old = Evidence.objects.get(original_name="旧表.pdf")
    response = liaison_a_client.post(url, {"claimed": "19", "explanation": "晚了一天", "remove": [old.pk],
                                           "files": _pdf("新表.pdf")})
    assert response.status_code == 302
    claim = SelfAssessment.objects.get()
    assert (claim.claimed, claim.explanation) == (D(19), "晚了一天")
    assert sorted(claim.evidence.values_list("original_name", flat=True)) == ["备案登记表.pdf", "新表.pdf"]


def test_more_files_than_allowed_are_refused_at_the_field(opened, liaison_a_client):
    url = f"/assessment/{YEAR}/self/{opened.filing.pk}/"
    files = [_pdf(f"表{n}.pdf") for n in range(MAX_FILES_PER_REPORT + 1)]
    response = liaison_a_client.post(url, {"claimed": "20", "explanation": "", "files": files})
    assert response.status_code == 400
    assert f"每个评分项最多上传 {MAX_FILES_PER_REPORT} 个佐证材料" in _field(response.content.decode(), "files")
    assert not SelfAssessment.objects.exists() and not Evidence.objects.exists()


def test_an_untouched_item_is_empty_and_shows_not_self_assessed(opened, liaison_a_client):
    page = liaison_a_client.get(f"/assessment/{YEAR}/self/{opened.filing.pk}/").content.decode()
    claimed = _claimed_input(page)
    assert "value=" not in claimed and 'placeholder="满分 20"' in claimed
    assert "本项尚未自评" in page
    listing = liaison_a_client.get(f"/assessment/{YEAR}/self/").content.decode()
    assert listing.count("未自评") == 2 and "已填写 0 / 2 项" in listing
    bonus = liaison_a_client.get(f"/assessment/{YEAR}/self/{opened.bonus.pk}/").content.decode()
    assert 'placeholder="加减分 −3 至 +3"' in _claimed_input(bonus) and "value=" not in _claimed_input(bonus)
    # Saving without a score is refused in Chinese: an empty score is never taken as full marks.
    response = liaison_a_client.post(f"/assessment/{YEAR}/self/{opened.filing.pk}/", {"explanation": "已备案"})
    assert response.status_code == 400 and "请填写自评得分" in _field(response.content.decode(), "claimed")
    assert not SelfAssessment.objects.exists()


def test_submission_is_refused_naming_the_items_not_yet_self_assessed(opened, liaison_a_client, unit_a):
    liaison_a_client.post(f"/assessment/{YEAR}/self/{opened.filing.pk}/", {"claimed": "20", "explanation": ""})
    page = liaison_a_client.post(f"/assessment/{YEAR}/self/submit/", follow=True).content.decode()
    assert "还有 1 个评分项未自评，不能提交：“执法案卷评查合格”。" in page
    assert CategoryMembership.objects.get(unit=unit_a).self_state == SelfState.DRAFT
    # The data-bound item, the bonus and the veto need no claim: with the one left claimed, it goes through.
    liaison_a_client.post(f"/assessment/{YEAR}/self/{opened.cases.pk}/", {"claimed": "50", "explanation": ""})
    page = liaison_a_client.post(f"/assessment/{YEAR}/self/submit/", follow=True).content.decode()
    assert "本单位自评已提交" in page
    assert CategoryMembership.objects.get(unit=unit_a).self_state == SelfState.SUBMITTED


def test_a_submitted_self_assessment_shows_read_only(opened, liaison_a_client, unit_a):
    url = f"/assessment/{YEAR}/self/{opened.filing.pk}/"
    liaison_a_client.post(url, {"claimed": "20", "explanation": "全部备案", "files": _pdf()})
    liaison_a_client.post(f"/assessment/{YEAR}/self/{opened.cases.pk}/", {"claimed": "50", "explanation": ""})
    liaison_a_client.post(f"/assessment/{YEAR}/self/submit/")
    page = liaison_a_client.get(url).content.decode()
    assert 'name="claimed"' not in page and "全部备案" in page and "备案登记表.pdf" in page
    response = liaison_a_client.post(url, {"claimed": "10", "explanation": "改"})
    assert response.status_code == 400 and "本单位自评已提交，不能再修改" in response.content.decode()
    assert SelfAssessment.objects.get(indicator=opened.filing).claimed == D(20)


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def test_the_score_input_carries_the_items_range_so_the_browser_refuses_first(opened, liaison_a_client):
    page = liaison_a_client.get(f"/assessment/{YEAR}/self/{opened.filing.pk}/").content.decode()
    claimed = _claimed_input(page)
    assert 'min="0"' in claimed and 'max="20"' in claimed and 'step="0.01"' in claimed
    assert "novalidate" not in re.search(r'<form[^>]*class="card form-card self-form"[^>]*>', page).group(0)
    bonus = _claimed_input(liaison_a_client.get(f"/assessment/{YEAR}/self/{opened.bonus.pk}/").content.decode())
    assert 'min="-3"' in bonus and 'max="3"' in bonus


def test_a_png_with_a_score_over_the_maximum_asks_for_the_file_again_at_the_file_field(opened, liaison_a_client):
    url = f"/assessment/{YEAR}/self/{opened.bonus.pk}/"
    png = SimpleUploadedFile("表扬通报.png", _png(), content_type="image/png")
    response = liaison_a_client.post(url, {"claimed": "5", "explanation": "获省司法厅通报表扬。", "files": png})
    page = response.content.decode()
    assert response.status_code == 400
    assert "自评得分应在 -3 至 3 分之间" in _field(page, "claimed") and 'value="5"' in _claimed_input(page)
    assert "获省司法厅通报表扬。</textarea>" in page
    assert "本次没有保存，请重新选择要上传的文件。" in _field(page, "files")
    assert not SelfAssessment.objects.exists() and not Evidence.objects.exists()


def test_a_refusal_without_files_does_not_ask_for_files(opened, liaison_a_client):
    response = liaison_a_client.post(f"/assessment/{YEAR}/self/{opened.filing.pk}/",
                                     {"claimed": "25", "explanation": ""})
    assert response.status_code == 400 and "重新选择" not in response.content.decode()


def _bound_row(page: str) -> str:
    return re.search(r"<tr><td[^>]*>进展报告按时报送.*?</tr>", page, re.S).group(0)


def test_data_bound_items_not_yet_due_say_so_rather_than_no_such_task(opened, small_plan, coordinator,
                                                                       liaison_a_client, unit_a):
    import datetime as dt

    from django.utils import timezone

    from reports import services as reports
    from reports.models import Obligation

    listing = liaison_a_client.get(f"/assessment/{YEAR}/self/").content.decode()
    assert "无此项任务" in _bound_row(listing)  # no period opened: the unit owes no progress report at all
    reports.open_period(plan=small_plan, name="年终报告", due_on=timezone.localdate() + dt.timedelta(days=30),
                        user=coordinator)
    later = Obligation.objects.filter(unit=unit_a).count()
    row = _bound_row(liaison_a_client.get(f"/assessment/{YEAR}/self/").content.decode())
    assert f"暂无到期任务（截至今日；{later} 份尚未到期，得分暂按满分计）" in row and "无此项任务" not in row
    assert '30 <span class="helptext">暂无到期任务' in row  # still full marks, so far

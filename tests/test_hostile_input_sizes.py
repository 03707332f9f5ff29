"""Hostile sizes: every free-text field has a limit (fazhi.limits) that forms AND services enforce, with a
Chinese message; the longest accepted texts keep the history and annual pages bounded; nginx's body limit
agrees with the largest upload the app accepts."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from fazhi import limits
from reports import annual, diffing, reminders, services_annual
from reports import services as report_services
from reports.files import MAX_FILE_SIZE, MAX_FILES_PER_REPORT, MAX_REQUEST_BYTES
from reports.models import AnnualReportDraft, Period, Report
from tasks import services as task_services
from tasks.models import Chapter, Plan, WorkItem
from tasks.parsing.readers import max_bytes as max_upload_bytes
from tests.hostile_support import page_fields

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
ACCEPTED = "法" * 9_999 + "。"  # 10,000 characters: a year-end text can honestly run this long
REFUSED = "法" * (limits.LONG_TEXT + 1)  # 20,001


@pytest.fixture
def scene(small_plan, coordinator, liaison_a, unit_a):
    period = report_services.open_period(plan=small_plan, name="半年报", user=coordinator,
                                         due_on=dt.date.today() + dt.timedelta(days=10))
    obligation = period.obligations.filter(unit=unit_a).first()
    report = report_services.start_report(obligation=obligation, user=liaison_a)
    return {"plan": small_plan, "period": period, "report": report, "unit": unit_a}


# --- forms ---------------------------------------------------------------------------------------------

FORM_CASES = [
    # (persona, url, field, too long, model whose rows must not change)
    ("liaison_a_client", "/reports/{report}/edit/", "measures", REFUSED, Report),
    ("liaison_a_client", "/reports/{report}/edit/", "problems", REFUSED, Report),
    ("liaison_a_client", "/reports/annual/{unit}/{year}/", "intro", REFUSED, AnnualReportDraft),
    ("liaison_a_client", "/reports/annual/{unit}/{year}/", "title", "题" * (limits.TITLE + 1), AnnualReportDraft),
    ("coordinator_client", "/reports/plans/{plan}/periods/", "name", "期" * (limits.NAME + 1), Period),
    ("coordinator_client", "/plans/{plan}/items/new/", "body", REFUSED, WorkItem),
    ("coordinator_client", "/plans/{plan}/chapters/new/", "title", "章" * (limits.TITLE + 1), Chapter),
    ("coordinator_client", "/plans/new/", "source_text", "文" * (limits.DOCUMENT_TEXT + 1), Plan),
]


@pytest.mark.parametrize(("persona", "url", "field", "value", "model"), FORM_CASES,
                         ids=[f"{c[1]}{c[2]}" for c in FORM_CASES])
def test_a_text_over_its_limit_is_a_form_error_that_keeps_the_rest(request, scene, persona, url, field, value,
                                                                   model):
    client = request.getfixturevalue(persona)
    url = url.format(report=scene["report"].pk, unit=scene["unit"].pk, year=scene["plan"].year,
                     plan=scene["plan"].pk)
    data = {**page_fields(client, url), field: value, "action": "save"}
    for name in ("title", "name") if field not in ("title", "name") else ():
        data.setdefault(name, "正常标题")
    if "/items/new/" in url:
        data["title"] = "正常标题"
    before = list(model.objects.order_by("pk").values())
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"最多 [\d,]+ 个字|不超过 [\d,]+ 个字符", page), re.findall(r"(?:error|message)[^<]{0,300}", page)
    assert list(model.objects.order_by("pk").values()) == before


# --- services ----------------------------------------------------------------------------------------

def test_report_services_refuse_texts_over_their_limits(scene, coordinator, liaison_a):
    report = scene["report"]
    for field, value in [("measures", REFUSED), ("next_steps", REFUSED),
                         ("delay_reason", "因" * (limits.SHORT_TEXT + 1))]:
        data = {"progress": "delayed", "percent": 10, "measures": "有内容", "delay_reason": "原因", field: value}
        with pytest.raises(report_services.ReportError, match="最多"):
            report_services.save_report(report=report, data=data, figures=None, user=liaison_a,
                                        expected_version=report.version)
    with pytest.raises(report_services.ReportError, match="指标"):
        report_services.save_report(report=report, data={}, user=liaison_a, expected_version=report.version,
                                    figures=[{"label": "指" * (limits.NAME + 1), "value": "1"}])
    report.refresh_from_db()
    assert report.version == 1 and report.measures == ""
    with pytest.raises(ValidationError, match="导语"):
        services_annual.save_annual_report(unit=scene["unit"], year=2026, data={"intro": REFUSED}, user=liaison_a,
                                           expected_version=None)
    assert not AnnualReportDraft.objects.exclude(intro="").exists()
    with pytest.raises(report_services.ReportError, match="名称"):
        report_services.open_period(plan=scene["plan"], name="期" * (limits.NAME + 1), user=coordinator,
                                    due_on=dt.date(2026, 12, 1))
    with pytest.raises(report_services.ReportError, match="附言"):
        reminders.remind_unit(unit=scene["unit"], user=coordinator, note="催" * (limits.SHORT_TEXT + 1))
    filled = report_services.save_report(report=report, data={"measures": "已完成"}, figures=None, user=liaison_a,
                                         expected_version=report.version)
    submitted = report_services.submit_report(report=filled, user=liaison_a)
    with pytest.raises(report_services.ReportError, match="退回意见"):
        report_services.return_report(report=submitted, user=coordinator, comment="改" * (limits.SHORT_TEXT + 1))
    with pytest.raises(report_services.ReportError, match="审核意见"):
        report_services.approve_report(report=submitted, user=coordinator, comment="好" * (limits.SHORT_TEXT + 1))
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_registry_services_refuse_texts_over_their_limits(scene):
    plan = scene["plan"]
    item = plan.items.order_by("seq").first()
    calls = [
        lambda: task_services.create_item(plan=plan, title="任务", body=REFUSED),
        lambda: task_services.update_item(item=item, title="任" * 301, body="", chapter=item.chapter,
                                          seq=item.seq, number="", deadline=None),
        lambda: task_services.create_chapter(plan=plan, title="章" * (limits.TITLE + 1)),
        lambda: task_services.create_plan(title="要点", year=2026, source_text="文" * (limits.DOCUMENT_TEXT + 1)),
        lambda: task_services.create_unit(name="单" * (limits.NAME + 1)),
        lambda: task_services.create_group(name="集合", description="说" * 201),
        lambda: task_services.add_alias(name="别" * (limits.NAME + 1), unit=scene["unit"]),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as caught:
            call()
        assert "最多" in " ".join(caught.value.messages)
    item.refresh_from_db()
    assert len(item.title) < 300


# --- the longest accepted texts stay cheap to show ---------------------------------------------------

class CountingMatcher(diffing.SequenceMatcher):
    sizes: list[int] = []

    def __init__(self, *, a, b, autojunk):
        CountingMatcher.sizes.append(len(a) * len(b))
        super().__init__(a=a, b=b, autojunk=autojunk)


def test_two_long_versions_make_a_bounded_history_page(scene, liaison_a, leader_client, monkeypatch):
    report = scene["report"]
    paragraphs = "\n".join("乙" * 99 for _ in range(100))  # 10,000 characters in 100 lines
    versions = [
        "甲" * 10_000, "丙" * 10_000,  # one line each: compared by line
        "\n".join("戊" * 9 for _ in range(1000)), "\n".join("己" * 9 for _ in range(1000)),  # 1000 × 1000 lines
        paragraphs, paragraphs[:5000] + "改" + paragraphs[5000:],  # a one-character edit in a long text
    ]
    for measures in versions:
        report = report_services.save_report(report=report, data={"measures": measures}, figures=None,
                                             user=liaison_a, expected_version=report.version)
    report_services.submit_report(report=report, user=liaison_a)
    CountingMatcher.sizes = []
    monkeypatch.setattr(diffing, "SequenceMatcher", CountingMatcher)
    response = leader_client.get(f"/reports/{report.pk}/history/")
    assert response.status_code == 200
    page = response.content.decode()
    assert CountingMatcher.sizes and max(CountingMatcher.sizes) <= diffing.CHAR_BUDGET
    assert diffing.TOO_LONG in page and diffing.BY_LINE in page
    assert "<ins>改</ins>" in page  # still shown by character
    methods = [diffing.diff_text(a, b).method for a, b in itertools.pairwise(versions)]
    assert methods == ["lines", "lines", "whole", "lines", "chars"]


class Line(str):
    comparisons = 0

    def strip(self, chars=None):  # already stripped; keep the counting type
        return self

    def __eq__(self, other):
        Line.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


class Text(str):
    def splitlines(self, keepends=False):
        return [Line(x) for x in str.splitlines(self, keepends)]


def test_the_annual_compile_is_linear_in_the_number_of_lines():
    n = 4_000
    texts = [Text("\n".join(f"第{i}条问题" for i in range(n))), Text("\n".join(f"第{i}条问题" for i in range(n)))]
    Line.comparisons = 0
    compiled = annual._merged(texts)
    assert compiled.count("\n") == n - 1
    # A list's membership test compared each line with every earlier one (n² / 2 = 8,000,000 here).
    assert Line.comparisons <= 2 * n


def test_the_annual_page_shows_long_reports(scene, liaison_a, liaison_a_client, coordinator):
    report = report_services.save_report(
        report=scene["report"], figures=None, user=liaison_a, expected_version=scene["report"].version,
        data={"measures": ACCEPTED, "problems": "\n".join(f"问题{i}" for i in range(1500)),
              "next_steps": ACCEPTED})
    report_services.submit_report(report=report, user=liaison_a)
    # The unit's year-end report uses approved reports only; its own liaison sees the compiled problems.
    report_services.approve_report(report=report, user=coordinator)
    response = liaison_a_client.get(f"/reports/annual/{scene['unit'].pk}/{scene['plan'].year}/")
    assert response.status_code == 200
    assert "问题1499" in response.content.decode()


# --- file sizes ---------------------------------------------------------------------------------------

def test_nginx_body_limit_is_the_largest_request_the_app_accepts():
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    sizes = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", conf, flags=re.M)
    assert sizes == [str(MAX_REQUEST_BYTES // (1024 * 1024))]
    assert MAX_REQUEST_BYTES >= MAX_FILE_SIZE * MAX_FILES_PER_REPORT
    assert max_upload_bytes() <= MAX_REQUEST_BYTES

"""The report as Word, read back; built by the export worker; and the government_report command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from govreport import services
from govreport.documents import report_docx
from govreport.models import GovReport
from tests.govreport.conftest import YEAR, finished_report
from tests.govreport.test_publishing import DETAILS

pytestmark = pytest.mark.django_db


def _east_asia(paragraph) -> set[str]:
    fonts = set()
    for run in paragraph.runs:
        rfonts = run._element.rPr.find(qn("w:rFonts")) if run._element.rPr is not None else None
        if rfonts is not None and run.text.strip():
            fonts.add(rfonts.get(qn("w:eastAsia")))
    return fonts


def _all_paragraphs(document):
    """Body paragraphs and those in text boxes (the 版记 sits in one at the foot of the last page)."""
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, document) for p in document.element.body.iter(qn("w:p"))]


@pytest.fixture
def finished(gov_world, coordinator):
    return finished_report(gov_world, coordinator, "司法局组织专题学习，培训干部1200人次。")


def test_docx_read_back_has_header_number_recipients_parts_signature_imprint_fonts_and_a4(finished):
    document = Document(io.BytesIO(report_docx(finished)))
    paragraphs = _all_paragraphs(document)
    texts = [p.text for p in paragraphs]
    assert texts.index("测试市人民政府") < texts.index("测政呈〔2027〕3号") < texts.index(DETAILS["title"])
    header = paragraphs[texts.index("测试市人民政府")]
    assert header.runs[0].font.color.rgb is not None and str(header.runs[0].font.color.rgb) == "FF0000"
    assert "中共测试市委员会、测试市人大常委会：" in texts
    for heading in ("一、加强党对法治政府建设的领导", "（一）深入学习贯彻习近平法治思想", "（二）推进基层法治建设",
                    "二、健全依法行政制度体系", "（三）规范执法检查",
                    "三、党政主要负责人履行推进法治建设第一责任人职责情况", "四、存在的不足和原因",
                    f"五、{YEAR + 1}年主要工作安排"):
        assert heading in texts, heading
    assert _east_asia(paragraphs[texts.index("一、加强党对法治政府建设的领导")]) == {"黑体"}
    assert _east_asia(paragraphs[texts.index("（一）深入学习贯彻习近平法治思想")]) == {"楷体_GB2312"}
    body = next(p for p in paragraphs if p.text.startswith("深入学习贯彻习近平法治思想的正文"))
    assert _east_asia(body) == {"仿宋_GB2312"}
    assert "测试市人民政府" in [t.strip() for t in texts[texts.index(DETAILS["title"]) + 1:]]  # 落款
    assert any(t.strip() == "2027年3月25日" for t in texts)  # 成文日期 in Arabic figures
    assert any("抄送：市委依法治市办。" in t for t in texts)  # 版记
    assert any(t.startswith("测试市人民政府办公室") and t.endswith("2027年3月25日印发") for t in texts)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4 (twips round)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm), round(section.left_margin.mm),
            round(section.right_margin.mm)) == (37, 35, 28, 26)


def test_word_is_built_by_the_export_worker(finished, coordinator_client, fetch_export):
    response = fetch_export(coordinator_client, reverse("govreport:export", args=[finished.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert DETAILS["title"] in [p.text for p in Document(io.BytesIO(content)).paragraphs]


def test_liaisons_may_have_the_word_file_too(finished, liaison_a_client, fetch_export):
    response = fetch_export(liaison_a_client, reverse("govreport:export", args=[finished.pk]))
    assert response.status_code == 200


def test_command_compiles_when_needed_and_prints_one_summary_line(gov_world, tmp_path, capsys):
    w = gov_world
    w.file(w.year_end, w.items[0], w.unit_a, "司法局的做法。")
    w.file(w.half, w.items[1], w.unit_b, "甲镇上半年的做法。")
    output = tmp_path / "report.docx"
    call_command("government_report", "--year", str(YEAR), "--output", str(output))
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [f"测试市人民政府{YEAR}年度报告：5 个部分，3 项工作，2 项有来源，1 项无来源；已写入 {output}"]
    assert GovReport.objects.filter(year=YEAR).count() == 1
    texts = [p.text for p in Document(str(output)).paragraphs]
    assert "（一）深入学习贯彻习近平法治思想" in texts and "司法局的做法。" in texts


def test_command_on_a_year_without_plan_exits_1_in_chinese(gov_world, tmp_path):
    with pytest.raises(CommandError, match=f"{YEAR - 5}年没有已印发的工作要点"):
        call_command("government_report", "--year", str(YEAR - 5), "--output", str(tmp_path / "x.docx"))
    assert not (tmp_path / "x.docx").exists()


def test_approval_date_does_not_change_the_word_file(finished, coordinator):
    before = [p.text for p in Document(io.BytesIO(report_docx(finished))).paragraphs]
    services.approve_report(report=finished, approved_on=dt.date(2027, 3, 20), meeting="会", user=coordinator)
    after = [p.text for p in Document(io.BytesIO(report_docx(finished))).paragraphs]
    assert before == after

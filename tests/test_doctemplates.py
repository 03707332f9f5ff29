"""An office's own Word template: checked on upload, filled in a sandbox; hostile templates fail safely."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from docx import Document
from docx.shared import RGBColor

from fazhi.doctemplates import SAMPLE, TemplateRefused, fill_template, validate_template
from fazhi.officialdoc import fill_template as contract_fill_template
from tests.test_officialdoc import UPWARD


def _template(*lines: str, red_first: bool = True, footer: str = "{{ printer }}") -> bytes:
    document = Document()
    for n, line in enumerate(lines):
        run = document.add_paragraph().add_run(line)
        if n == 0 and red_first:
            run.font.color.rgb = RGBColor(0xFF, 0, 0)
    document.sections[0].footer.paragraphs[0].text = footer
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


GOOD = _template("{{ issuer_mark }}", "{{ doc_number }}　签发人：{{ signer }}", "{{ title }}", "{{ recipients_line }}",
                 "{{p body }}", "{{ signature }}", "{{ date }}", "{{ cc_line }}",
                 "{{ printer }}　{{ print_date }}印发", "{% for r in recipients %}[{{ r }}]{% endfor %}")


def test_a_good_template_is_accepted_and_filled_with_the_document():
    validate_template(GOOD)
    filled = Document(io.BytesIO(contract_fill_template(GOOD, UPWARD)))
    texts = [p.text for p in filled.paragraphs]
    assert texts[0] == "苏州市测试区人民政府"
    assert str(filled.paragraphs[0].runs[0].font.color.rgb) == "FF0000"  # the office's own red header is kept
    assert texts[1] == "测政呈〔2027〕3号　签发人：王某某"
    assert "中共苏州市测试区委员会、苏州市人民政府：" in texts
    # {{p body }} brings the formatted body: headings in 黑体/楷体, text in 仿宋
    heading = next(p for p in filled.paragraphs if p.text == "一、主要举措和成效")
    assert heading.runs[0]._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    assert "（一）深化政务服务改革" in texts and "网上可办率98.5%。" in texts
    assert "2027年3月20日" in texts and "抄送：区人大常委会，区政协。" in texts
    assert "苏州市测试区人民政府办公室　2027年3月21日印发" in texts
    assert "[中共苏州市测试区委员会][苏州市人民政府]" in texts
    assert filled.sections[0].footer.paragraphs[0].text == "苏州市测试区人民政府办公室"


def test_values_are_escaped_not_read_as_word_markup():
    import dataclasses

    doc = dataclasses.replace(SAMPLE, title='关于<w:p>&"测试"</w:p>的报告')
    filled = Document(io.BytesIO(fill_template(GOOD, doc)))
    assert '关于<w:p>&"测试"</w:p>的报告' in [p.text for p in filled.paragraphs]


@pytest.mark.parametrize(("tag", "message"), [
    ("{{ ''.__class__.__mro__ }}", "不允许的操作"),
    ("{{ title.__class__.__init__.__globals__ }}", "不允许的操作"),
    ("{{ recipients.append('x') }}", "不允许的操作"),
    ("{% for x in range(10**9) %}x{% endfor %}", "循环次数超过"),
    ("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}"
     "{% endfor %}{% endfor %}", "循环总次数超过"),
    ("{% for a in blocks %}{% for b in blocks %}{% for c in range(1000) %}{% for d in range(1000) %}"
     "{% endfor %}{% endfor %}{% endfor %}{% endfor %}", "循环总次数超过"),
    ("{{ 'x' * 10**9 }}", "内容过长"),
    ("{{ 'x'|center(10**9) }}", "参数超出限制"),
    ("{{ title|safe }}", "过滤器：safe"),
    ("{{ secret_key }}", "不存在的字段：secret_key"),
    ("{{ title ", "语法错误"),
])
def test_a_hostile_or_broken_template_is_refused_with_a_chinese_message_and_quickly(tag, message):
    started = time.monotonic()
    with pytest.raises(TemplateRefused, match=message):
        validate_template(_template(tag))
    assert time.monotonic() - started < 60  # never the CPU limit's full course on an idle machine either


def test_a_template_that_outruns_the_cpu_limit_is_stopped():
    # Nothing here is bounded by the sandbox's counters (string iteration), so the process limit must stop it.
    busy = _template("{% for a in title %}{% for b in title %}{% for c in title %}{% for d in title %}"
                     "{{ loop.index }}{% endfor %}{% endfor %}{% endfor %}{% endfor %}")
    with pytest.raises(TemplateRefused, match=r"超出时间或内存限制|仍未完成"):
        fill_template(busy, SAMPLE, cpu_seconds=1, wall_seconds=15)


def test_a_template_without_tags_is_refused():
    with pytest.raises(TemplateRefused, match="没有任何填充标记"):
        validate_template(_template("只有文字的模板", footer="页脚"))


def test_not_a_word_file_is_refused():
    with pytest.raises(TemplateRefused, match=r"损坏|不是有效"):
        validate_template(b"not a zip at all")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TemplateRefused, match="Word"):
        validate_template(buffer.getvalue())


def test_a_zip_bomb_is_refused_before_anything_expands_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a>" + b" " * (40 * 1024 * 1024) + b"</a>")
    with pytest.raises(TemplateRefused, match=r"解压后|压缩比"):
        validate_template(buffer.getvalue())


def test_a_template_with_a_dtd_is_refused():
    data = io.BytesIO(GOOD)
    out = io.BytesIO()
    with zipfile.ZipFile(data) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e "boom">]>', 1)
            dst.writestr(info, content)
    with pytest.raises(TemplateRefused, match="DTD"):
        validate_template(out.getvalue())

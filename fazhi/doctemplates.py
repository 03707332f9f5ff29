"""An office's own Word template (its 版头, 版记 and fonts), checked on upload and filled with a document.

A template is a .docx with docxtpl/Jinja tags (``{{ title }}``, ``{{p body }}``, …) naming only the
fields in ``fazhi.officialdoc.TEMPLATE_FIELDS``. Because the tags are code written by a user, filling
runs in a separate process (``fazhi/template_sandbox.py``) with a Jinja sandbox, a CPU-time and a
memory limit and a wall-clock timeout: a template that reaches for ``''.__class__`` or loops a
billion times is stopped with a Chinese message, and the web or worker process never runs it.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

from fazhi.containers import TEMPLATE_LIMITS, ContainerRefused, check_docx
from fazhi.officialdoc import (
    TEMPLATE_FIELDS,
    Heading,
    OfficialDocument,
    Paragraph,
    document_to_json,
)

logger = logging.getLogger(__name__)

SANDBOX = Path(__file__).with_name("template_sandbox.py")
CPU_SECONDS = 5
MEMORY_BYTES = 768 * 1024 * 1024
WALL_SECONDS = 20
LABEL = "Word 模板"


class TemplateRefused(ContainerRefused):
    """The template cannot be used; ``str(exc)`` is the Chinese message to show."""


def _check_container(data: bytes) -> None:
    """Size, entries, ratio, DTDs and paragraph count, before python-docx or docxtpl sees the bytes."""
    try:
        check_docx(data, TEMPLATE_LIMITS, label=LABEL)
    except TemplateRefused:
        raise
    except ContainerRefused as exc:
        raise TemplateRefused(str(exc)) from exc


def _parse_document(data: bytes):
    from docx import Document

    try:
        return Document(io.BytesIO(data))
    except ValueError as exc:  # python-docx: not a WordprocessingML document (.dotx, .docm, .xlsx…)
        raise TemplateRefused(
            f"{LABEL}须为 Word 文档（.docx）；模板文件（.dotx）或启用宏的文档请另存为 .docx 后上传。"
        ) from exc
    except Exception as exc:  # python-docx raises KeyError/PackageNotFoundError on a zip that is no docx
        raise TemplateRefused(f"{LABEL}已损坏或不是有效的 Word 文档（.docx）。") from exc


def _template_source(data: bytes) -> str:
    """The Jinja source docxtpl would render: body, headers and footers, with Word's run splits cleaned."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(data))
    tpl.init_docx()
    parts = [tpl.patch_xml(tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            parts.append(tpl.patch_xml(tpl.get_part_xml(part)))
    return "\n".join(parts)


SAMPLE = OfficialDocument(
    issuer_mark="××区人民政府",
    title="××区人民政府关于2027年度法治政府建设情况的报告",
    doc_number="×政呈〔2028〕1号",
    signer="×××",
    recipients=("中共××区委", "××市人民政府"),
    blocks=(Paragraph("导语。"), Heading(1, "一、主要举措和成效"), Heading(2, "（一）标题"), Paragraph("正文。")),
    signature="××区人民政府",
    date=dt.date(2028, 3, 20),
    cc=("区人大常委会",),
    printer="××区人民政府办公室",
    print_date=dt.date(2028, 3, 21),
)


def validate_template(data: bytes) -> None:
    """Refuse, with a Chinese message, anything that is not a Word template this application can fill:
    a container that fails the bomb checks, a file that is not a .docx, tags that do not parse or name
    unknown fields, and a template that fails when filled with a sample document."""
    from jinja2 import TemplateSyntaxError, meta

    from fazhi.template_sandbox import make_environment

    _check_container(data)
    _parse_document(data)
    source = _template_source(data)
    if "{{" not in source and "{%" not in source:
        raise TemplateRefused(f"{LABEL}中没有任何填充标记（如 {{{{ title }}}}、{{{{p body }}}}），无法填入报告内容。")
    try:
        parsed = make_environment().parse(source)
        names = meta.find_undeclared_variables(parsed)  # compiles: unknown filters fail here
    except TemplateSyntaxError as exc:
        # The line number counts XML lines, useless to a clerk; the message names what is wrong.
        raise TemplateRefused(syntax_message(exc)) from exc
    unknown = sorted(names - set(TEMPLATE_FIELDS) - {"range"})
    if unknown:
        names = "、".join(unknown[:10])
        raise TemplateRefused(f"{LABEL}中使用了不存在的字段：{names}。可用的字段：{'、'.join(TEMPLATE_FIELDS)}。")
    fill_template(data, SAMPLE)


def syntax_message(exc: Exception) -> str:
    detail = getattr(exc, "message", "") or ""
    if match := re.match(r"No filter named '([^']{1,40})'", detail):
        return f"{LABEL}中使用了不允许或不存在的过滤器：{match.group(1)}。"
    return f"{LABEL}的标记有语法错误（请检查 {{{{ }}}} 与 {{% %}} 是否成对、拼写是否正确）：{detail[:200]}。"


def fill_template(template_bytes: bytes, doc: OfficialDocument, *, cpu_seconds: int = CPU_SECONDS,
                  wall_seconds: int = WALL_SECONDS) -> bytes:
    """``doc`` rendered into the template, in the sandbox process. Raises ``TemplateRefused``."""
    _check_container(template_bytes)
    request = json.dumps({
        "template": base64.b64encode(template_bytes).decode("ascii"),
        "document": document_to_json(doc),
        "cpu_seconds": cpu_seconds,
        "memory_bytes": MEMORY_BYTES,
    }).encode()
    try:
        done = subprocess.run(  # our own interpreter and script, no shell; data on stdin
            [sys.executable, "-I", "-B", str(SANDBOX)], input=request, capture_output=True, timeout=wall_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise TemplateRefused(f"{LABEL}填充超过 {wall_seconds} 秒仍未完成（可能含有过大的循环），已停止。") from exc
    if done.returncode == 0 and done.stdout:
        return done.stdout
    message = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode == 2 and message and _is_chinese_message(message):
        raise TemplateRefused(message)
    if done.returncode < 0:
        raise TemplateRefused(f"{LABEL}填充超出时间或内存限制（可能含有过大的循环），已停止。")
    logger.warning("Template sandbox failed (exit %s): %s", done.returncode, message[-2000:])
    raise TemplateRefused(f"{LABEL}无法填充，请检查模板中的标记。")


def _is_chinese_message(text: str) -> bool:
    """Only our own short messages reach the user, never a traceback from the child."""
    return len(text) < 500 and "Traceback" not in text and bool(re.search(r"[\u4e00-\u9fff]", text))

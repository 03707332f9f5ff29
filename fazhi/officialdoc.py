"""An official document (公文) as data, and the one place that turns it into Word.

The contract is the frozen dataclasses below: whoever writes a 法治政府建设情况报告 (a unit's own,
or the government's) fills an ``OfficialDocument`` and hands it to ``build_docx`` (the built-in
GB/T 9704-2012 layout) or to ``fill_template`` (an office's own uploaded Word template). Keep the
field names stable: uploaded templates refer to them by name.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field
from typing import Any, Literal

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor


@dataclass(frozen=True)
class Heading:
    """A body heading: level 1 is 黑体 "一、…", level 2 is 楷体 "（一）…". ``text`` carries its number."""

    level: Literal[1, 2]
    text: str


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph (仿宋, first line indented two characters)."""

    text: str


Block = Heading | Paragraph


@dataclass(frozen=True)
class OfficialDocument:
    issuer_mark: str  # 发文机关标志, printed red, e.g. "苏州市相城区人民政府"; may end in "文件"
    title: str  # e.g. "苏州市相城区人民政府关于2027年度法治政府建设情况的报告"
    doc_number: str = ""  # 文号, e.g. "相政呈〔2027〕3号"; empty when the document has none yet
    signer: str = ""  # 签发人, only on an upward report (上行文); printed right of the 文号
    recipients: tuple[str, ...] = ()  # 主送机关, in order
    blocks: tuple[Block, ...] = ()
    attachments_note: str = ""  # 附件说明, e.g. "附件：1．…"; empty when there is none
    signature: str = ""  # 落款 (发文机关署名)
    date: dt.date | None = None  # 成文日期
    cc: tuple[str, ...] = ()  # 抄送机关
    printer: str = ""  # 印发机关
    print_date: dt.date | None = None  # 印发日期
    warnings: tuple[str, ...] = field(default=(), compare=False)  # for the page, never printed

    @property
    def is_upward(self) -> bool:
        """An upward report (上行文) carries a 签发人."""
        return bool(self.signer)


def chinese_date(day: dt.date) -> str:
    """成文日期 in Arabic figures, as GB/T 9704-2012 §7.3.5.2 prescribes: 2027年3月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_to_json(doc: OfficialDocument) -> dict[str, Any]:
    """Plain data (for the template child process and for tests); ``document_from_json`` reverses it."""
    return {
        "issuer_mark": doc.issuer_mark, "title": doc.title, "doc_number": doc.doc_number, "signer": doc.signer,
        "recipients": list(doc.recipients),
        "blocks": [{"level": b.level, "text": b.text} if isinstance(b, Heading) else {"level": 0, "text": b.text}
                   for b in doc.blocks],
        "attachments_note": doc.attachments_note, "signature": doc.signature,
        "date": doc.date.isoformat() if doc.date else None, "cc": list(doc.cc), "printer": doc.printer,
        "print_date": doc.print_date.isoformat() if doc.print_date else None,
    }


def document_from_json(data: dict[str, Any]) -> OfficialDocument:
    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return OfficialDocument(
        issuer_mark=data["issuer_mark"], title=data["title"], doc_number=data["doc_number"], signer=data["signer"],
        recipients=tuple(data["recipients"]),
        blocks=tuple(Heading(b["level"], b["text"]) if b["level"] else Paragraph(b["text"]) for b in data["blocks"]),
        attachments_note=data["attachments_note"], signature=data["signature"], date=day(data["date"]),
        cc=tuple(data["cc"]), printer=data["printer"], print_date=day(data["print_date"]),
    )


# The names an uploaded template may use, with what each holds (shown on the upload page).
TEMPLATE_FIELDS: dict[str, str] = {
    "issuer_mark": "发文机关标志，如“××区人民政府”",
    "doc_number": "文号，如“相政呈〔2027〕3号”",
    "signer": "签发人（上行文）",
    "title": "标题",
    "recipients": "主送机关（列表）",
    "recipients_line": "主送机关一行，如“区委、市政府：”",
    "body": "正文（已按黑体、楷体、仿宋排好的段落，用 {{p body }} 插入）",
    "blocks": "正文各段（列表，每段有 level：0 正文、1 一级标题、2 二级标题，和 text）",
    "attachments_note": "附件说明",
    "signature": "落款（发文机关署名）",
    "date": "成文日期，如“2028年3月20日”",
    "cc": "抄送机关（列表）",
    "cc_line": "抄送一行，如“抄送：区人大常委会，区政协。”",
    "printer": "印发机关",
    "print_date": "印发日期，如“2028年3月21日”",
}


def template_context(doc: OfficialDocument, *, subdoc: Any = None) -> dict[str, Any]:
    """What a template sees: the contract's fields as strings and lists of strings, nothing with methods
    worth calling. ``subdoc`` (docxtpl's) receives the formatted body; without it ``body`` is plain text."""
    recipients = [r.strip() for r in doc.recipients if r.strip()]
    cc = [c.strip() for c in doc.cc if c.strip()]
    blocks = [{"level": b.level if isinstance(b, Heading) else 0, "text": b.text} for b in doc.blocks]
    if subdoc is not None:
        write_body(subdoc, doc.blocks)
        body: Any = subdoc
    else:
        body = "\n".join(b["text"] for b in blocks)
    context = {
        "issuer_mark": doc.issuer_mark, "doc_number": doc.doc_number, "signer": doc.signer, "title": doc.title,
        "recipients": recipients, "recipients_line": "、".join(recipients) + "：" if recipients else "",
        "body": body, "blocks": blocks, "attachments_note": doc.attachments_note, "signature": doc.signature,
        "date": chinese_date(doc.date) if doc.date else "", "cc": cc,
        "cc_line": "抄送：" + "，".join(cc) + "。" if cc else "", "printer": doc.printer,
        "print_date": chinese_date(doc.print_date) if doc.print_date else "",
    }
    assert set(context) == set(TEMPLATE_FIELDS)
    return context


def validate_template(data: bytes) -> None:
    """Refuse (``fazhi.doctemplates.TemplateRefused``, Chinese message) an upload that is not a usable template."""
    from fazhi.doctemplates import validate_template as validate

    validate(data)


def fill_template(template_bytes: bytes, doc: OfficialDocument) -> bytes:
    """The document in an office's own uploaded template, rendered in a sandboxed, time-limited process."""
    from fazhi.doctemplates import fill_template as fill

    return fill(template_bytes, doc)


# ---------------------------------------------------------------------------------------------
# The built-in layout (GB/T 9704-2012 《党政机关公文格式》)

TITLE_FONT = "方正小标宋简体"  # 发文机关标志 and 标题
BODY_FONT = "仿宋_GB2312"  # 正文, 主送, 落款, 版记
H1_FONT = "黑体"  # 一、
H2_FONT = "楷体_GB2312"  # （一）, and 签发人's name
PAGE_FONT = "宋体"  # 页码: 4号半角宋体阿拉伯数字
RED = RGBColor(0xFF, 0x00, 0x00)
BODY_PT = 16  # 3号
NOTE_PT = 14  # 4号: 版记 and page numbers
LINE_PT = 28  # exact line pitch: 22 lines in the 225 mm type area
TYPE_AREA_WIDTH_PT = 156 / 25.4 * 72  # 版心 156 mm wide


def _text_width(text: str) -> float:
    """Width in characters of 3号 text: CJK and full-width signs count 1, ASCII (digits, Latin) ½."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _fonts(run, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    """Set the font on every script slot: Word takes Chinese text from w:eastAsia, not from w:ascii."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _para(container, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, line: float = LINE_PT, first_indent: float = 0,
          left: float = 0, right: float = 0, before: float = 0):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(0)
    fmt.widow_control = True
    if first_indent:
        fmt.first_line_indent = Pt(first_indent)
    if left:
        fmt.left_indent = Pt(left)
    if right:
        fmt.right_indent = Pt(right)
    return p


def _line(container, text: str, font: str = BODY_FONT, size: float = BODY_PT, **kwargs):
    p = _para(container, **kwargs)
    if text:
        _fonts(p.add_run(text), font, size)
    return p


def _border(p, side: str, *, size_eighths: int, color: str, space: int = 0) -> None:
    ppr = p._element.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), color)
    borders.append(el)


def _page_field(run) -> None:
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._element.append(el)


def _page_number(footer, *, odd: bool) -> None:
    """"— 1 —" in 4号宋体: odd pages right, even pages left, one character in from the type area (§7.5)."""
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        p.paragraph_format.right_indent = Pt(NOTE_PT)
    else:
        p.paragraph_format.left_indent = Pt(NOTE_PT)
    _fonts(p.add_run("— "), PAGE_FONT, NOTE_PT)
    run = p.add_run()
    _fonts(run, PAGE_FONT, NOTE_PT)
    _page_field(run)
    _fonts(p.add_run(" —"), PAGE_FONT, NOTE_PT)


def _setup(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The page number's dash sits 7 mm under the type area: footer text (4号, ≈5 mm) ends ≈23 mm above the edge.
    section.footer_distance = Mm(23)
    section.header_distance = Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)
    core = document.core_properties
    core.author = ""
    core.comments = ""


def _masthead(document, doc: OfficialDocument) -> None:
    """版头: red 发文机关标志, 文号 (with 签发人 on an upward report), then the red separator (§7.2)."""
    mark = doc.issuer_mark.strip()
    # As large as fits one line of the 156 mm type area, never above 2 cm-high characters.
    size = max(12, min(56, int(TYPE_AREA_WIDTH_PT * 0.96 / max(_text_width(mark), 1))))
    # Its top edge 35 mm below the top of the type area.
    p = _para(document, align=WD_ALIGN_PARAGRAPH.CENTER, line=size * 1.2, before=Mm(35).pt - size * 0.2)
    _fonts(p.add_run(mark), TITLE_FONT, size, color=RED)
    p.paragraph_format.keep_with_next = True
    # 文号 two lines below the mark; on an upward report it sits left (one character in) on the
    # same line as the 签发人, who is right (one character in).
    number = doc.doc_number.strip()
    if doc.is_upward:
        # No paragraph indents: the red rule below is this paragraph's border and must span the type area.
        # One character in on each side comes from a full-width space and a right tab one character short.
        p = _para(document, align=WD_ALIGN_PARAGRAPH.LEFT, before=LINE_PT * 2)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(BODY_PT), WD_TAB_ALIGNMENT.RIGHT)
        _fonts(p.add_run("\u3000" + number + "\t"), BODY_FONT, BODY_PT)
        _fonts(p.add_run("签发人："), BODY_FONT, BODY_PT)
        _fonts(p.add_run(doc.signer.strip()), H2_FONT, BODY_PT)
    else:
        p = _para(document, align=WD_ALIGN_PARAGRAPH.CENTER, before=LINE_PT * 2)
        if number:
            _fonts(p.add_run(number), BODY_FONT, BODY_PT)
    # The red separator, the width of the type area, 4 mm under the 文号.
    _border(p, "bottom", size_eighths=12, color="FF0000", space=11)
    p.paragraph_format.keep_with_next = True


def _signature(document, doc: OfficialDocument) -> None:
    """落款 without a seal (§7.3.5.2): the issuer two characters in from the right, the date under it,
    its first character two to the right of the issuer's; a longer date keeps two in and pushes the issuer left."""
    sign = doc.signature.strip()
    date_text = chinese_date(doc.date) if doc.date else ""
    if not sign and not date_text:
        return
    sw, dw = _text_width(sign), _text_width(date_text)
    sign_right = max(2.0, 4 + dw - sw) if sign else 2.0
    date_right = max(2.0, sign_right + sw - 2 - dw) if sign else 2.0
    _line(document, "")
    if sign:
        _line(document, sign, align=WD_ALIGN_PARAGRAPH.RIGHT, right=sign_right * BODY_PT).paragraph_format \
            .keep_with_next = True
    if date_text:
        _line(document, date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, right=date_right * BODY_PT)


_NAMESPACES = " ".join(
    f'xmlns:{prefix}="{uri}"' for prefix, uri in (
        ("w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
        ("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
        ("a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
        ("wps", "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"),
    )
)
_IMPRINT_ANCHOR = """<w:r {ns}><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0"
 relativeHeight="251659264" behindDoc="0" locked="1" layoutInCell="1" allowOverlap="0">
<wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>
<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>
<wp:docPr id="9704" name="版记"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent/></wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0">
<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"""
EMU_PER_PT = 12700


def _imprint(document, doc: OfficialDocument) -> None:
    """版记 (§7.4) at the foot of the last page: 抄送, then 印发机关 and 印发日期, between rules — thick
    above and below (0.35 mm), thin between (0.25 mm).

    A text box anchored to the last paragraph and aligned to the bottom of the type area, so the last rule lies
    on the type area's lower edge whatever the body's length (Word and LibreOffice both place it so; a floating
    table as wide as the type area is laid inline by LibreOffice)."""
    cc = [c.strip() for c in doc.cc if c.strip()]
    has_print = bool(doc.printer.strip() or doc.print_date)
    if not cc and not has_print:
        return
    paragraphs = []
    lines = 0
    if cc:
        text = "抄送：" + "，".join(cc) + "。"
        # 左右各空一字; continuation lines align after "抄送：".
        p = _line(document, text, size=NOTE_PT, left=NOTE_PT * 4, first_indent=-NOTE_PT * 3, right=NOTE_PT)
        per_line = (TYPE_AREA_WIDTH_PT - NOTE_PT * 5) / NOTE_PT
        lines += max(1, math.ceil((_text_width(text) - 3) / per_line))
        _border(p, "top", size_eighths=8, color="000000", space=1)
        paragraphs.append(p)
    if has_print:
        p = _para(document, left=NOTE_PT, right=NOTE_PT)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(NOTE_PT * 2), WD_TAB_ALIGNMENT.RIGHT)
        printed = f"{chinese_date(doc.print_date)}印发" if doc.print_date else ""
        _fonts(p.add_run(f"{doc.printer.strip()}\t{printed}"), BODY_FONT, NOTE_PT)
        lines += 1
        _border(p, "top", size_eighths=6 if cc else 8, color="000000", space=1)
        paragraphs.append(p)
    _border(paragraphs[-1], "bottom", size_eighths=8, color="000000", space=1)
    cy = int((lines * LINE_PT + 8) * EMU_PER_PT)
    anchor_run = parse_xml(_IMPRINT_ANCHOR.format(ns=_NAMESPACES, cx=Mm(156).emu, cy=cy))
    content = anchor_run.find(".//" + qn("w:txbxContent"))
    for p in paragraphs:
        content.append(p._element)  # moves them out of the body into the box
    # A body must end in a paragraph; this one (1 pt high) holds the box, so the box is on the last page.
    holder = _line(document, "", size=1, line=1)
    holder._element.append(anchor_run)


def write_body(container: Any, blocks: tuple[Block, ...]) -> None:
    """The body: 黑体 "一、" and 楷体 "（一）" headings kept with what follows, 仿宋 paragraphs indented two
    characters; a paragraph's line breaks start new paragraphs."""
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if isinstance(block, Heading):
            font = H1_FONT if block.level == 1 else H2_FONT
            _line(container, text, font, first_indent=BODY_PT * 2).paragraph_format.keep_with_next = True
        else:
            for line in text.splitlines():
                if line.strip():
                    _line(container, line.strip(), first_indent=BODY_PT * 2)


def build_docx(doc: OfficialDocument) -> bytes:
    """The document in the built-in GB/T 9704-2012 layout, ready for a clerk to send unchanged."""
    document = Document()
    _setup(document)
    _masthead(document, doc)
    # 标题: 2号小标宋, two lines under the red separator, centred.
    _line(document, doc.title.strip(), TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, line=36,
          before=LINE_PT * 2)
    # 主送机关: one line under the title, flush left, ending in a full-width colon.
    recipients = [r.strip() for r in doc.recipients if r.strip()]
    _line(document, "")
    if recipients:
        _line(document, "、".join(recipients) + "：", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    write_body(document, doc.blocks)
    if doc.attachments_note.strip():
        _line(document, "")
        note = doc.attachments_note.strip().splitlines()
        for n, line in enumerate(note):
            # 附件说明: two characters in; further attachments align after "附件：".
            _line(document, line.strip(), left=BODY_PT * (2 if n == 0 else 5))
    _signature(document, doc)
    _imprint(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""An official document (公文) as data, and the one place that turns it into Word.

The contract is the frozen dataclasses below: whoever writes a 法治政府建设情况报告 (a unit's own,
or the government's) fills an ``OfficialDocument`` and hands it to ``build_docx`` (the built-in
GB/T 9704-2012 layout) or to ``fill_template`` (an office's own uploaded Word template). Keep the
field names stable: uploaded templates refer to them by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal


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


def build_docx(doc: OfficialDocument) -> bytes:  # pragma: no cover - replaced in the next commit
    raise NotImplementedError("build_docx lands in the next commit")


def validate_template(data: bytes) -> None:  # pragma: no cover - replaced in the next commit
    raise NotImplementedError("validate_template lands in the next commit")


def fill_template(template_bytes: bytes, doc: OfficialDocument) -> bytes:  # pragma: no cover
    raise NotImplementedError("fill_template lands in the next commit")

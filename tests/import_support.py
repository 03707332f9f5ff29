"""Helpers for the import tests: a small registry, a stand-in for the parser, and workbook builders."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from openpyxl import Workbook

from tasks.importing import sources
from tasks.models import UnitKind
from tasks.parsing.types import ParsedChapter, ParsedDocument, ParsedItem, ParseWarning
from tests.factories import AliasFactory, UnitFactory, UnitGroupFactory

HEADER = ["序号", "章节", "工作任务", "具体内容", "牵头单位", "责任单位", "完成时限"]
GOOD_ROW = ["(一)", "一、加强制度建设", "健全规章制度", "健全规章制度。定期清理。", "测试市司法局", "各区镇",
            "2026-12-31"]


@pytest.fixture
def registry_units(db) -> dict:
    """Units and groups named the way the fixture documents below name them."""
    sfj = UnitFactory(name="测试市司法局", short_name="司法局")
    zfb = UnitFactory(name="测试市人民政府办公室", short_name="市政府办")
    gaj = UnitFactory(name="测试市公安局", short_name="公安局")
    town = UnitFactory(name="测试市甲镇人民政府", short_name="甲镇", kind=UnitKind.TOWN)
    group = UnitGroupFactory(name="市政府各有关部门", members=[sfj, gaj])
    towns = UnitGroupFactory(name="各区镇", members=[town])
    AliasFactory(name="市政府办", unit=zfb)
    return {"sfj": sfj, "zfb": zfb, "gaj": gaj, "town": town, "group": group, "towns": towns}


def parsed_document(n_items: int = 3, *, doc_number: str = "测政办〔2026〕9号", unknown: str | None = None,
                    warnings: list[ParseWarning] | None = None) -> ParsedDocument:
    """A work-point document as the parser would return it, with one source line per item."""
    lines = ["测试市人民政府办公室文件", f"{doc_number}", "2026年测试市法治政府建设工作要点", "一、加强制度建设"]
    items = []
    for seq in range(1, n_items + 1):
        responsible = ["各区镇"] if unknown is None or seq != 1 else ["各区镇", unknown]
        items.append(ParsedItem(
            seq=seq, number=f"({seq})", chapter="一", title=f"推进第{seq}项工作",
            body=f"推进第{seq}项工作。完善机制，按季度通报。",
            lead_units=["测试市司法局", "市政府办"], responsible_units=responsible,
            source_start=len(lines), source_end=len(lines),
        ))
        lines.append(f"({seq})推进第{seq}项工作。完善机制，按季度通报。(牵头单位:测试市司法局、市政府办,"
                     f"责任单位:{'、'.join(responsible)})")
    return ParsedDocument(
        title="2026年测试市法治政府建设工作要点", issuer="测试市人民政府办公室", year=2026, doc_number=doc_number,
        chapters=[ParsedChapter(number="一", title="加强制度建设")], items=items,
        warnings=list(warnings or []), source_lines=lines,
    )


@pytest.fixture
def fake_parser(monkeypatch):
    """Replace the parser's entry points; returns a dict whose "doc" the tests set."""
    state: dict = {"doc": parsed_document(), "calls": []}

    def fake(content, source):
        state["calls"].append(content)
        return state["doc"]

    monkeypatch.setattr(sources, "parse", fake)
    return state


def workbook_bytes(rows: list[list], *, title_rows: list[list] | None = None, header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in title_rows or []:
        sheet.append(row)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _FormReader(HTMLParser):
    """Collects what a browser would submit for the first form with a CSRF token (buttons excluded)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._done = False
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._done:
            return
        if tag == "form" and a.get("method") == "post" and "action" not in a:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind == "checkbox":
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.data[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.data.setdefault(self._select, value)
            if "selected" in a:
                self.data[self._select] = value

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(html: str) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(html)
    # Django renders a newline right after <textarea>; browsers drop it, so do we.
    return {k: v[1:] if v.startswith("\n") else v for k, v in reader.data.items()}

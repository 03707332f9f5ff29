"""Writes the same work points in many styles, so tests can check that every style reads back the same.

A ``Plan`` (chapters of items, each with a title, body and units) is rendered with a ``Style``: bracket
widths, label words, separators, where the units go, how items are numbered, hard line wrapping with
page numbers, stray spaces, web-page furniture. The parse of the rendering must give back the plan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tasks.parsing.numbers import int_to_cn

UNITS = ["市司法局", "市政府办公室", "市财政局", "市审计局", "市公安局", "市委组织部", "市委依法治市办",
         "市行政审批局", "市发改委", "市市场监管局", "市人社局", "市应急管理局", "市住建局", "市法院",
         "市检察院", "市信访局", "市委编办", "市生态环境局", "市教育局", "市卫健委"]
GROUPS = ["市政府各有关部门", "各区镇", "各镇（街道）", "市各执法部门", "各直属单位"]
VERBS = ["推进", "健全", "完善", "深化", "加强", "规范", "落实", "提升", "优化", "强化"]
TOPICS = ["行政执法监督", "重大行政决策程序", "政务公开工作", "合法性审查", "行政复议应诉", "法治宣传教育",
          "营商环境建设", "综合执法改革", "矛盾纠纷化解", "政务诚信建设", "法律顾问制度", "规范性文件管理"]


@dataclass
class Item:
    title: str
    body: str
    lead: list[str]
    responsible: list[str]
    other: list[str] = field(default_factory=list)


@dataclass
class Plan:
    year: int
    place: str
    chapters: list[tuple[str, list[Item]]]

    @property
    def items(self) -> list[Item]:
        return [item for _title, items in self.chapters for item in items]


def make_plan(rng: random.Random, *, chapters: int = 4, items: int = 12) -> Plan:
    plan_chapters: list[tuple[str, list[Item]]] = []
    per = max(1, items // chapters)
    for _chapter in range(chapters):
        chapter_items = []
        for _ in range(per):
            title = f"{rng.choice(VERBS)}{rng.choice(TOPICS)}"
            body = "".join(f"{rng.choice(VERBS)}{rng.choice(TOPICS)}，{rng.choice(VERBS)}工作机制。"
                           for _ in range(rng.randint(1, 3)))
            lead = rng.sample(UNITS, rng.randint(1, 5))
            responsible = rng.sample(GROUPS, rng.randint(0, 2)) + rng.sample(
                [u for u in UNITS if u not in lead], rng.randint(0, 2))
            other = rng.sample([u for u in UNITS if u not in lead and u not in responsible], rng.randint(0, 1))
            chapter_items.append(Item(title, body, lead, responsible, other))
        plan_chapters.append((f"{rng.choice(VERBS)}{rng.choice(TOPICS)}体系", chapter_items))
    return Plan(2023 + rng.randint(0, 3), "东江市", plan_chapters)


@dataclass
class Style:
    numbering: str = "(一)"  # "(一)", "（一）", "1.", "1、", "一是"
    brackets: str = "half"  # half, full
    labels: tuple[str, str, str] = ("牵头单位", "责任单位", "配合单位")
    colon: str = ":"
    list_sep: str = "、"
    label_sep: str = ","
    units_on_own_line: bool = False
    wrap: int | None = None  # hard-wrap lines at this width (PDF text), with page numbers
    stray_spaces: bool = False
    furniture: bool = False
    blank_lines: bool = False
    # The layouts real notices of other places use (issue #12); see ``expected``.
    clause: str = "labelled"  # labelled; unlabelled "（A、B）"; lost "……。A，责任单位:B）" (bracket and label lost)
    qualifier: str = ""  # "按职责分工负责", "等单位" … after the last name
    deadline_in_clause: bool = False  # "，9月底前完成" inside the clause
    four_levels: bool = False  # 一、 > （一） > 1. > （1）: the leaves are the items
    inline_headings: bool = False  # a chapter heading and its first item in one paragraph
    page_counters: bool = False  # "1、2、3、" lines of a paged web article
    date_lines: bool = False  # a body line starting "12.4国家宪法日…"
    repeated_number: bool = False  # one item carries the number of the item before it
    continuation: bool = False  # "（下转第二版）" / "（上接第一版）" between items


QUALIFIERS = ["按职责分工负责", "分别负责", "按职责分工分别负责", "按职能分工负责", "等单位", "等部门"]
SECTIONS = ["健全工作机制", "强化监督检查", "提升服务质量"]


def random_style(rng: random.Random) -> Style:
    return Style(
        clause=rng.choice(["labelled", "labelled", "unlabelled", "lost"]),
        qualifier=rng.choice(["", "", *QUALIFIERS]),
        deadline_in_clause=rng.random() < 0.2,
        four_levels=rng.random() < 0.2,
        inline_headings=rng.random() < 0.2,
        page_counters=rng.random() < 0.2,
        date_lines=rng.random() < 0.2,
        repeated_number=rng.random() < 0.2,
        continuation=rng.random() < 0.2,
        numbering=rng.choice(["(一)", "（一）", "1.", "1、", "1．", "一是"]),
        brackets=rng.choice(["half", "full"]),
        labels=rng.choice([("牵头单位", "责任单位", "配合单位"), ("牵头部门", "责任部门", "协办单位"),
                           ("牵头单位", "责任单位", "协办单位")]),
        colon=rng.choice([":", "："]),
        list_sep=rng.choice(["、", "，", ","]) if rng.random() < 0.3 else "、",
        label_sep=rng.choice([",", "，", "；", ";", " "]),
        units_on_own_line=rng.random() < 0.3,
        wrap=rng.choice([None, None, 24, 30, 38]),
        stray_spaces=rng.random() < 0.3,
        furniture=rng.random() < 0.3,
        blank_lines=rng.random() < 0.3,
    )


def expected(item: Item, style: Style) -> tuple[list[str], list[str], list[str]]:
    """(lead, responsible, other) the parser must read for ``item`` written in ``style``."""
    if style.clause == "unlabelled":
        return [], list(dict.fromkeys(item.lead + item.responsible + item.other)), []
    return item.lead, item.responsible, item.other


def expected_path(style: Style, index_in_chapter: int) -> list[str]:
    if not style.four_levels:
        return []
    # Two leaves "（1）（2）" under each "1." point, two points under each "（一）" section.
    section = index_in_chapter // 2
    return [f"（{int_to_cn(section // 2 + 1)}）{SECTIONS[section // 2 % 3]}",
            f"{section % 2 + 1}.第{section + 1}组任务"]


def _number(style: Style, seq: int, index_in_chapter: int = 0) -> str:
    if style.four_levels:
        return f"（{index_in_chapter % 2 + 1}）"
    cn = int_to_cn(seq)
    return {"(一)": f"({cn})", "（一）": f"（{cn}）", "1.": f"{seq}.", "1、": f"{seq}、", "1．": f"{seq}．",
            "一是": f"{cn}是"}[style.numbering]


def _clause_parts(style: Style, item: Item) -> list[str]:
    parts = []
    lists = [list(item.lead), list(item.responsible), list(item.other)]
    if style.qualifier:
        target = lists[1] if lists[1] else lists[0]
        target[-1] += style.qualifier
    for label, names in zip(style.labels, lists, strict=True):
        if names:
            parts.append(f"{label}{style.colon}{style.list_sep.join(names)}")
    return parts


def _clause(style: Style, item: Item, open_b: str, close_b: str) -> str:
    tail = "，9月底前完成" if style.deadline_in_clause else ""
    if style.clause == "unlabelled":
        names = list(dict.fromkeys(item.lead + item.responsible + item.other))
        if style.qualifier:
            names[-1] += style.qualifier
        return open_b + "、".join(names) + tail + close_b
    parts = _clause_parts(style, item)
    if style.clause == "lost" and item.lead and item.responsible:
        # Extraction lost "（牵头单位:": the lead names open the clause with no label and no bracket.
        lead = parts[0].split(style.colon, 1)[1]
        return lead + "，" + "，".join(parts[1:]) + tail + close_b
    return open_b + style.label_sep.join(parts) + tail + close_b


def render(plan: Plan, style: Style, rng: random.Random) -> str:
    open_b, close_b = ("(", ")") if style.brackets == "half" else ("（", "）")
    lines: list[str] = []
    if style.furniture:
        lines += ["当前位置：首页 > 政务公开 > 政策文件", "【字号：大 中 小】 打印本页 关闭窗口",
                  "发布时间：2023-03-02", "分享到："]
    lines += [f"{plan.place}人民政府办公室", f"{plan.year}年{plan.place}法治政府建设工作要点"]
    seq = 0
    for c, (chapter_title, items) in enumerate(plan.chapters, start=1):
        chapter_line = f"{int_to_cn(c)}、{chapter_title}"
        lines.append(chapter_line)
        for index, item in enumerate(items):
            seq += 1
            if style.four_levels:
                path, previous = expected_path(style, index), expected_path(style, index - 1) if index else []
                lines.extend(heading for level, heading in enumerate(path)
                             if previous[: level + 1] != path[: level + 1])
            number = _number(style, seq - 1 if style.repeated_number and seq == 3 else seq, index)
            head = f"{number}{item.title}。{item.body}"
            if style.date_lines:
                head += "\n12.4国家宪法日前后集中开展宣传。"
            if style.units_on_own_line and style.clause == "labelled" and not style.deadline_in_clause:
                lines.append(head)
                lines.extend(_clause_parts(style, item))
            else:
                lines.append(head + _clause(style, item, open_b, close_b))
            if style.inline_headings and index == 0 and not style.four_levels and lines[-2] == chapter_line:
                lines[-2:] = [chapter_line + " " + lines[-1]]
            if style.page_counters and seq % 4 == 0:
                lines.append("1、2、3、")
            if style.continuation and seq % 5 == 0:
                lines += ["（下转第二版）", "（上接第一版）"]
            if style.blank_lines:
                lines.append("")
    if style.furniture:
        lines += ["上一篇：关于做好统计工作的通知", "扫一扫在手机打开当前页"]
    if style.stray_spaces:
        lines = [_stray_spaces(line, rng) for line in lines]
    lines = "\n".join(lines).split("\n")
    if style.wrap:
        lines = _wrap(lines, style.wrap, rng)
    return "\n".join(lines)


def add_pinyin(text: str, rng: random.Random) -> str:
    """Pinyin after some characters, as some web pages print traditional text: "法(fǎ)", "發(fā)"."""
    readings = {"法": "fǎ", "發": "fā", "区": "qū", "區": "qū", "政": "zhèng"}
    return "".join(ch + (f"({readings[ch]})" if ch in readings and rng.random() < 0.3 else "") for ch in text)


def _stray_spaces(line: str, rng: random.Random) -> str:
    out = []
    for ch in line:
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.04:
            out.append(" ")
    return "".join(out)


def _wrap(lines: list[str], width: int, rng: random.Random) -> list[str]:
    out: list[str] = []
    page = 1
    for line in lines:
        chunks = [line[i:i + width] for i in range(0, len(line), width)] or [""]
        for chunk in chunks:
            out.append(chunk)
            if rng.random() < 0.05:
                page += 1
                out.append(rng.choice([f"- {page} -", f"第{page}页", str(page)]))
    return out

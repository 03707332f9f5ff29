"""The same plan written in many styles reads back the same: numbering, brackets, labels, separators,
units inline or on their own lines, hard wrapping with page numbers, stray spaces, web furniture,
traditional characters (with inline pinyin), GBK bytes and PDF; and the layouts of issue #12: unit lists
without labels, qualifiers, deadlines inside the clause, lost brackets, four levels, inline headings, page
counters, dates at line starts, a repeated number, continuation marks (see ``generator.py``)."""

import datetime as dt
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from tasks.parsing import parse_document
from tests.parsing.builders import pdf_bytes
from tests.parsing.generator import add_pinyin, expected, expected_path, make_plan, random_style, render

_S2T = OpenCC("s2t")


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9), st.booleans(), st.sampled_from(["text", "utf-8", "gbk", "pdf"]))
def test_every_style_reads_back_the_plan(seed, traditional, encoding):
    rng = random.Random(seed)
    plan = make_plan(rng, chapters=rng.randint(2, 6), items=rng.randint(6, 30))
    style = random_style(rng)
    text = render(plan, style, rng)
    if traditional:
        text = add_pinyin(_S2T.convert(text), rng)
    if encoding == "pdf":
        lines = text.split("\n")
        data: str | bytes = pdf_bytes([lines[i:i + 45] for i in range(0, len(lines), 45)])
    else:
        data = text if encoding == "text" else text.encode(encoding, errors="strict")
    document = parse_document(data)
    assert document.title == f"{plan.year}年{plan.place}法治政府建设工作要点"
    assert document.year == plan.year
    assert [len(items) for _title, items in plan.chapters] == [
        sum(1 for i in document.items if i.chapter == c.number) for c in document.chapters
    ]
    assert [(i.seq, i.title, i.lead_units, i.responsible_units, i.other_units) for i in document.items] == [
        (seq, item.title, *expected(item, style)) for seq, item in enumerate(plan.items, start=1)
    ]
    assert [i.path for i in document.items] == [
        expected_path(style, index) for _title, items in plan.chapters for index in range(len(items))]
    if style.deadline_in_clause:
        assert {i.deadline for i in document.items} == {dt.date(plan.year, 9, 30)}

"""The same plan written in many styles reads back the same: numbering, brackets, labels, separators,
units inline or on their own lines, hard wrapping with page numbers, stray spaces, web furniture,
traditional characters and GBK bytes (see ``generator.py``)."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from tasks.parsing import parse_document
from tests.parsing.generator import make_plan, random_style, render

_S2T = OpenCC("s2t")


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9), st.booleans(), st.sampled_from(["text", "utf-8", "gbk"]))
def test_every_style_reads_back_the_plan(seed, traditional, encoding):
    rng = random.Random(seed)
    plan = make_plan(rng, chapters=rng.randint(2, 6), items=rng.randint(6, 30))
    text = render(plan, random_style(rng), rng)
    if traditional:
        text = _S2T.convert(text)
    document = parse_document(text if encoding == "text" else text.encode(encoding, errors="strict"))
    assert document.title == f"{plan.year}年{plan.place}法治政府建设工作要点"
    assert document.year == plan.year
    assert [len(items) for _title, items in plan.chapters] == [
        sum(1 for i in document.items if i.chapter == c.number) for c in document.chapters
    ]
    assert [(i.seq, i.title, i.lead_units, i.responsible_units, i.other_units) for i in document.items] == [
        (seq, item.title, item.lead, item.responsible, item.other) for seq, item in enumerate(plan.items, start=1)
    ]

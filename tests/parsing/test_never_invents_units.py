"""Property-based: random and mangled text never makes the parser raise or invent a unit name."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.parsing import parse_document
from tasks.parsing.normalize import squash_spaces, to_simplified
from tests.parsing.conftest import DOCUMENTS

FIXTURES = [(DOCUMENTS / name).read_text(encoding="utf-8") for name in (
    "city_halfwidth.txt", "county_fullwidth.txt", "district_arabic.txt", "pdf_extracted.txt", "web_copy.txt",
)]
ALPHABET = st.sampled_from(
    list("（）()一二三四五六七八九十、，,；;：:。.\n 12345牵头责任配合协办单位部门市县区局办委镇")
)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", squash_spaces(to_simplified(text)))


def _assert_units_come_from(text: str) -> None:
    document = parse_document(text)
    # Noise lines (page numbers, web furniture) are dropped before reading: compare with what was kept.
    source = _flat("".join(document.source_lines))
    assert set(_flat("".join(document.source_lines))) <= set(_flat(text))
    for item in document.items:
        for name in item.lead_units + item.responsible_units + item.other_units:
            assert name and re.sub(r"\s+", "", name) in source, name
    document.as_json()


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_random_clause_like_text_never_raises_or_invents_units(text):
    _assert_units_come_from(text)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_raises(text):
    _assert_units_come_from(text)


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXTURES), st.lists(st.tuples(st.integers(0, 5000), st.sampled_from(
    ["\n", "", " ", "（", "）", "、", "。", "\n- 3 -\n", "牵头单位：", "责任单位:"])), max_size=12))
def test_mangled_documents_never_raise_or_invent_units(document, edits):
    text = document
    for position, insert in edits:
        position %= max(1, len(text))
        # An empty insert deletes one character instead.
        text = text[:position] + (insert or "") + text[position + (0 if insert else 1) :]
    _assert_units_come_from(text)

"""Differences between saved versions of a report: by character where that is cheap, else by line.

Chinese text has no word breaks, so a character diff reads best. But a character diff costs about
len(old) × len(new) steps, and two 10,000-character versions took another user's history page 18 s.
So the cost is bounded: the common beginning and end are cut off first (linear; this is nearly every
real edit), the rest is compared by character only while len × len stays within ``CHAR_BUDGET``,
else by line while lines × lines stays within ``LINE_BUDGET``, else the page shows the old and the new
text whole with "内容过长，无法逐字比较".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from reports.models import ProgressStatus, Report

COMPARED = [
    ("progress", "推进状态"), ("percent", "完成进度（%）"), ("delay_reason", "未能按期完成原因"),
    ("measures", "工作举措与成效"), ("figures_text", "关键数据"), ("problems", "存在问题"),
    ("next_steps", "下一步计划"),
]


def version_label(record, previous) -> str:
    """What a version was, in the office's words: a liaison's save after a return is their 修改, not 退回修改."""
    state, before = record.state, (previous.state if previous is not None else None)
    if previous is None:
        return "创建草稿"
    if state != before:
        return {"submitted": "重新报送" if before == "returned" else "报送", "returned": "法治办退回修改",
                "approved": "审核通过", "draft": "退回草稿"}.get(state, record.get_state_display())
    return "按退回意见修改" if state == "returned" else "保存草稿" if state == "draft" else "修改"


@dataclass
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


CHAR_BUDGET = 1_000_000  # len(old) × len(new) of what is left after the common beginning and end
LINE_BUDGET = 250_000
TOO_LONG = "内容过长，无法逐字比较：以下为修改前后的全文"
BY_LINE = "内容较长，按段落比较"


@dataclass
class Diff:
    segments: list[Segment] = field(default_factory=list)
    method: str = "chars"  # "chars", "lines" or "whole"

    @property
    def note(self) -> str:
        return {"lines": BY_LINE, "whole": TOO_LONG}.get(self.method, "")


def _opcodes(old: list[str] | str, new: list[str] | str) -> list[Segment]:
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", "".join(old[i1:i2])))
        else:
            if i2 > i1:
                segments.append(Segment("delete", "".join(old[i1:i2])))
            if j2 > j1:
                segments.append(Segment("insert", "".join(new[j1:j2])))
    return segments


def _common_prefix(a: str, b: str) -> int:
    n, i = min(len(a), len(b)), 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def diff_text(old: str, new: str) -> Diff:
    """The segments that turn ``old`` into ``new``, at a cost bounded whatever the texts' length."""
    head = _common_prefix(old, new)
    rest_old, rest_new = old[head:], new[head:]
    tail = _common_prefix(rest_old[::-1], rest_new[::-1])
    middle_old, middle_new = rest_old[: len(rest_old) - tail], rest_new[: len(rest_new) - tail]
    if len(middle_old) * len(middle_new) <= CHAR_BUDGET:
        method, middle = "chars", _opcodes(middle_old, middle_new)
    else:
        old_lines, new_lines = middle_old.splitlines(keepends=True), middle_new.splitlines(keepends=True)
        if len(old_lines) * len(new_lines) <= LINE_BUDGET:
            method, middle = "lines", _opcodes(old_lines, new_lines)
        else:
            method, middle = "whole", [Segment("delete", middle_old), Segment("insert", middle_new)]
    segments = [Segment("equal", old[:head])] if head else []
    segments += [s for s in middle if s.text]
    if tail:
        segments.append(Segment("equal", rest_old[len(rest_old) - tail:]))
    return Diff(segments, method)


def _shown(field: str, value: object) -> str:
    if field == "progress":
        return str(ProgressStatus(value).label) if value in ProgressStatus.values else str(value or "")
    return "" if value is None else str(value)


def version_diffs(report: Report) -> list[dict]:
    """Newest first: each historical version with the fields that changed since the previous one."""
    records = list(report.history.select_related("history_user").order_by("history_date", "history_id"))
    versions = []
    previous = None
    for number, record in enumerate(records, start=1):
        changes = []
        for name, label in COMPARED:
            old = _shown(name, getattr(previous, name)) if previous else ""
            new = _shown(name, getattr(record, name))
            if old != new:
                diff = diff_text(old, new)
                changes.append({"label": label, "segments": diff.segments, "note": diff.note})
        if changes or previous is None or record.state != previous.state:
            versions.append({"number": number, "record": record, "changes": changes,
                             "state": record.get_state_display(), "label": version_label(record, previous)})
        previous = record
    versions.reverse()
    return versions

"""Character-level differences between saved versions of a report (Chinese text has no word breaks)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

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


def diff_text(old: str, new: str) -> list[Segment]:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", old[i1:i2]))
        else:
            if i2 > i1:
                segments.append(Segment("delete", old[i1:i2]))
            if j2 > j1:
                segments.append(Segment("insert", new[j1:j2]))
    return segments


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
        for field, label in COMPARED:
            old = _shown(field, getattr(previous, field)) if previous else ""
            new = _shown(field, getattr(record, field))
            if old != new:
                changes.append({"label": label, "segments": diff_text(old, new)})
        if changes or previous is None or record.state != previous.state:
            versions.append({"number": number, "record": record, "changes": changes,
                             "state": record.get_state_display(), "label": version_label(record, previous)})
        previous = record
    versions.reverse()
    return versions

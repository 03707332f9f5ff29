"""What the preview page shows: each item beside its source lines, with live warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tasks.importing.drafts import ItemDraft, PlanDraft
from tasks.importing.resolve import Registry, Target, resolve_name
from tasks.importing.services import NameChoice
from tasks.models import AssignmentRole, UnitGroup, UnitKind

ROLE_LABELS = {AssignmentRole.LEAD: "牵头", AssignmentRole.RESPONSIBLE: "责任", AssignmentRole.OTHER: "配合"}


@dataclass
class NameView:
    name: str
    target: Target | None
    choice: NameChoice | None = None
    form: Any = None  # the NameChoiceForm the preview page renders for an unresolved name

    choice_label: str = ""  # what 确认导入 will do with a decided name: "将新建为单位（政府部门）" …

    @property
    def resolved(self) -> bool:
        return self.target is not None

    @property
    def decided(self) -> bool:
        """Not in the registry yet, but 新建/对应 was chosen and saved: shown as settled, not as a problem."""
        return self.target is None and self.choice is not None

    @property
    def is_group(self) -> bool:
        return isinstance(self.target, UnitGroup)

    @property
    def differs(self) -> bool:
        """Resolved under another registry name (alias or normalised form): worth showing."""
        return self.target is not None and self.target.name != self.name


@dataclass
class ItemView:
    index: int
    item: ItemDraft
    roles: list[tuple[str, str, list[NameView]]] = field(default_factory=list)  # (role, label, names)
    warnings: list[str] = field(default_factory=list)
    source: list[tuple[int, str]] = field(default_factory=list)
    form: Any = None  # the ItemForm the preview page renders


@dataclass
class Segment:
    """One row of the side-by-side view: an item with its source, or source text that belongs to no item."""

    item: ItemView | None
    lines: list[tuple[int, str]]
    placeable: bool = False  # loose text among the items (not the notice's head): can become an item or chapter


@dataclass
class Preview:
    items: list[ItemView]
    segments: list[Segment]
    general_warnings: list[str]
    unresolved: list[NameView]

    @property
    def warning_count(self) -> int:
        return len(self.general_warnings) + sum(len(i.warnings) for i in self.items)


def _choice_label(choice: NameChoice, registry: Registry) -> str:
    if choice.action == "create":
        return f"将新建为单位（{UnitKind(choice.kind).label}）"
    if choice.action == "new_group":
        return f"将新建为单位集合（{len(choice.members)} 个成员）"
    target = registry.unit_by_id(choice.target_id) if choice.action == "unit" else registry.group_by_id(
        choice.target_id)
    return f"将对应到“{target.name}”" if target is not None else "要对应的单位已不存在，请重新选择"


def _span(item: ItemDraft, lines: list[str]) -> range:
    if item.source_start is None or not lines:
        return range(0)
    end = item.source_end if item.source_end is not None else item.source_start
    return range(max(item.source_start, 0), min(max(end, item.source_start) + 1, len(lines)))


def build_preview(draft: PlanDraft, mapping: dict[str, NameChoice], registry: Registry) -> Preview:
    names = {name: NameView(name, resolve_name(name, registry), mapping.get(name)) for name in draft.names()}
    for view in names.values():
        if view.decided:
            view.choice_label = _choice_label(view.choice, registry)  # type: ignore[arg-type]
    parser_warnings: dict[int | None, list[str]] = {}
    for warning in draft.warnings:
        parser_warnings.setdefault(warning.seq, []).append(warning.message)

    items: list[ItemView] = []
    previous: ItemDraft | None = None
    seen: set[int] = set()
    for index, item in enumerate(draft.items):
        view = ItemView(index=index, item=item)
        for role in (AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE, AssignmentRole.OTHER):
            role_names = [names[n] for n in item.units_for(role)]
            if role_names:
                view.roles.append((role, ROLE_LABELS[role], role_names))
        has_units = bool(item.lead_units or item.responsible_units)
        # Numbering and missing-unit checks are redone live below, so a fixed item stops warning; the
        # parser's other findings (truncation, unclear clauses, stray text) stay as it reported them.
        from_parser = [
            w for w in parser_warnings.get(item.seq, [])
            if not w.startswith("编号") and not (has_units and "未找到牵头单位或责任单位" in w)
        ]
        view.warnings.extend(from_parser)
        if item.seq in seen:
            view.warnings.append(f"编号重复：序号 {item.seq} 已出现过。")
        elif previous is not None and item.seq < previous.seq:
            view.warnings.append(f"编号倒退：{item.number or item.seq} 出现在 {previous.number or previous.seq} 之后。")
        elif previous is not None and item.seq > previous.seq + 1:
            view.warnings.append(f"编号不连续：{previous.number or previous.seq} 之后是 {item.number or item.seq}。")
        if not has_units and not any("单位" in w for w in from_parser):
            view.warnings.append("没有牵头单位或责任单位。")
        view.warnings.extend(f"单位“{n}”不在单位库中，请在下方新建或对应。"
                             for n in dict.fromkeys(item.names()) if not names[n].resolved and not names[n].decided)
        view.source = [(n + 1, draft.source_lines[n]) for n in _span(item, draft.source_lines)]
        seen.add(item.seq)
        previous = item
        items.append(view)

    known_seqs = {i.seq for i in draft.items}
    general = [m for seq, messages in parser_warnings.items() if seq not in known_seqs for m in messages]

    segments: list[Segment] = []
    covered = draft.placed_lines()
    cursor = 0
    for view in sorted(items, key=lambda v: v.source[0][0] if v.source else 10**9):
        if view.source:
            start = view.source[0][0] - 1
            loose = [(n + 1, draft.source_lines[n]) for n in range(cursor, start) if n not in covered]
            loose = [(n, text) for n, text in loose if text.strip()]
            if loose:
                segments.append(Segment(item=None, lines=loose, placeable=any(s.item for s in segments)))
            cursor = max(cursor, view.source[-1][0])
        segments.append(Segment(item=view, lines=view.source))
    tail = [(n + 1, draft.source_lines[n]) for n in range(cursor, len(draft.source_lines))
            if n not in covered and draft.source_lines[n].strip()]
    if tail:
        segments.append(Segment(item=None, lines=tail, placeable=bool(items)))

    unresolved = [view for view in names.values() if not view.resolved]
    return Preview(items=items, segments=segments, general_warnings=general, unresolved=unresolved)

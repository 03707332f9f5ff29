"""``import_plan``: the one write path for every import (Excel task table, Word, text, pasted text)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from tasks import services
from tasks.importing.drafts import PlanDraft
from tasks.importing.resolve import Registry, Target, resolve_name
from tasks.models import (
    SEQ_MAX,
    AssignmentRole,
    Chapter,
    DocumentImport,
    ImportStatus,
    Plan,
    PlanStatus,
    UnitKind,
    WorkItem,
)
from tasks.services import add_alias, create_group, create_unit

TITLE_MAX = WorkItem._meta.get_field("title").max_length
SECTION_MAX = WorkItem._meta.get_field("section").max_length
PLAN_TITLE_MAX = Plan._meta.get_field("title").max_length
ISSUER_MAX = Plan._meta.get_field("issuer").max_length
DOC_NUMBER_MAX = Plan._meta.get_field("doc_number").max_length
CHAPTER_TITLE_MAX = Chapter._meta.get_field("title").max_length


class ImportRefused(ValidationError):
    """The draft cannot be imported as it stands; ``messages`` say why, in Chinese."""


@dataclass(frozen=True)
class NameChoice:
    """What to do with a name the registry does not know: map it to a unit/group, create a unit, or
    create a unit group of existing units (a collective name such as "各乡镇人民政府")."""

    action: str  # "unit", "group", "create" or "new_group"
    target_id: int | None = None
    kind: str = UnitKind.OTHER
    members: tuple[int, ...] = ()  # "new_group": the registry units it holds

    def as_json(self) -> dict:
        return {"action": self.action, "target_id": self.target_id, "kind": self.kind, "members": list(self.members)}

    @classmethod
    def from_json(cls, data: dict) -> NameChoice:
        return cls(action=data["action"], target_id=data.get("target_id"), kind=data.get("kind") or UnitKind.OTHER,
                   members=tuple(int(pk) for pk in data.get("members") or ()))


def find_existing_plan(draft: PlanDraft) -> Plan | None:
    """The plan this draft would duplicate: same document number and year."""
    if not draft.doc_number or not draft.year:
        return None
    return Plan.objects.filter(year=draft.year, doc_number=draft.doc_number).first()


def check_draft(draft: PlanDraft) -> list[str]:
    """Problems that block an import, as Chinese sentences; empty when the draft can be imported."""
    problems: list[str] = []
    if not draft.title.strip():
        problems.append("请填写工作要点标题。")
    for label, value, limit in (("工作要点标题", draft.title, PLAN_TITLE_MAX), ("印发机关", draft.issuer, ISSUER_MAX),
                                ("文号", draft.doc_number, DOC_NUMBER_MAX)):
        if len(value.strip()) > limit:
            problems.append(f"{label}不能超过 {limit} 字。")
    for chapter in draft.chapters:
        if len(chapter.title.strip()) > CHAPTER_TITLE_MAX:
            problems.append(f"章节“{chapter.title[:20]}…”的标题不能超过 {CHAPTER_TITLE_MAX} 字。")
    if not draft.year or not 2000 <= draft.year <= 2100:
        problems.append("请填写年度（2000—2100）。")
    if not draft.items:
        problems.append("没有可导入的工作任务。")
    seen: set[int] = set()
    for item in draft.items:
        label = item.number or f"第{item.seq}项"
        if item.seq < 1:
            problems.append(f"工作任务 {label}：序号必须为正整数。")
        elif item.seq > SEQ_MAX:  # past the smallint column PostgreSQL fails the insert
            problems.append(f"工作任务 {label}：序号不能大于 {SEQ_MAX}。")
        elif item.seq in seen:
            problems.append(f"工作任务 {label}：序号 {item.seq} 重复，请修改。")
        seen.add(item.seq)
        if not item.title.strip():
            problems.append(f"工作任务 {label}：请填写工作任务。")
        elif len(item.title) > TITLE_MAX:
            problems.append(f"工作任务 {label}：工作任务不能超过 {TITLE_MAX} 字。")
    return problems


def _apply_mapping(draft: PlanDraft, mapping: dict[str, NameChoice], registry: Registry) -> None:
    for name in draft.names():
        if resolve_name(name, registry) is not None:
            continue
        choice = mapping.get(name)
        if choice is None:
            continue
        target: Target | None
        if choice.action == "create":
            target = create_unit(name=name, kind=choice.kind, order=registry.next_order())
        elif choice.action == "new_group":
            members = [unit for pk in choice.members if (unit := registry.unit_by_id(pk)) is not None]
            if len(members) != len(choice.members):
                raise ImportRefused(f"“{name}”要包含的单位已不存在，请重新选择成员。")
            target = create_group(name=name, members=members)
            registry.groups.append(target)
        elif choice.action == "unit":
            target = registry.unit_by_id(choice.target_id)
            if target is None:
                raise ImportRefused(f"“{name}”要对应的单位已不存在，请重新选择。")
            add_alias(name=name, unit=target)
        else:
            target = registry.group_by_id(choice.target_id)
            if target is None:
                raise ImportRefused(f"“{name}”要对应的单位集合已不存在，请重新选择。")
            add_alias(name=name, group=target)
        registry.add(name, target)


@transaction.atomic
def import_plan(*, draft: PlanDraft, mapping: dict[str, NameChoice], user: User | None,
                update_plan: Plan | None = None) -> Plan:
    """Create the plan in ``draft`` with its chapters, items and assignments, all or nothing.

    Names the registry does not know must be decided in ``mapping`` (mapped names are saved as
    aliases, created names become units); nothing is silently dropped. A draft with the same
    document number and year as an existing plan may only replace that plan, and only while it
    is a draft (``update_plan``).
    """
    problems = check_draft(draft)
    if problems:
        raise ImportRefused(problems)
    try:
        return _import_plan(draft=draft, mapping=mapping, user=user, update_plan=update_plan)
    except ValidationError as exc:
        if isinstance(exc, ImportRefused):
            raise
        raise ImportRefused(exc.messages) from exc


def _import_plan(*, draft: PlanDraft, mapping: dict[str, NameChoice], user: User | None,
                 update_plan: Plan | None) -> Plan:
    existing = find_existing_plan(draft)
    if update_plan is not None:
        update_plan = Plan.objects.select_for_update().get(pk=update_plan.pk)
        if update_plan.status != PlanStatus.DRAFT:
            raise ImportRefused(
                f"“{update_plan.title}”状态为{update_plan.get_status_display()}，不能用导入覆盖；"
                "只有草稿状态的工作要点可以更新。"
            )
        if existing is not None and existing.pk != update_plan.pk:
            raise ImportRefused(f"{draft.year}年已有文号为“{draft.doc_number}”的另一份工作要点。")
    elif existing is not None:
        raise ImportRefused(
            f"{draft.year}年文号为“{draft.doc_number}”的工作要点已存在（{existing.get_status_display()}）。"
            + ("可选择更新该草稿。" if existing.status == PlanStatus.DRAFT else "")
        )

    registry = Registry.load()
    _apply_mapping(draft, mapping, registry)
    resolved = {name: resolve_name(name, registry) for name in draft.names()}
    unresolved = [name for name, target in resolved.items() if target is None]
    if unresolved:
        raise ImportRefused("以下单位名称尚未确定对应单位，请新建或对应到已有单位：" + "、".join(unresolved))

    # Every write below goes through tasks.services, the registry's one write path.
    fields = {
        "title": draft.title, "year": draft.year, "issuer": draft.issuer, "doc_number": draft.doc_number,
        "issued_on": draft.issued_on, "source_text": draft.source_text,
    }
    if update_plan is not None:
        plan = update_plan
        services.clear_plan(plan=plan)
        services.update_plan(plan=plan, status=plan.status, **fields)
    else:
        plan = services.create_plan(**fields, status=PlanStatus.DRAFT, created_by=user)
    chapters = [services.create_chapter(plan=plan, seq=n, number=c.number, title=c.title)
                for n, c in enumerate(draft.chapters, start=1)]
    chapter_by_number = {d.number: c for d, c in zip(draft.chapters, chapters, strict=True)}

    def entries(item_draft, role: str) -> list[tuple[Target, str]]:
        return [(resolved[name], name) for name in item_draft.units_for(role)]

    services.create_items(plan=plan, items=[
        services.NewItem(
            title=i.title, body=i.body, chapter=chapter_by_number.get(i.chapter or ""), seq=i.seq, number=i.number,
            deadline=i.deadline, section=" › ".join(i.path)[:SECTION_MAX],
            lead=entries(i, AssignmentRole.LEAD), responsible=entries(i, AssignmentRole.RESPONSIBLE),
            other=entries(i, AssignmentRole.OTHER))
        for i in draft.items
    ])
    return plan


# --- The preview's life cycle: every state change of a DocumentImport goes through these. ---

def start_import(*, user: User, source: str, filename: str, draft: PlanDraft) -> DocumentImport:
    return DocumentImport.objects.create(owner=user, source=source, filename=filename[:255], data=draft.as_json())


def mapping_of(document_import: DocumentImport) -> dict[str, NameChoice]:
    return {name: NameChoice.from_json(choice) for name, choice in (document_import.mapping or {}).items()}


@transaction.atomic
def save_import_edits(*, document_import: DocumentImport, draft: PlanDraft,
                      mapping: dict[str, NameChoice]) -> None:
    if document_import.status != ImportStatus.PENDING:
        raise ImportRefused("该导入已处理，不能再修改。")
    document_import.data = draft.as_json()
    names = set(draft.names())
    document_import.mapping = {name: choice.as_json() for name, choice in mapping.items() if name in names}
    document_import.save(update_fields=["data", "mapping", "updated_at"])


@transaction.atomic
def confirm_import(*, document_import: DocumentImport, user: User, update_plan: Plan | None = None) -> Plan:
    """Import the previewed draft (all or nothing) and mark the preview done."""
    document_import = DocumentImport.objects.select_for_update().get(pk=document_import.pk)
    if document_import.status != ImportStatus.PENDING:
        raise ImportRefused("该导入已处理，请勿重复提交。")
    plan = import_plan(draft=PlanDraft.from_json(document_import.data), mapping=mapping_of(document_import),
                       user=user, update_plan=update_plan)
    document_import.status = ImportStatus.CONFIRMED
    document_import.plan = plan
    document_import.save(update_fields=["status", "plan", "updated_at"])
    return plan


@transaction.atomic
def discard_import(*, document_import: DocumentImport) -> None:
    if document_import.status == ImportStatus.PENDING:
        document_import.status = ImportStatus.DISCARDED
        document_import.save(update_fields=["status", "updated_at"])

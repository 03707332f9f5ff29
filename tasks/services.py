"""Write operations on the work-point registry. Views, admin actions, importers and commands call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from fazhi import limits
from tasks.cachekeys import bump_registry_version
from tasks.models import (
    ROLE_PRECEDENCE,
    SEQ_MAX,
    Alias,
    Assignment,
    AssignmentRole,
    Chapter,
    Duty,
    Government,
    Plan,
    PlanStatus,
    Unit,
    UnitGroup,
    UnitKind,
    WorkItem,
    government_name_for_issuer,
)
from tasks.parsing.numbers import int_to_cn, item_label

if TYPE_CHECKING:
    from accounts.models import User


def expected_duties(item: WorkItem) -> dict[int, str]:
    """The units that owe work on ``item`` and the strongest role each is named in.

    A group expands to its active members at the time of the call; a unit named directly
    counts even if inactive, because someone chose it explicitly.
    """
    return _expected_duties([item.pk]).get(item.pk, {})


def _expected_duties(item_ids: list[int]) -> dict[int, dict[int, str]]:
    """``expected_duties`` for many items in two queries (assignments, then the groups' active members)."""
    rows = list(Assignment.objects.filter(item_id__in=item_ids).values_list("item_id", "unit_id", "group_id", "role"))
    group_ids = {group_id for _item, _unit, group_id, _role in rows if group_id}
    members: dict[int, list[int]] = {}
    if group_ids:
        through = UnitGroup.members.through
        for group_id, unit_id in through.objects.filter(
                unitgroup_id__in=group_ids, unit__is_active=True).values_list("unitgroup_id", "unit_id"):
            members.setdefault(group_id, []).append(unit_id)
    duties: dict[int, dict[int, str]] = {}
    for item_id, unit_id, group_id, role in rows:
        wanted = duties.setdefault(item_id, {})
        for member in [unit_id] if unit_id else members.get(group_id, []):
            current = wanted.get(member)
            if current is None or ROLE_PRECEDENCE[role] < ROLE_PRECEDENCE[current]:
                wanted[member] = role
    return duties


@transaction.atomic
def sync_duties(*, items: Iterable[WorkItem]) -> None:
    """Rebuild the expanded duties of ``items`` from their assignments, then the open periods' obligations.

    A fixed number of queries however many items (an import of forty items syncs once, not forty times).
    """
    items = list(items)
    bump_registry_version()  # bulk writes send no signals; the cached registry pages show duties
    if not items:
        return
    ids = [item.pk for item in items]
    wanted = _expected_duties(ids)
    existing: dict[tuple[int, int], Duty] = {
        (d.item_id, d.unit_id): d for d in Duty.objects.filter(item_id__in=ids)}
    stale = [d.pk for (item_id, unit_id), d in existing.items() if unit_id not in wanted.get(item_id, {})]
    to_create, to_update = [], []
    for item_id in ids:
        for unit_id, role in wanted.get(item_id, {}).items():
            duty = existing.get((item_id, unit_id))
            if duty is None:
                to_create.append(Duty(item_id=item_id, unit_id=unit_id, role=role))
            elif duty.role != role:
                duty.role = role
                to_update.append(duty)
    if stale:
        Duty.objects.filter(pk__in=stale).delete()
    Duty.objects.bulk_create(to_create)
    Duty.objects.bulk_update(to_update, ["role"])
    from reports.services import sync_obligations  # reports builds on tasks, not the other way round

    sync_obligations(items=items)


@transaction.atomic
def set_group_members(*, group: UnitGroup, units: Iterable[Unit]) -> None:
    """Replace a group's members and update the duties of every item that names it and is not archived."""
    group.members.set(list(units))
    affected = WorkItem.objects.filter(assignments__group=group).exclude(
        plan__status=PlanStatus.ARCHIVED
    ).distinct()
    sync_duties(items=affected)


# --- Registry of units, aliases and groups -------------------------------------------------------------

Target = Unit | UnitGroup
# An assignment entry: a unit or group, or (unit or group, the name as the document wrote it).
AssignmentEntry = Target | tuple[Target, str]


def check_lengths(model: type, **values: str | None) -> None:
    """Refuse (Chinese, per field) any value longer than its model field's max_length (text fields take theirs
    from fazhi.limits), so a command, importer or the admin meets the same rule as a form. SQLite would keep
    the value, PostgreSQL would answer 500."""
    limits.check_lengths({
        name: (value, model._meta.get_field(name).max_length, str(model._meta.get_field(name).verbose_name))
        for name, value in values.items()
    })


def _check_name_free(name: str, *, unit: Unit | None = None, group: UnitGroup | None = None,
                     alias: Alias | None = None) -> None:
    """A name may mean only one thing: a unit, a group or an alias, never two of them."""
    if Unit.objects.filter(name=name).exclude(pk=getattr(unit, "pk", None)).exists():
        raise ValidationError(f"“{name}”已是一个单位的名称。")
    if UnitGroup.objects.filter(name=name).exclude(pk=getattr(group, "pk", None)).exists():
        raise ValidationError(f"“{name}”已是一个单位集合的名称。")
    if Alias.objects.filter(name=name).exclude(pk=getattr(alias, "pk", None)).exists():
        raise ValidationError(f"“{name}”已被用作别名。")


def _groups_items_to_sync(unit: Unit) -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(assignments__group__members=unit).exclude(
        plan__status=PlanStatus.ARCHIVED
    ).distinct()


@transaction.atomic
def create_unit(*, name: str, short_name: str = "", kind: str = UnitKind.GOVERNMENT, order: int = 0,
                is_active: bool = True) -> Unit:
    name = name.strip()
    check_lengths(Unit, name=name, short_name=short_name.strip())
    _check_name_free(name)
    return Unit.objects.create(name=name, short_name=short_name.strip(), kind=kind, order=order,
                               is_active=is_active)


@transaction.atomic
def update_unit(*, unit: Unit, name: str, short_name: str, kind: str, order: int, is_active: bool) -> Unit:
    """Save a unit. Switching it on or off changes which groups expand to it, so duties follow."""
    name = name.strip()
    check_lengths(Unit, name=name, short_name=short_name.strip())
    _check_name_free(name, unit=unit)
    was_active = Unit.objects.filter(pk=unit.pk).values_list("is_active", flat=True).get()
    unit.name, unit.short_name, unit.kind, unit.order, unit.is_active = (
        name, short_name.strip(), kind, order, is_active)
    unit.save()
    if was_active != is_active:
        sync_duties(items=_groups_items_to_sync(unit))
    return unit


@transaction.atomic
def add_alias(*, name: str, unit: Unit | None = None, group: UnitGroup | None = None) -> Alias:
    name = name.strip()
    if not name:
        raise ValidationError("别名不能为空。")
    if (unit is None) == (group is None):
        raise ValidationError("别名必须且只能指向一个单位或一个单位集合。")
    check_lengths(Alias, name=name)
    _check_name_free(name)
    return Alias.objects.create(name=name, unit=unit, group=group)


@transaction.atomic
def remove_alias(*, alias: Alias) -> None:
    alias.delete()


@transaction.atomic
def create_group(*, name: str, description: str = "", order: int = 0,
                 members: Iterable[Unit] = ()) -> UnitGroup:
    name = name.strip()
    check_lengths(UnitGroup, name=name, description=description.strip())
    _check_name_free(name)
    group = UnitGroup.objects.create(name=name, description=description.strip(), order=order)
    group.members.set(list(members))
    return group


@transaction.atomic
def update_group(*, group: UnitGroup, name: str, description: str, order: int) -> UnitGroup:
    name = name.strip()
    check_lengths(UnitGroup, name=name, description=description.strip())
    _check_name_free(name, group=group)
    group.name, group.description, group.order = name, description.strip(), order
    group.save()
    return group


# --- Plans, chapters and items --------------------------------------------------------------------------

def _refuse_if_reported(items: QuerySet[WorkItem], what: str, verb: str = "删除") -> None:
    """Never delete what units have reported on: their work would vanish with it."""
    from reports.models import Obligation, Report  # reports builds on tasks, not the other way round

    reports = Report.objects.filter(obligation__item__in=items).count()
    if reports:
        raise ValidationError(f"{what}已有 {reports} 份进展报告，不能{verb}。如不再使用，请将工作要点归档。")
    obligations = Obligation.objects.filter(item__in=items).count()
    if obligations:
        raise ValidationError(
            f"{what}已生成 {obligations} 条报送任务（已开启报送期次），不能{verb}。如不再使用，请将工作要点归档。"
        )


def government_for_issuer(issuer: str) -> Government:
    """The government a plan issued by ``issuer`` belongs to, created the first time it is named."""
    government, _ = Government.objects.get_or_create(name=government_name_for_issuer(issuer)[:100])
    return government


@transaction.atomic
def create_plan(*, title: str, year: int, issuer: str = "", doc_number: str = "",
                issued_on: dt.date | None = None, status: str = PlanStatus.DRAFT, source_text: str = "",
                created_by: User | None = None, government: Government | None = None) -> Plan:
    check_lengths(Plan, title=title.strip(), issuer=issuer.strip(), doc_number=doc_number.strip(),
                  source_text=source_text)
    return Plan.objects.create(title=title.strip(), year=year, issuer=issuer.strip(),
                               doc_number=doc_number.strip(), issued_on=issued_on, status=status,
                               source_text=source_text, created_by=created_by,
                               government=government or government_for_issuer(issuer))


@transaction.atomic
def update_plan(*, plan: Plan, title: str, year: int, issuer: str, doc_number: str,
                issued_on: dt.date | None, status: str, source_text: str | None = None,
                government: Government | None = None) -> Plan:
    check_lengths(Plan, title=title.strip(), issuer=issuer.strip(), doc_number=doc_number.strip(),
                  source_text=source_text)
    was_archived = Plan.objects.filter(pk=plan.pk).values_list("status", flat=True).get() == PlanStatus.ARCHIVED
    plan.title, plan.year, plan.issuer, plan.doc_number, plan.issued_on, plan.status = (
        title.strip(), year, issuer.strip(), doc_number.strip(), issued_on, status)
    if source_text is not None:
        plan.source_text = source_text
    # No government chosen keeps the plan's own; a plan that has none gets its issuer's.
    if government is not None:
        plan.government = government
    elif plan.government_id is None:
        plan.government = government_for_issuer(plan.issuer)
    plan.save()
    if was_archived and status != PlanStatus.ARCHIVED:
        # Group changes made while it was archived did not reach it; catch up now it is live again.
        sync_duties(items=plan.items.all())
    return plan


@transaction.atomic
def clear_plan(*, plan: Plan) -> None:
    """Remove a plan's items and chapters (an import replacing a draft), never what units reported on."""
    _refuse_if_reported(plan.items.all(), f"“{plan.title}”", "用导入覆盖")
    plan.items.all().delete()  # chapters protect their items; items go first
    plan.chapters.all().delete()


@transaction.atomic
def delete_plan(*, plan: Plan) -> None:
    _refuse_if_reported(plan.items.all(), "该工作要点")
    plan.items.all().delete()  # chapters protect their items; items go first
    plan.delete()


def _next_seq(qs: QuerySet) -> int:
    return (qs.aggregate(m=Max("seq"))["m"] or 0) + 1


def _check_seq(seq: int) -> None:
    # Past the smallint column PostgreSQL fails the insert (a 500); "next" after the largest seq gets here too.
    if not 1 <= seq <= SEQ_MAX:
        raise ValidationError(f"序号须在 1 到 {SEQ_MAX} 之间，请填写一个未用过的序号。")


@transaction.atomic
def create_chapter(*, plan: Plan, title: str, seq: int | None = None, number: str = "") -> Chapter:
    seq = seq or _next_seq(plan.chapters.all())
    _check_seq(seq)
    if plan.chapters.filter(seq=seq).exists():
        raise ValidationError(f"本工作要点中已有序号为 {seq} 的章节。")
    check_lengths(Chapter, title=title.strip(), number=number.strip())
    return Chapter.objects.create(plan=plan, seq=seq, number=number.strip() or int_to_cn(seq),
                                  title=title.strip())


@transaction.atomic
def update_chapter(*, chapter: Chapter, title: str, seq: int, number: str = "") -> Chapter:
    _check_seq(seq)
    if chapter.plan.chapters.filter(seq=seq).exclude(pk=chapter.pk).exists():
        raise ValidationError(f"本工作要点中已有序号为 {seq} 的章节。")
    check_lengths(Chapter, title=title.strip(), number=number.strip())
    chapter.title, chapter.seq, chapter.number = title.strip(), seq, number.strip() or int_to_cn(seq)
    chapter.save()
    return chapter


@transaction.atomic
def delete_chapter(*, chapter: Chapter) -> None:
    count = chapter.items.count()
    if count:
        raise ValidationError(f"本章节下还有 {count} 项工作任务，请先删除这些任务或将其移到其他章节。")
    chapter.delete()


@dataclass(frozen=True)
class NewItem:
    """One item of a batch for ``create_items``: what ``create_item`` takes, minus the plan."""

    title: str
    body: str = ""
    chapter: Chapter | None = None
    seq: int | None = None
    number: str = ""
    deadline: dt.date | None = None
    section: str = ""
    lead: Sequence[AssignmentEntry] = ()
    responsible: Sequence[AssignmentEntry] = ()
    other: Sequence[AssignmentEntry] = ()


@transaction.atomic
def create_item(*, plan: Plan, title: str, body: str = "", chapter: Chapter | None = None,
                seq: int | None = None, number: str = "", deadline: dt.date | None = None, section: str = "",
                lead: Sequence[AssignmentEntry] = (), responsible: Sequence[AssignmentEntry] = (),
                other: Sequence[AssignmentEntry] = ()) -> WorkItem:
    return create_items(plan=plan, items=[NewItem(
        title=title, body=body, chapter=chapter, seq=seq, number=number, deadline=deadline, section=section,
        lead=lead, responsible=responsible, other=other)])[0]


@transaction.atomic
def create_items(*, plan: Plan, items: Sequence[NewItem]) -> list[WorkItem]:
    """Create several items with their assignments, then sync their duties once (an import of forty
    items costs one duty sync, not forty). The same rules as one item: seq in range and unused,
    chapter of this plan, the plan's default deadline when none is given."""
    taken = set(plan.items.values_list("seq", flat=True))
    next_seq = max(taken, default=0) + 1
    created: list[WorkItem] = []
    for spec in items:
        if spec.chapter is not None and spec.chapter.plan_id != plan.pk:
            raise ValidationError("所选章节不属于该工作要点。")
        seq = spec.seq or next_seq
        _check_seq(seq)
        if seq in taken:
            raise ValidationError(f"本工作要点中已有序号为 {seq} 的工作任务。")
        taken.add(seq)
        next_seq = max(next_seq, seq + 1)
        check_lengths(WorkItem, title=spec.title.strip(), body=spec.body.strip(), number=spec.number.strip(),
                      section=spec.section.strip())
        item = WorkItem.objects.create(
            plan=plan, chapter=spec.chapter, seq=seq, number=spec.number.strip() or item_label(seq),
            title=spec.title.strip(), body=spec.body.strip(), deadline=spec.deadline or plan.default_deadline,
            section=spec.section.strip())
        _write_assignments(item=item, lead=spec.lead, responsible=spec.responsible, other=spec.other, fresh=True)
        created.append(item)
    sync_duties(items=created)
    return created


@transaction.atomic
def update_item(*, item: WorkItem, title: str, body: str, chapter: Chapter | None, seq: int, number: str,
                deadline: dt.date | None) -> WorkItem:
    if chapter is not None and chapter.plan_id != item.plan_id:
        raise ValidationError("所选章节不属于该工作要点。")
    _check_seq(seq)
    if WorkItem.objects.filter(plan_id=item.plan_id, seq=seq).exclude(pk=item.pk).exists():
        raise ValidationError(f"本工作要点中已有序号为 {seq} 的工作任务。")
    check_lengths(WorkItem, title=title.strip(), body=body.strip(), number=number.strip())
    item.title, item.body, item.chapter, item.seq = title.strip(), body.strip(), chapter, seq
    item.number = number.strip() or item_label(seq)
    item.deadline = deadline or item.plan.default_deadline
    item.save()
    return item


@transaction.atomic
def delete_item(*, item: WorkItem) -> None:
    _refuse_if_reported(WorkItem.objects.filter(pk=item.pk), "该工作任务")
    item.delete()


def _split_entry(entry: AssignmentEntry) -> tuple[Target, str]:
    if isinstance(entry, tuple):
        target, written_as = entry
        return target, (written_as or "").strip()
    return entry, ""


@transaction.atomic
def set_item_assignments(*, item: WorkItem, lead: Sequence[AssignmentEntry],
                         responsible: Sequence[AssignmentEntry],
                         other: Sequence[AssignmentEntry] = ()) -> None:
    """Replace the item's assignments, in the order given, and rebuild its duties."""
    _write_assignments(item=item, lead=lead, responsible=responsible, other=other)
    sync_duties(items=[item])


def _write_assignments(*, item: WorkItem, lead: Sequence[AssignmentEntry], responsible: Sequence[AssignmentEntry],
                       other: Sequence[AssignmentEntry] = (), fresh: bool = False) -> None:
    """Replace the item's assignments, in the order given (the caller syncs duties).

    Entries are units or groups, optionally paired with the name the document wrote. An entry
    given without one keeps the name it was written as before (editing in the browser must not
    lose what the import recorded). A name equal to the registry name is not stored twice. A ``fresh``
    item has no assignments yet: nothing to read or delete.
    """
    previous: dict[tuple[str, str, int], str] = {}
    if not fresh:
        previous = {
            (a.role, "u" if a.unit_id else "g", a.unit_id or a.group_id): a.written_as
            for a in Assignment.objects.filter(item=item)
        }
        Assignment.objects.filter(item=item).delete()
    rows = []
    for role, entries in ((AssignmentRole.LEAD, lead), (AssignmentRole.RESPONSIBLE, responsible),
                          (AssignmentRole.OTHER, other)):
        seen = set()
        for entry in entries:
            target, written_as = _split_entry(entry)
            key = (role, "u" if isinstance(target, Unit) else "g", target.pk)
            if key in seen:
                continue
            seen.add(key)
            if not written_as:
                written_as = previous.get(key, "")
            if written_as == target.name:
                written_as = ""
            rows.append(Assignment(
                item=item, role=role, order=len(rows),
                unit=target if isinstance(target, Unit) else None,
                group=target if isinstance(target, UnitGroup) else None,
                written_as=written_as,
            ))
    for row in rows:  # one by one, not bulk_create: each new assignment then reaches the audit log
        row.save()

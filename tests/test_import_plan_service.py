"""``import_plan`` writes the whole plan or nothing, never drops a name, and only updates drafts."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.importing.drafts import PlanDraft
from tasks.importing.services import ImportRefused, NameChoice, import_plan
from tasks.models import Alias, Assignment, AssignmentRole, Chapter, Duty, Plan, PlanStatus, Unit, UnitKind, WorkItem
from tests.factories import ObligationFactory, PlanFactory, ReportFactory, WorkItemFactory
from tests.import_support import parsed_document

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (Plan.objects.count(), Chapter.objects.count(), WorkItem.objects.count(), Assignment.objects.count(),
            Duty.objects.count(), Unit.objects.count(), Alias.objects.count())


def test_import_creates_plan_chapters_items_assignments_and_duties(registry_units, coordinator):
    plan = import_plan(draft=PlanDraft.from_parsed(parsed_document(2)), mapping={}, user=coordinator)

    assert (plan.title, plan.year, plan.doc_number, plan.status) == (
        "2026年测试市法治政府建设工作要点", 2026, "测政办〔2026〕9号", PlanStatus.DRAFT)
    assert plan.created_by == coordinator
    assert "(1)推进第1项工作" in plan.source_text
    assert [(c.seq, c.number, c.title) for c in plan.chapters.all()] == [(1, "一", "加强制度建设")]
    items = list(plan.items.order_by("seq"))
    assert [(i.seq, i.number, i.title, i.chapter.number, i.deadline) for i in items] == [
        (1, "(1)", "推进第1项工作", "一", dt.date(2026, 12, 31)),
        (2, "(2)", "推进第2项工作", "一", dt.date(2026, 12, 31)),
    ]
    first = items[0].assignments.order_by("order")
    assert [(a.role, a.label, a.target) for a in first] == [
        (AssignmentRole.LEAD, "测试市司法局", registry_units["sfj"]),
        (AssignmentRole.LEAD, "市政府办", registry_units["zfb"]),
        (AssignmentRole.RESPONSIBLE, "各区镇", registry_units["towns"]),
    ]
    # The group expands to its member town, which owes work as a responsible unit.
    assert {(d.unit, d.role) for d in items[0].duties.all()} == {
        (registry_units["sfj"], AssignmentRole.LEAD),
        (registry_units["zfb"], AssignmentRole.LEAD),
        (registry_units["town"], AssignmentRole.RESPONSIBLE),
    }


def test_an_unresolved_name_refuses_the_import_and_writes_nothing(registry_units, coordinator):
    before = _counts()
    with pytest.raises(ImportRefused) as refused:
        import_plan(draft=PlanDraft.from_parsed(parsed_document(3, unknown="测试市新成立局")), mapping={},
                    user=coordinator)
    assert "测试市新成立局" in refused.value.messages[0]
    assert _counts() == before


def test_mapping_a_name_to_a_unit_saves_an_alias_for_next_time(registry_units, coordinator):
    draft = PlanDraft.from_parsed(parsed_document(1, unknown="市公安"))
    plan = import_plan(draft=draft, mapping={"市公安": NameChoice(action="unit", target_id=registry_units["gaj"].pk)},
                       user=coordinator)

    alias = Alias.objects.get(name="市公安")
    assert alias.unit == registry_units["gaj"]
    assignment = Assignment.objects.get(item__plan=plan, written_as="市公安")
    assert assignment.unit == registry_units["gaj"]
    assert assignment.role == AssignmentRole.RESPONSIBLE


def test_mapping_a_name_to_a_group_saves_a_group_alias(registry_units, coordinator):
    draft = PlanDraft.from_parsed(parsed_document(1, unknown="市各部门"))
    import_plan(draft=draft, mapping={"市各部门": NameChoice(action="group", target_id=registry_units["group"].pk)},
                user=coordinator)
    assert Alias.objects.get(name="市各部门").group == registry_units["group"]
    assert Assignment.objects.get(written_as="市各部门").group == registry_units["group"]


def test_create_choice_adds_the_unit_with_its_kind(registry_units, coordinator):
    draft = PlanDraft.from_parsed(parsed_document(1, unknown="测试市数据局"))
    import_plan(draft=draft, mapping={"测试市数据局": NameChoice(action="create", kind=UnitKind.GOVERNMENT)},
                user=coordinator)
    unit = Unit.objects.get(name="测试市数据局")
    assert unit.kind == UnitKind.GOVERNMENT
    assert Assignment.objects.get(unit=unit).label == "测试市数据局"


def test_two_names_for_one_unit_in_one_role_become_one_assignment(registry_units, coordinator):
    doc = parsed_document(1)
    doc.items[0].lead_units = ["市政府办", "测试市人民政府办公室"]
    plan = import_plan(draft=PlanDraft.from_parsed(doc), mapping={}, user=coordinator)
    lead = Assignment.objects.filter(item__plan=plan, role=AssignmentRole.LEAD)
    assert [(a.label, a.unit) for a in lead] == [("市政府办", registry_units["zfb"])]


def test_a_stated_deadline_is_kept(registry_units, coordinator):
    doc = parsed_document(1)
    doc.items[0].deadline = dt.date(2026, 6, 30)
    plan = import_plan(draft=PlanDraft.from_parsed(doc), mapping={}, user=coordinator)
    assert plan.items.get().deadline == dt.date(2026, 6, 30)


def test_same_doc_number_and_year_is_refused_without_an_explicit_update(registry_units, coordinator):
    PlanFactory(year=2026, doc_number="测政办〔2026〕9号", status=PlanStatus.DRAFT)
    before = _counts()
    with pytest.raises(ImportRefused) as refused:
        import_plan(draft=PlanDraft.from_parsed(parsed_document(2)), mapping={}, user=coordinator)
    assert "已存在" in refused.value.messages[0] and "更新该草稿" in refused.value.messages[0]
    assert _counts() == before


def test_update_replaces_the_chapters_items_and_assignments_of_a_draft(registry_units, coordinator):
    old = PlanFactory(year=2026, doc_number="测政办〔2026〕9号", status=PlanStatus.DRAFT, title="旧标题")
    WorkItemFactory.create_batch(4, plan=old)

    plan = import_plan(draft=PlanDraft.from_parsed(parsed_document(2)), mapping={}, user=coordinator,
                       update_plan=old)

    assert plan.pk == old.pk
    assert Plan.objects.count() == 1
    plan.refresh_from_db()
    assert plan.title == "2026年测试市法治政府建设工作要点"
    assert list(plan.items.values_list("title", flat=True)) == ["推进第1项工作", "推进第2项工作"]
    assert list(plan.chapters.values_list("title", flat=True)) == ["加强制度建设"]
    assert Assignment.objects.filter(item__plan=plan).count() == 6


def test_update_of_a_draft_that_units_already_reported_on_is_refused(registry_units, coordinator):
    old = PlanFactory(year=2026, doc_number="测政办〔2026〕9号", status=PlanStatus.DRAFT, title="已有报告的草稿")
    item = WorkItemFactory(plan=old)
    ReportFactory(obligation=ObligationFactory(item=item, period__plan=old))
    before = _counts()
    with pytest.raises(ImportRefused) as refused:
        import_plan(draft=PlanDraft.from_parsed(parsed_document(2)), mapping={}, user=coordinator, update_plan=old)
    assert "已有 1 份进展报告" in refused.value.messages[0]
    assert _counts() == before
    assert WorkItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("status", [PlanStatus.ISSUED, PlanStatus.ARCHIVED])
def test_update_of_a_plan_that_is_not_a_draft_is_refused(registry_units, coordinator, status):
    old = PlanFactory(year=2026, doc_number="测政办〔2026〕9号", status=status, title="已印发的要点")
    WorkItemFactory.create_batch(2, plan=old)
    before = _counts()
    with pytest.raises(ImportRefused) as refused:
        import_plan(draft=PlanDraft.from_parsed(parsed_document(2)), mapping={}, user=coordinator, update_plan=old)
    assert "只有草稿状态的工作要点可以更新" in refused.value.messages[0]
    assert _counts() == before


def test_draft_problems_are_listed_in_chinese_and_nothing_is_written(registry_units, coordinator):
    doc = parsed_document(3)
    doc.title = ""
    doc.items[2].seq = 2
    before = _counts()
    with pytest.raises(ImportRefused) as refused:
        import_plan(draft=PlanDraft.from_parsed(doc), mapping={}, user=coordinator)
    assert refused.value.messages == ["请填写工作要点标题。", "工作任务 (3)：序号 2 重复，请修改。"]
    assert _counts() == before


def test_a_failure_after_creating_units_rolls_everything_back(registry_units, coordinator, monkeypatch):
    from tasks import services

    def explode(*, items):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "sync_duties", explode)
    before = _counts()
    with pytest.raises(RuntimeError):
        import_plan(draft=PlanDraft.from_parsed(parsed_document(2, unknown="测试市数据局")),
                    mapping={"测试市数据局": NameChoice(action="create")}, user=coordinator)
    assert _counts() == before


def test_draft_survives_a_json_round_trip():
    doc = parsed_document(2)
    doc.items[1].deadline = dt.date(2026, 9, 30)
    draft = PlanDraft.from_parsed(doc)
    assert PlanDraft.from_json(draft.as_json()) == draft


def test_every_imported_row_reaches_the_audit_log(registry_units, coordinator):
    from auditlog.models import LogEntry

    plan = import_plan(draft=PlanDraft.from_parsed(parsed_document(3)), mapping={}, user=coordinator)
    assert LogEntry.objects.get_for_model(WorkItem).filter(action=LogEntry.Action.CREATE).count() == 3
    assert LogEntry.objects.get_for_model(Assignment).filter(action=LogEntry.Action.CREATE).count() == \
        Assignment.objects.filter(item__plan=plan).count() == 9

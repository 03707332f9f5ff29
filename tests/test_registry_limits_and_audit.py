"""What the hostile registry posts found: sequence numbers and orders past their columns were saved on SQLite
and failed (or were refused only) on PostgreSQL, "next" after the largest sequence number overflowed the
smallint column, and assignments made in the browser never reached the audit log. Found while reading the
views: a group edit saved the new name in its own transaction, before the membership change, and a refused
alias always said "please fill in", whatever the reason."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from tasks import services
from tasks.importing.drafts import PlanDraft
from tasks.importing.services import ImportRefused, import_plan
from tasks.models import SEQ_MAX, Assignment, Chapter, Unit, UnitGroup, WorkItem
from tests.hostile_support import snapshot
from tests.import_support import parsed_document

pytestmark = pytest.mark.django_db

WATCHED = ["tasks.WorkItem", "tasks.Chapter", "tasks.Assignment", "tasks.Duty", "tasks.Unit", "tasks.UnitGroup"]


def test_item_seq_past_the_column_is_a_chinese_form_error_on_every_database(small_plan, coordinator_client,
                                                                            unit_a):
    item = small_plan.items.order_by("seq").first()
    before = snapshot(WATCHED)
    response = coordinator_client.post(f"/plans/items/{item.pk}/edit/", {
        "seq": str(SEQ_MAX + 1), "title": "深入学习", "lead": [f"u:{unit_a.pk}"]})
    assert response.status_code == 200
    assert f"确保该值小于或等于{SEQ_MAX}" in response.content.decode()
    assert snapshot(WATCHED) == before


def test_chapter_seq_past_the_column_is_a_chinese_form_error_on_every_database(small_plan, coordinator_client):
    before = snapshot(WATCHED)
    response = coordinator_client.post(f"/plans/{small_plan.pk}/chapters/new/", {
        "seq": str(SEQ_MAX + 1), "title": "新章节"})
    assert response.status_code == 200
    assert f"确保该值小于或等于{SEQ_MAX}" in response.content.decode()
    assert snapshot(WATCHED) == before


def test_next_seq_after_the_largest_possible_is_refused_in_chinese(small_plan, coordinator_client, unit_a):
    coordinator_client.post(f"/plans/{small_plan.pk}/items/new/", {
        "seq": str(SEQ_MAX), "title": "最后一项", "lead": [f"u:{unit_a.pk}"]})
    assert small_plan.items.filter(seq=SEQ_MAX).exists()
    before = snapshot(WATCHED)
    response = coordinator_client.post(f"/plans/{small_plan.pk}/items/new/", {
        "seq": "", "title": "再加一项", "lead": [f"u:{unit_a.pk}"]})
    assert response.status_code == 200
    assert f"序号须在 1 到 {SEQ_MAX} 之间" in response.content.decode()
    assert snapshot(WATCHED) == before


def test_services_refuse_a_seq_the_column_cannot_hold(small_plan):
    chapter = small_plan.chapters.first()
    with pytest.raises(ValidationError):
        services.create_chapter(plan=small_plan, title="章", seq=SEQ_MAX + 1)
    with pytest.raises(ValidationError):
        services.update_chapter(chapter=chapter, title="章", seq=SEQ_MAX + 1)
    services.create_chapter(plan=small_plan, title="最后一章", seq=SEQ_MAX)
    with pytest.raises(ValidationError):
        services.create_chapter(plan=small_plan, title="再一章")
    assert not Chapter.objects.filter(seq__gt=SEQ_MAX).exists()


@pytest.mark.parametrize("url", ["/plans/units/new/", "/plans/groups/new/"])
def test_order_past_the_integer_column_is_a_chinese_form_error_on_every_database(coordinator_client, url):
    before = snapshot(WATCHED)
    response = coordinator_client.post(url, {"name": "测试市新设局", "kind": "government", "order": "2147483648"})
    assert response.status_code == 200
    assert "确保该值小于或等于2147483647" in response.content.decode()
    assert snapshot(WATCHED) == before


def test_an_imported_seq_past_the_column_is_listed_as_a_problem(registry_units, coordinator):
    doc = parsed_document(3)
    doc.items[2].seq = SEQ_MAX + 1
    with pytest.raises(ImportRefused) as refused:
        import_plan(draft=PlanDraft.from_parsed(doc), mapping={}, user=coordinator)
    assert f"序号不能大于 {SEQ_MAX}" in " ".join(refused.value.messages)
    assert not WorkItem.objects.exists()


def test_assignments_made_in_the_browser_reach_the_audit_log(small_plan, coordinator_client, coordinator, unit_a):
    towns = UnitGroup.objects.get(name="各区镇")
    police = Unit.objects.get(name="测试市公安局")
    response = coordinator_client.post(f"/plans/{small_plan.pk}/items/new/", {
        "title": "新任务", "lead": [f"u:{unit_a.pk}"], "responsible": [f"g:{towns.pk}"]})
    assert response.status_code == 302
    item = WorkItem.objects.get(title="新任务")
    created = LogEntry.objects.get_for_model(Assignment).filter(action=LogEntry.Action.CREATE, actor=coordinator)
    assert {e.object_pk for e in created} >= {str(a.pk) for a in item.assignments.all()}

    response = coordinator_client.post(f"/plans/items/{item.pk}/edit/", {
        "seq": str(item.seq), "title": "新任务", "lead": [f"u:{police.pk}"]})
    assert response.status_code == 302
    new = item.assignments.get()
    assert LogEntry.objects.get_for_model(Assignment).filter(
        action=LogEntry.Action.CREATE, object_pk=str(new.pk), actor=coordinator).exists()


def test_a_refused_membership_change_leaves_the_group_name_unchanged(small_plan, coordinator_client, unit_a,
                                                                      monkeypatch):
    group = UnitGroup.objects.get(name="各区镇")
    before = snapshot([*WATCHED, "tasks.UnitGroup_members"])

    def refuse(**kwargs):
        raise ValidationError("成员变更被拒绝。")

    monkeypatch.setattr(services, "set_group_members", refuse)
    response = coordinator_client.post(f"/plans/groups/{group.pk}/", {
        "name": "各区镇（新）", "description": "", "order": "0", "members": [str(unit_a.pk)]})
    assert response.status_code == 200
    assert "成员变更被拒绝。" in response.content.decode()
    assert snapshot([*WATCHED, "tasks.UnitGroup_members"]) == before


def test_an_over_long_alias_is_refused_with_the_real_reason(coordinator_client, unit_a):
    response = coordinator_client.post(f"/plans/units/{unit_a.pk}/aliases/", {"name": "法" * 101}, follow=True)
    page = response.content.decode()
    assert "别名有误" in page and "100" in page and "请填写别名" not in page
    assert not unit_a.aliases.exists()


@pytest.mark.parametrize("member", ["99999999999999999999", str(2**63), str(-(2**63) - 1)])
def test_a_member_id_no_column_can_hold_is_a_form_error_not_a_500(small_plan, coordinator_client, unit_a, member):
    # Found by the hostile group posts: Django's __in lookup hands such ids to SQLite's driver, which overflows.
    group = UnitGroup.objects.get(name="各区镇")
    before = snapshot([*WATCHED, "tasks.UnitGroup_members"])
    response = coordinator_client.post(f"/plans/groups/{group.pk}/", {
        "name": "各区镇（新）", "description": "", "order": "0", "members": [str(unit_a.pk), member]})
    assert response.status_code == 200
    assert f"“{member}”不是一个有效的值" in response.content.decode()
    assert snapshot([*WATCHED, "tasks.UnitGroup_members"]) == before

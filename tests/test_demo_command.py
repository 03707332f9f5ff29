from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from tasks.models import Alias, Assignment, Chapter, Duty, Plan, Unit, UnitGroup, UnitKind, WorkItem


def _run(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Unit, UnitGroup, Alias, Plan, Chapter, WorkItem, Assignment, Duty, User))


@pytest.mark.django_db
def test_demo_loads_units_of_every_kind_groups_a_current_year_plan_and_users(settings, fresh_demo):
    settings.DEBUG = True
    out = fresh_demo()
    assert "演示数据已载入" in out

    assert Unit.objects.count() >= 40
    assert set(Unit.objects.values_list("kind", flat=True)) == set(UnitKind.values)
    assert Alias.objects.get(name="市政府办").unit.name == "市政府办公室"
    assert Alias.objects.get(name="各镇区").group.name == "各区镇"
    assert UnitGroup.objects.get(name="各区镇").members.filter(kind=UnitKind.TOWN).exists()

    import datetime as dt
    # This year's plan, and last year's (complete, for the government report: tests/govreport/test_demo.py).
    assert sorted(Plan.objects.values_list("year", flat=True)) == [dt.date.today().year - 1, dt.date.today().year]
    plan = Plan.objects.get(year=dt.date.today().year)
    assert plan.chapters.count() == 8
    assert plan.items.count() == 30
    # Items naming a group keep the group; the unit written by its alias keeps the alias.
    assert Assignment.objects.filter(group__name="市政府各有关部门").exists()
    assert Assignment.objects.filter(written_as="市政府办", unit__name="市政府办公室").exists()
    # Duties are expanded: the town owes work through "各区镇".
    town = Unit.objects.get(name="临江镇")
    assert WorkItem.objects.for_unit(town).count() > 10

    for username, role in [("coordinator", Role.COORDINATOR), ("leader", Role.LEADER),
                           ("liaison_sfj", Role.LIAISON), ("liaison_town", Role.LIAISON)]:
        user = authenticate(username=username, password=settings.FAZHI_DEMO_PASSWORD)
        assert user is not None and user.role == role
    assert User.objects.get(username="liaison_sfj").unit.name == "市司法局"
    assert User.objects.get(username="liaison_town").unit.kind == UnitKind.TOWN


@pytest.mark.django_db
def test_demo_second_run_changes_nothing_and_says_so(settings, fresh_demo):
    settings.DEBUG = True
    fresh_demo()
    before = _counts()
    out = _run()
    assert "未做任何更改" in out
    assert _counts() == before


@pytest.mark.django_db
def test_demo_refuses_with_debug_off_unless_forced(settings, fresh_demo):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _run()
    assert Unit.objects.count() == 0
    fresh_demo("--force")
    assert Plan.objects.count() == 2  # this year and last year (complete)


@pytest.mark.django_db
def test_print_logins_lists_each_demo_user_with_role_unit_and_password(settings, fresh_demo):
    settings.DEBUG = True
    assert "load_demo" in _run("--print-logins")  # nothing loaded yet: says how to load
    fresh_demo()
    out = _run("--print-logins")
    for text in ["coordinator", "leader", "liaison_sfj", "liaison_town", "市司法局", "临江镇", "单位联络员",
                 settings.FAZHI_DEMO_PASSWORD]:
        assert text in out
    assert "http" not in out

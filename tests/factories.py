"""factory-boy factories for every model the tests build. Names are invented, in the style of real documents."""

from __future__ import annotations

import datetime as dt

import factory

from accounts.models import Role, User
from tasks.models import (
    Alias,
    Assignment,
    AssignmentRole,
    Chapter,
    Plan,
    PlanStatus,
    Unit,
    UnitGroup,
    UnitKind,
    WorkItem,
)

TEST_PASSWORD = "Testing@2026"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试市第{n}局")
    short_name = factory.LazyAttribute(lambda o: o.name.removeprefix("测试市"))
    kind = UnitKind.GOVERNMENT
    order = factory.Sequence(lambda n: n)


class UnitGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitGroup
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试集合{n}")

    @factory.post_generation
    def members(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.members.set(extracted)


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias

    name = factory.Sequence(lambda n: f"别名{n}")
    unit = factory.SubFactory(UnitFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "测"
    first_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.COORDINATOR
    password = factory.django.Password(TEST_PASSWORD)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"2026年测试市法治政府建设工作要点（{n}）")
    year = 2026
    issuer = "测试市人民政府办公室"
    doc_number = factory.Sequence(lambda n: f"测政办〔2026〕{n + 1}号")
    issued_on = dt.date(2026, 3, 15)
    status = PlanStatus.ISSUED


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    plan = factory.SubFactory(PlanFactory)
    seq = factory.Sequence(lambda n: n + 1)
    number = "一"
    title = factory.Sequence(lambda n: f"测试章节{n}")


class WorkItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkItem

    plan = factory.SubFactory(PlanFactory)
    chapter = factory.SubFactory(ChapterFactory, plan=factory.SelfAttribute("..plan"))
    seq = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"({o.seq})")
    title = factory.Sequence(lambda n: f"推进测试工作第{n}项")
    body = factory.LazyAttribute(lambda o: f"{o.title}。健全工作机制，加强督促检查。")
    deadline = factory.LazyAttribute(lambda o: dt.date(o.plan.year, 12, 31))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    item = factory.SubFactory(WorkItemFactory)
    role = AssignmentRole.LEAD
    unit = factory.SubFactory(UnitFactory)
    group = None




class PeriodFactory(factory.django.DjangoModelFactory):
    """A bare period row; to create its obligations use ``reports.services.open_period`` instead."""

    class Meta:
        model = "reports.Period"

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"2026年测试期次{n}")
    due_on = dt.date(2026, 7, 10)


class ObligationFactory(factory.django.DjangoModelFactory):
    """A bare obligation row, for read-side tests (dashboards) that need exact report mixes."""

    class Meta:
        model = "reports.Obligation"

    period = factory.SubFactory(PeriodFactory)
    item = factory.SubFactory(WorkItemFactory, plan=factory.SelfAttribute("..period.plan"))
    unit = factory.SubFactory(UnitFactory)
    role = AssignmentRole.LEAD


class ReportFactory(factory.django.DjangoModelFactory):
    """A report row in a given state, bypassing the workflow: for read-side tests only."""

    class Meta:
        model = "reports.Report"

    obligation = factory.SubFactory(ObligationFactory)
    state = "submitted"
    progress = "in_progress"
    percent = 50
    measures = factory.Sequence(lambda n: f"健全工作机制，完成第{n}批任务。")
    delay_reason = factory.LazyAttribute(lambda o: "受客观因素影响，进度滞后。" if o.progress == "delayed" else "")
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.state == "draft" else dt.datetime(o.obligation.period.due_on.year, 7, 1, 9, tzinfo=dt.UTC)
    )

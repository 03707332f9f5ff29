"""The item search (任务查询): every filter is a GET parameter, so a search is a shareable URL."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from fazhi.forms import IdField, QueryForm
from tasks.models import Assignment, AssignmentRole, Chapter, Plan, Unit, WorkItem


def _year_choices() -> list[tuple[int, str]]:
    years = Plan.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(y, f"{y}年") for y in years]


def items_naming_unit(unit: Unit, role: str) -> QuerySet[Assignment]:
    """Item ids where the unit is named in ``role``: directly, or as an active member of a named group."""
    return Assignment.objects.filter(role=role).filter(
        Q(unit=unit) | Q(group__members=unit, group__members__is_active=True)
    ).values("item_id")


class PlanQuery(QueryForm):
    plan = IdField()


class WorkItemFilter(django_filters.FilterSet):
    # Bounded: SQLite refuses very long LIKE patterns ("pattern too complex"), which would be a 500.
    q = django_filters.CharFilter(label="关键词", method="filter_keyword", max_length=200,
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": "标题或内容"}))
    year = django_filters.ChoiceFilter(label="年度", field_name="plan__year", choices=_year_choices,
                                       empty_label="全部年度")
    plan = django_filters.ModelChoiceFilter(label="工作要点", queryset=Plan.objects.all(), empty_label="全部")
    chapter = django_filters.ModelChoiceFilter(label="章节", queryset=Chapter.objects.select_related("plan"),
                                               empty_label="全部")
    lead = django_filters.ModelChoiceFilter(label="牵头单位", queryset=Unit.objects.all(), method="filter_role",
                                            empty_label="全部")
    responsible = django_filters.ModelChoiceFilter(label="责任单位（含集合）", queryset=Unit.objects.all(),
                                                   method="filter_role", empty_label="全部")

    class Meta:
        model = WorkItem
        fields = ["q", "year", "plan", "chapter", "lead", "responsible"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Chapters are only meaningful within a plan: offer the chosen plan's chapters when there is one.
        plan_id = PlanQuery.read(self.data)["plan"]  # bounded: "²" passes isdigit() but not int()
        if plan_id:
            self.filters["chapter"].queryset = Chapter.objects.filter(plan_id=plan_id)
            self.form.fields["chapter"].queryset = self.filters["chapter"].queryset
            self.form.fields["chapter"].label_from_instance = str
        else:
            self.form.fields["chapter"].label_from_instance = lambda c: f"{c.plan.year} · {c}"

    def filter_keyword(self, queryset: QuerySet[WorkItem], name: str, value: str) -> QuerySet[WorkItem]:
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(body__icontains=word))
        return queryset

    def filter_role(self, queryset: QuerySet[WorkItem], name: str, value: Unit | None) -> QuerySet[WorkItem]:
        if value is None:
            return queryset
        role = AssignmentRole.LEAD if name == "lead" else AssignmentRole.RESPONSIBLE
        return queryset.filter(pk__in=items_naming_unit(value, role))

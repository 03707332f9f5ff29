"""The item search (任务查询): every filter is a GET parameter, so a search is a shareable URL."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from fazhi.forms import IdField, QueryForm
from fazhi.paging import bounded_choices
from fazhi.widgets import FastSelect
from tasks.models import Assignment, AssignmentRole, Chapter, Duty, Plan, Unit, WorkItem

# Longest option lists the search renders; longer ones ask for a plan (or year) first.
OPTIONS_LIMIT = 120
UNIT_OPTIONS_LIMIT = 300


def _year_choices() -> list[tuple[int, str]]:
    years = Plan.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(y, f"{y}年") for y in years]


def items_naming_unit(unit: Unit, role: str) -> QuerySet[Assignment]:
    """Item ids where the unit is named in ``role``: directly, or as an active member of a named group."""
    return Assignment.objects.filter(role=role).filter(
        Q(unit=unit) | Q(group__members=unit, group__members__is_active=True)
    ).values("item_id")


class PlanQuery(QueryForm):
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
    plan = IdField()
    chapter = IdField()
    lead = IdField()
    responsible = IdField()


class WorkItemFilter(django_filters.FilterSet):
    # Bounded: SQLite refuses very long LIKE patterns ("pattern too complex"), which would be a 500.
    q = django_filters.CharFilter(label="关键词", method="filter_keyword", max_length=200,
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": "标题或内容"}))
    year = django_filters.ChoiceFilter(label="年度", field_name="plan__year", choices=_year_choices,
                                       empty_label="全部年度", widget=FastSelect)
    plan = django_filters.ModelChoiceFilter(label="工作要点", queryset=Plan.objects.all(), empty_label="全部",
                                            widget=FastSelect)
    chapter = django_filters.ModelChoiceFilter(label="章节", queryset=Chapter.objects.all(), empty_label="全部",
                                               widget=FastSelect)
    lead = django_filters.ModelChoiceFilter(label="牵头单位", queryset=Unit.objects.all(), method="filter_role",
                                            empty_label="全部", widget=FastSelect)
    responsible = django_filters.ModelChoiceFilter(label="责任单位（含集合）", queryset=Unit.objects.all(),
                                                   method="filter_role", empty_label="全部",
                                                   widget=FastSelect)

    class Meta:
        model = WorkItem
        fields = ["q", "year", "plan", "chapter", "lead", "responsible"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Option lists follow the narrower choices (a year's plans, a plan's chapters and units) and are never
        # longer than a page can render cheaply: with every jurisdiction and year in one database they were
        # thousands of options on every visit. A value chosen by URL is always offered.
        chosen = PlanQuery.read(self.data)  # bounded: "²" passes isdigit() but not int()
        year, plan_id = chosen["year"], chosen["plan"]
        plans = Plan.objects.defer("source_text")
        if year:
            plans = plans.filter(year=year)
        plans, self.plans_truncated = bounded_choices(plans, OPTIONS_LIMIT, plan_id)
        chapters, units = Chapter.objects.none(), Unit.objects.all()
        if plan_id:
            chapters = Chapter.objects.filter(plan_id=plan_id)
            units = Unit.objects.filter(pk__in=Duty.objects.filter(item__plan_id=plan_id).values("unit_id"))
        chapters, _ = bounded_choices(chapters | Chapter.objects.filter(pk=chosen["chapter"] or 0), OPTIONS_LIMIT)
        self.units_truncated = False
        for name in ("lead", "responsible"):
            choices, truncated = bounded_choices(units, UNIT_OPTIONS_LIMIT, chosen[name])
            self.units_truncated |= truncated
            self.filters[name].queryset = self.form.fields[name].queryset = choices
        self.filters["plan"].queryset = self.form.fields["plan"].queryset = plans
        self.filters["chapter"].queryset = self.form.fields["chapter"].queryset = chapters
        self.form.fields["chapter"].label_from_instance = str

    def filter_keyword(self, queryset: QuerySet[WorkItem], name: str, value: str) -> QuerySet[WorkItem]:
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(body__icontains=word))
        return queryset

    def filter_role(self, queryset: QuerySet[WorkItem], name: str, value: Unit | None) -> QuerySet[WorkItem]:
        if value is None:
            return queryset
        role = AssignmentRole.LEAD if name == "lead" else AssignmentRole.RESPONSIBLE
        return queryset.filter(pk__in=items_naming_unit(value, role))

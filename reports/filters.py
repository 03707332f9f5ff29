"""The review queue's filters (django-filter): by unit, chapter and period."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from fazhi.forms import IdField, QueryForm
from fazhi.widgets import FastSelect
from reports.models import Obligation, Period, PeriodStatus, Report
from tasks.models import Chapter, Unit

# Without a chosen period, the chapter and unit lists cover the open periods only while there are this few of
# them; a deployment with many jurisdictions (or years) asks for the period first, so the page's size and cost
# do not grow with the number of units and chapters in the database.
OPEN_PERIODS_LISTED = 3


class ChosenForm(QueryForm):
    """The ids chosen by URL, through bounded fields: "²" passes str.isdigit but not int()."""

    period = IdField()
    chapter = IdField()
    unit = IdField()


class ChosenPeriodForm(QueryForm):
    period = IdField()


class ReviewFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(field_name="obligation__unit", label="单位", widget=FastSelect,
                                            queryset=Unit.objects.filter(is_active=True), empty_label="全部单位")
    chapter = django_filters.ModelChoiceFilter(
        field_name="obligation__item__chapter", label="章节", empty_label="全部章节", widget=FastSelect,
        queryset=Chapter.objects.select_related("plan").order_by("-plan__year", "plan_id", "seq"),
    )
    period = django_filters.ModelChoiceFilter(
        field_name="obligation__period", label="报送期次", empty_label="全部期次", widget=FastSelect,
        queryset=Period.objects.select_related("plan").order_by("-due_on"),
    )

    class Meta:
        model = Report
        fields = ["unit", "chapter", "period"]

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        # Offer what a reviewer can mean: open periods (plus one chosen by URL), and the chapters and units of the
        # chosen period, or of the open periods when there are only a few. A value chosen by URL is always kept.
        chosen = ChosenForm.read(data or {})
        period, chapter, unit = chosen["period"], chosen["chapter"], chosen["unit"]
        open_periods = Q(status=PeriodStatus.OPEN)
        self.filters["period"].queryset = Period.objects.select_related("plan").order_by("-due_on").filter(
            open_periods | Q(pk=period or 0))
        if period is not None:
            scope, several_plans = [period], False
        else:
            # One query for the open periods' ids and plans: the scope of the lists and whether chapter names need
            # their plan ("一、…" in each plan looks alike).
            rows = list(Period.objects.filter(open_periods).order_by().values_list("pk", "plan_id")
                        [:OPEN_PERIODS_LISTED + 1])
            scope, several_plans = [pk for pk, _ in rows], len({plan for _, plan in rows}) > 1
            if len(scope) > OPEN_PERIODS_LISTED:
                scope, several_plans = [], False
                self.narrow_first = True
        self.filters["chapter"].queryset = self.filters["chapter"].queryset.filter(
            Q(plan__periods__pk__in=scope) | Q(pk=chapter or 0)).distinct()
        self.filters["unit"].queryset = Unit.objects.filter(is_active=True).filter(
            Q(pk__in=Obligation.objects.filter(period_id__in=scope).values("unit_id")) | Q(pk=unit or 0))
        if several_plans:
            self.form.fields["chapter"].label_from_instance = lambda c: f"{c}（{c.plan.title}）"

    narrow_first = False

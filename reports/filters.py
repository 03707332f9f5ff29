"""The review queue's filters (django-filter): by unit, chapter and period."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from fazhi.forms import IdField, QueryForm
from reports.models import Period, PeriodStatus, Report
from tasks.models import Chapter, Unit


class ChosenPeriodForm(QueryForm):
    period = IdField()


class ReviewFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(field_name="obligation__unit", label="单位",
                                            queryset=Unit.objects.filter(is_active=True), empty_label="全部单位")
    chapter = django_filters.ModelChoiceFilter(
        field_name="obligation__item__chapter", label="章节", empty_label="全部章节",
        queryset=Chapter.objects.select_related("plan").order_by("-plan__year", "plan_id", "seq"),
    )
    period = django_filters.ModelChoiceFilter(
        field_name="obligation__period", label="报送期次", empty_label="全部期次",
        queryset=Period.objects.select_related("plan").order_by("-due_on"),
    )

    class Meta:
        model = Report
        fields = ["unit", "chapter", "period"]

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        # A deployment holding many jurisdictions and years has thousands of periods and chapters;
        # offer the ones a reviewer can mean: open periods (plus one chosen by URL) and the chapters
        # of the chosen period's plan, or of the plans being reported on now.
        # Through a bounded field: "²" passes str.isdigit but not int(), and an id past 64 bits overflows.
        chosen_period = ChosenPeriodForm.read(data or {})["period"]
        periods = Period.objects.select_related("plan").order_by("-due_on")
        open_or_chosen = Q(status=PeriodStatus.OPEN)
        if chosen_period:
            open_or_chosen |= Q(pk=chosen_period)
        self.filters["period"].queryset = periods.filter(open_or_chosen)
        chapters = self.filters["chapter"].queryset
        if chosen_period:
            chapters = chapters.filter(plan__periods__pk=chosen_period)
        else:
            chapters = chapters.filter(plan__periods__status=PeriodStatus.OPEN).distinct()
        self.filters["chapter"].queryset = chapters
        # Chapters of several plans look alike ("一、…" in each): name the plan when more than one is offered.
        if len(chapters.order_by().values("plan_id").distinct()[:2]) > 1:
            self.form.fields["chapter"].label_from_instance = lambda c: f"{c}（{c.plan.title}）"

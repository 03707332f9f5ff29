"""The review queue's filters (django-filter): by unit, chapter and period."""

from __future__ import annotations

import django_filters

from reports.models import Period, Report
from tasks.models import Chapter, Unit


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

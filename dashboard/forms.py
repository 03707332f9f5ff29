"""The dashboards' query parameters, each through a form with bounds (``fazhi.forms.QueryForm``): a value
that is not valid is ignored as if absent, never a 500."""

from __future__ import annotations

from django import forms

from dashboard.lights import Light
from dashboard.queries import UNIT_SORTS
from fazhi.forms import IdField, QueryForm
from tasks.models import UnitKind


class ScopeForm(QueryForm):
    """Chapter and unit kind: the filters that stay in the URL below a period."""

    chapter = IdField()
    kind = forms.ChoiceField(choices=UnitKind.choices, required=False)


class GoForm(ScopeForm):
    """The filter form's target: which period (by year, plan or period) and which view."""

    view = forms.CharField(max_length=20, required=False)
    year = forms.IntegerField(min_value=1900, max_value=2999, required=False)
    plan = IdField()
    period = IdField()


class UnitsForm(QueryForm):
    sort = forms.ChoiceField(choices=[(key, key) for key in UNIT_SORTS], required=False)


class ItemListForm(QueryForm):
    light = forms.ChoiceField(choices=Light.choices, required=False)


class ObligationListForm(QueryForm):
    status = forms.CharField(max_length=20, required=False)
    unit = IdField()
    item = IdField()

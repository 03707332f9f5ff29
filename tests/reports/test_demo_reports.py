"""The demo shows the whole workflow: a half-year round with every state, filed through the services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from reports.models import Obligation, Report, ReportEvent


@pytest.mark.django_db
def test_the_demo_has_a_realistic_mix_of_reports_and_loads_only_once(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    half = Obligation.objects.filter(period__name__endswith="半年报")
    states = set(Report.objects.filter(obligation__in=half).values_list("state", flat=True))
    assert states == {"draft", "submitted", "returned", "approved"}
    assert Report.objects.filter(is_late=True).exists()
    assert half.filter(report__isnull=True).exists()  # some units have not filed at all
    returned = Report.objects.filter(state="returned").first()
    assert returned.review_comment and ReportEvent.objects.filter(report=returned, action="returned").exists()
    # a unit with a returned report sees it at the top of 我的待办
    assert Obligation.objects.for_todo(returned.obligation.unit).first().report_or_none.state == "returned"
    before = (Report.objects.count(), ReportEvent.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Report.objects.count(), ReportEvent.objects.count()) == before

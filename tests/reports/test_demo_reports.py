"""The demo shows the whole workflow: a half-year round with every state, filed through the services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from reports.models import Obligation, Report, ReportEvent


@pytest.mark.django_db
def test_the_demo_has_a_realistic_mix_of_reports_and_loads_only_once(settings, fresh_demo):
    settings.DEBUG = True
    fresh_demo()
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


@pytest.mark.django_db
def test_a_fresh_demo_leaves_each_user_a_handful_of_unread_notices_that_still_ask_something(settings, client,
                                                                                           fresh_demo):
    from django.urls import reverse

    from accounts.models import User
    from reports.demo import DEMO_UNREAD
    from reports.models import Notice

    settings.DEBUG = True
    fresh_demo()
    coordinator = User.objects.get(username="coordinator")
    unread = list(Notice.objects.filter(user=coordinator, read_at__isnull=True))
    assert 1 <= len(unread) <= DEMO_UNREAD
    waiting = {reverse("reports:detail", args=[pk]) for pk in Report.objects.filter(state="submitted")
               .values_list("pk", flat=True)}
    assert all(n.url in waiting and n.title.startswith("新报送待审核") for n in unread)
    # The history is still there, read.
    assert Notice.objects.filter(user=coordinator, read_at__isnull=False).count() > 100
    # Liaisons keep only what asks them to act: their returned reports.
    for notice in Notice.objects.filter(read_at__isnull=True).exclude(user=coordinator):
        assert notice.title.startswith("报告被退回修改")
    # The badge the coordinator sees.
    client.force_login(coordinator)
    html = client.get(reverse("dashboard:home"), follow=True).content.decode()
    assert f'<span class="sr-only">，</span>{len(unread)}<span class="sr-only">条未读通知</span>' in html
    # A second run leaves what users have (not) read alone.
    Notice.objects.filter(pk=unread[0].pk).update(read_at=None)
    call_command("load_demo", stdout=StringIO())
    assert Notice.objects.filter(user=coordinator, read_at__isnull=True).count() == len(unread)

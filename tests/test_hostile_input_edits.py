"""Hostile and random input to the edit, chasing, review, period, password and login screens: never a 500,
and a rejected submission leaves every watched row exactly as it was (no half-save)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports import services as report_services
from reports.models import Period, PeriodStatus, Report, ReportState
from tasks.models import UnitGroup
from tests.hostile_support import HOSTILE, HOSTILE_SAMPLES, SETTINGS, error_flashed, page_fields, page_form, snapshot

pytestmark = pytest.mark.django_db

ASSIGNMENTS = ["tasks.WorkItem", "tasks.Assignment", "tasks.Duty", "reports.Obligation"]
# (persona fixture, form page, form action or None for the page's only form, watched models, extra answers)
EDIT_FORMS = [
    ("coordinator_client", "/plans/items/{item}/edit/", None, ASSIGNMENTS, ()),
    ("coordinator_client", "/plans/chapters/{chapter}/edit/", None, ["tasks.Chapter"], ()),
    ("coordinator_client", "/plans/groups/{group}/", "", ["tasks.UnitGroup", "tasks.UnitGroup_members",
                                                         *ASSIGNMENTS], ()),
    ("coordinator_client", "/reports/reminders/", None, ["reports.Reminder", "reports.Notice"], ()),
    ("liaison_a_client", "/reports/annual/{unit}/{year}/", None, ["reports.AnnualReportDraft"], ()),
    ("liaison_a_client", "/accounts/password/", None, ["accounts.User"], ()),
    # Login: a source address that keeps failing is locked out (429), which is a clean rejection too.
    ("client", "/accounts/login/", None, ["accounts.User"], (429,)),
]
SKIP_FIELDS = {"csrfmiddlewaretoken", "version", "next"}
# None keeps the field's own value, so hostile text also reaches the services behind valid choices; choice
# fields keep theirs more often, or nearly every example would stop at "invalid choice".
TEXT_VALUE = st.one_of(st.none(), HOSTILE)
CHOICE_VALUE = st.one_of(st.none(), st.none(), st.none(), HOSTILE)


@pytest.fixture
def scene(small_plan, coordinator, liaison_a, unit_a):
    period = report_services.open_period(plan=small_plan, name="半年报", user=coordinator,
                                         due_on=dt.date.today() - dt.timedelta(days=3))  # overdue: 催办 has work
    obligation = period.obligations.filter(unit=unit_a).first()
    report = report_services.start_report(obligation=obligation, user=liaison_a)
    item = small_plan.items.order_by("seq").first()
    return {"plan": small_plan.pk, "report": report.pk, "period": period.pk, "item": item.pk,
            "chapter": item.chapter_id, "group": UnitGroup.objects.get(name="各区镇").pk, "unit": unit_a.pk,
            "year": small_plan.year}


@pytest.mark.parametrize(("persona", "url", "action", "watched", "extra"), EDIT_FORMS,
                         ids=[f[1] for f in EDIT_FORMS])
def test_hostile_edits_never_error_and_rejections_change_nothing(request, scene, persona, url, action, watched,
                                                                 extra):
    client = request.getfixturevalue(persona)
    url = url.format(**scene)
    form_action = None if action is None else (action or url)
    form = page_form(client, url, form_action)
    names = [k for k in form.data if k not in SKIP_FIELDS]
    assert names, f"no fields found on {url}"
    strategies = [CHOICE_VALUE if k in form.choices else TEXT_VALUE for k in names]

    def check(values: list[str | None]) -> None:
        # Fresh fields each time: an accepted edit moves the optimistic-lock version on.
        data = page_fields(client, url, form_action)
        data.update({k: v for k, v in zip(names, values, strict=True) if v is not None})
        before = snapshot(watched)
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403, 404, 413, *extra), response.status_code
        if response.status_code != 302 or error_flashed(response):
            assert snapshot(watched) == before, "a rejected submission changed saved rows"

    for sample in HOSTILE_SAMPLES:  # each hostile sample in every field at once, deterministically
        check([sample] * len(names))

    @SETTINGS
    @given(values=st.tuples(*strategies))
    def run(values: tuple[str | None, ...]) -> None:
        check(list(values))

    run()


@pytest.mark.parametrize("owner", ["unit", "group"])
def test_hostile_alias_names_are_stored_verbatim_or_refused_cleanly(scene, coordinator_client, owner):
    url = f"/plans/{owner}s/{scene[owner]}/aliases/"

    @SETTINGS
    @given(name=HOSTILE)
    def run(name: str) -> None:
        before = snapshot(["tasks.Alias"])
        response = coordinator_client.post(url, {"name": name})
        assert response.status_code == 302
        after = snapshot(["tasks.Alias"])
        if error_flashed(response):
            assert after == before
        else:
            added = [row for row in after["tasks.Alias"] if row not in before["tasks.Alias"]]
            assert len(added) == 1 and name.strip() in added[0]

    for sample in HOSTILE_SAMPLES:
        run.hypothesis.inner_test(sample)
    run()


def test_hostile_return_comments_and_next_links_never_error(scene, coordinator_client, liaison_a):
    report = Report.objects.get(pk=scene["report"])
    Report.objects.filter(pk=report.pk).update(measures="已完成专题学习。")
    url = f"/reports/{report.pk}/return/"

    @SETTINGS
    @given(comment=HOSTILE, next_=HOSTILE)
    def run(comment: str, next_: str) -> None:
        current = Report.objects.get(pk=report.pk)
        if current.state != ReportState.SUBMITTED:
            report_services.submit_report(report=current, user=liaison_a)
        before = snapshot(["reports.Report", "reports.ReportEvent", "reports.Notice"])
        response = coordinator_client.post(url, {"comment": comment, "next": next_})
        assert response.status_code == 302
        assert "\n" not in response["Location"] and "\r" not in response["Location"]
        current = Report.objects.get(pk=report.pk)
        if error_flashed(response):
            assert snapshot(["reports.Report", "reports.ReportEvent", "reports.Notice"]) == before
        else:
            assert current.state == ReportState.RETURNED
            assert current.review_comment == comment.strip()

    for sample in HOSTILE_SAMPLES:
        run.hypothesis.inner_test(sample, sample)
    run()


def test_random_close_and_reopen_by_any_persona_with_hostile_extras_keeps_a_consistent_period(
        scene, coordinator_client, liaison_a_client, leader_client):
    personas = {"coordinator": coordinator_client, "liaison": liaison_a_client, "leader": leader_client}
    period_pk = scene["period"]

    @SETTINGS
    @given(steps=st.lists(st.tuples(st.sampled_from(sorted(personas)), st.sampled_from(["close", "reopen"]),
                                    st.dictionaries(HOSTILE, HOSTILE, max_size=3)), min_size=1, max_size=6))
    def run(steps: list[tuple[str, str, dict[str, str]]]) -> None:
        for persona, verb, extras in steps:
            before = snapshot(["reports.Period", "reports.Obligation"])
            was = Period.objects.get(pk=period_pk).status
            response = personas[persona].post(f"/reports/periods/{period_pk}/{verb}/", extras)
            assert response.status_code in (302, 403)
            now = Period.objects.get(pk=period_pk).status
            changes = persona == "coordinator" and was == (PeriodStatus.OPEN if verb == "close"
                                                            else PeriodStatus.CLOSED)
            if changes:
                assert now == (PeriodStatus.CLOSED if verb == "close" else PeriodStatus.OPEN)
            else:
                assert response.status_code == 403 or error_flashed(response)
                assert snapshot(["reports.Period", "reports.Obligation"]) == before

    run()

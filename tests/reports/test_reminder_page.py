"""催办 page: the note comes first, units a reminder cannot reach are named before sending, and the confirmation
counts what was actually queued."""

from __future__ import annotations

import re

import pytest

from accounts.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_note_field_comes_before_the_target(world, coordinator_client):
    html = coordinator_client.get("/reports/reminders/").content.decode()
    assert html.index('name="note"') < html.index('name="target"')


def test_units_without_a_liaison_or_without_e_mail_are_named_before_sending(world, coordinator_client):
    User.objects.filter(pk=world.liaison_a.pk).update(email="")
    User.objects.filter(pk=world.liaison_b.pk).update(is_active=False)
    html = coordinator_client.get("/reports/reminders/").content.decode()
    assert "发送前请注意：</strong>1 家单位没有联络员账号，收不到催办；1 家单位没有联络员邮箱，只收到站内通知。" in html
    folded = r"<summary>{}（1）</summary>\s*<p class=\"unit-names\">{}</p>"
    assert re.search(folded.format("没有联络员账号的单位", world.unit_b.name), html)
    assert re.search(folded.format("没有联络员邮箱的单位", world.unit_a.name), html)


def test_many_units_without_e_mail_fold_into_one_line_below_the_form_fields(world, coordinator_client):
    from tests.factories import ObligationFactory, UnitFactory

    User.objects.filter(role=Role.LIAISON).update(email="")
    for n in range(40):
        unit = UnitFactory(name=f"测试市第{n}局")
        UserFactory(username=f"l{n}", role=Role.LIAISON, unit=unit, email="")
        ObligationFactory(period=world.period, item=world.item1, unit=unit, role="responsible")
    html = coordinator_client.get("/reports/reminders/").content.decode()
    assert "42 家单位没有联络员邮箱，只收到站内通知。" in html
    assert html.count("没有联络员邮箱") == 2  # the summary line and the folded list's heading, not 42 lines
    names = html[html.index('<p class="unit-names">'):]
    assert "测试市第0局、测试市第1局" in names[:names.index("</p>")]
    # The form comes first: its fields and the send button are above the folded names.
    assert html.index('name="note"') < html.index("发送前请注意") < html.index(">发送</button>")
    assert html.index("<details>") > html.index('name="target"')


def test_nothing_to_warn_about_when_every_unit_has_a_liaison_with_e_mail(world, coordinator_client):
    User.objects.filter(role=Role.LIAISON).update(email="x@example.gov.cn")
    assert "发送前请注意" not in coordinator_client.get("/reports/reminders/").content.decode()


def test_the_confirmation_counts_notices_and_e_mails_queued(world, coordinator_client):
    User.objects.filter(pk=world.liaison_a.pk).update(email="a@example.gov.cn")
    UserFactory(username="a2", role=Role.LIAISON, unit=world.unit_a, email="")
    response = coordinator_client.post("/reports/reminders/", {"target": str(world.unit_a.pk), "note": "请抓紧"},
                                       follow=True)
    assert "已向 1 个单位发送催办：站内通知 2 条，电子邮件 1 封（已排队发送）。" in response.content.decode()


def _later_period(world):
    import datetime as dt

    from reports import services

    return services.open_period(plan=world.plan, name="2026年年终报告", kind="year_end", due_on=dt.date(2026, 12, 10),
                                scope="all", user=world.coordinator)


def test_chasing_overdue_units_lists_only_what_is_overdue(world):
    import datetime as dt

    from reports import reminders
    from reports.models import Reminder

    later = _later_period(world)
    reminders.remind_overdue_units(user=world.coordinator, today=dt.date(2026, 8, 1))
    chased = {ob.period_id for r in Reminder.objects.all() for ob in r.obligations.all()}
    assert chased == {world.period.pk} and later.pk not in chased
    assert "年终报告" not in "".join(Reminder.objects.values_list("message", flat=True))


def test_units_with_work_due_within_n_days_are_reminded_of_that_work_only(world):
    import datetime as dt

    from reports import reminders, services
    from reports.models import Reminder

    _later_period(world)
    sent = reminders.remind_units_due_within(days=5, user=world.coordinator, today=dt.date(2026, 7, 7))
    assert {r.unit_id for r in sent} == {world.unit_a.pk, world.unit_b.pk}
    assert {ob.period_id for r in Reminder.objects.all() for ob in r.obligations.all()} == {world.period.pk}
    with pytest.raises(services.ReportError, match="2 天内没有到期未报的任务"):
        reminders.remind_units_due_within(days=2, user=world.coordinator, today=dt.date(2026, 7, 1))


def test_the_due_soon_target_needs_a_number_of_days(world, coordinator_client):
    from reports.models import Reminder

    response = coordinator_client.post("/reports/reminders/", {"target": "due_soon", "days": "", "note": "请抓紧"})
    html = response.content.decode()
    assert response.status_code == 200 and "请填写到期天数" in html and "请抓紧" in html
    assert coordinator_client.post("/reports/reminders/", {"target": "due_soon", "days": "999"}).status_code == 200
    assert not Reminder.objects.exists()

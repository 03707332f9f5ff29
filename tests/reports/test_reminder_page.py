"""催办 page: the note comes first, units a reminder cannot reach are named before sending, and the confirmation
counts what was actually queued."""

from __future__ import annotations

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
    assert "发送前请注意" in html
    assert f"{world.unit_a.name}：联络员未填写电子邮箱，只收到站内通知" in html
    assert f"{world.unit_b.name}：没有联络员账号，收不到催办" in html


def test_nothing_to_warn_about_when_every_unit_has_a_liaison_with_e_mail(world, coordinator_client):
    User.objects.filter(role=Role.LIAISON).update(email="x@example.gov.cn")
    assert "发送前请注意" not in coordinator_client.get("/reports/reminders/").content.decode()


def test_the_confirmation_counts_notices_and_e_mails_queued(world, coordinator_client):
    User.objects.filter(pk=world.liaison_a.pk).update(email="a@example.gov.cn")
    UserFactory(username="a2", role=Role.LIAISON, unit=world.unit_a, email="")
    response = coordinator_client.post("/reports/reminders/", {"target": str(world.unit_a.pk), "note": "请抓紧"},
                                       follow=True)
    assert "已向 1 个单位发送催办：站内通知 2 条，电子邮件 1 封（已排队发送）。" in response.content.decode()

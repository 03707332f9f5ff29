"""The UI is Simplified Chinese whatever language the browser asks for, Django's own messages included."""

from __future__ import annotations

import pytest

from tasks.models import ORDER_MAX, Unit
from tests.factories import UnitFactory


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "zh-TW", "fr", ""])
def test_validation_messages_are_chinese_for_any_browser_language(coordinator_client, accept):
    unit: Unit = UnitFactory(name="测试市语言局")
    response = coordinator_client.post(f"/plans/units/{unit.pk}/", {
        "name": unit.name, "short_name": "", "kind": unit.kind, "order": str(ORDER_MAX + 1), "is_active": "on",
    }, HTTP_ACCEPT_LANGUAGE=accept)
    html = response.content.decode()
    assert f"确保该值小于或等于{ORDER_MAX}" in html and "Ensure this value" not in html
    assert '<html lang="zh-Hans">' in html
    unit.refresh_from_db()
    assert unit.order != ORDER_MAX + 1

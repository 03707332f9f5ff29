"""Two people saving the same report: the second is refused and nothing is overwritten."""

from __future__ import annotations

import pytest

from reports import services
from tests.factories import UserFactory


def test_a_save_from_a_stale_form_is_refused_with_the_other_persons_text(world):
    colleague = UserFactory(username="liaison_a2", role="liaison", unit=world.unit_a)
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    opened_version = report.version
    services.save_report(report=report, data={"measures": "同事先保存的内容"}, figures=None, user=colleague,
                         expected_version=opened_version)
    with pytest.raises(services.StaleReportError) as exc:
        services.save_report(report=report, data={"measures": "我后保存的内容"}, figures=None,
                             user=world.liaison_a, expected_version=opened_version)
    assert exc.value.current.measures == "同事先保存的内容"
    assert exc.value.current.updated_by == colleague
    report.refresh_from_db()
    assert report.measures == "同事先保存的内容"
    assert report.version == opened_version + 1

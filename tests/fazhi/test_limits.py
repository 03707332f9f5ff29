from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fazhi import limits


def test_a_text_at_the_limit_passes_and_one_over_names_field_and_limit() -> None:
    limits.check_length("字" * limits.LONG_TEXT, limits.LONG_TEXT, "工作举措与成效")
    with pytest.raises(ValidationError) as caught:
        limits.check_length("字" * (limits.LONG_TEXT + 1), limits.LONG_TEXT, "工作举措与成效", field="measures")
    assert caught.value.message_dict == {"measures": ["“工作举措与成效”最多 20,000 个字，现在是 20,001 个字。"]}


def test_several_fields_are_reported_together() -> None:
    with pytest.raises(ValidationError) as caught:
        limits.check_lengths(
            {
                "title": ("x" * 201, limits.TITLE, "标题"),
                "note": ("ok", limits.SHORT_TEXT, "附言"),
                "n": (None, 1, "空"),
            }
        )
    assert list(caught.value.message_dict) == ["title"]

"""The shared axe-core helper finds real problems (so a clean page means something) and passes a clean page."""

from __future__ import annotations

import pytest

from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_axe_helper_fails_on_an_unlabelled_field_and_low_contrast(browser):
    page = browser.page_for(None)
    page.set_content('<!doctype html><html lang="zh-Hans"><head><title>t</title></head><body><main><h1>表</h1>'
                     '<form><input type="text" name="q"></form>'
                     '<p style="color:#eee;background:#fff">看不清的字</p></main></body></html>')
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    assert "label" in str(failure.value)
    assert "color-contrast" in str(failure.value)


def test_the_login_page_passes_the_axe_check_at_phone_and_desk_width(browser):
    for width in (375, 1280):
        page = browser.page_for(None, width=width)
        page.goto(f"{browser.base_url}/accounts/login/")
        assert_accessible(page)

"""Cached page parts: the same key serves the stored HTML, the viewer's CSRF token is put in on every request."""

from __future__ import annotations

import pytest
from django import forms
from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from fazhi.fragments import CSRF_PLACEHOLDER, _key, cached_part, cached_parts, query_key


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _request():
    return RequestFactory().get("/")


def test_a_part_is_rendered_once_per_key_and_served_from_the_cache_after():
    calls = []

    def render():
        calls.append(1)
        return f"<p>第{len(calls)}次</p>"

    first = cached_part(_request(), ["page", 1], render)
    second = cached_part(_request(), ["page", 1], render)
    third = cached_part(_request(), ["page", 2], render)
    assert (first, second, third) == ("<p>第1次</p>", "<p>第1次</p>", "<p>第2次</p>")
    assert len(calls) == 2


def test_each_viewer_gets_their_own_csrf_token_in_a_cached_form():
    template = Template('<form method="post">{% csrf_token %}</form>')
    html = template.render(Context({"csrf_token": mark_safe(CSRF_PLACEHOLDER)}))
    assert CSRF_PLACEHOLDER in html
    one, two = _request(), _request()
    first = cached_part(one, ["form"], lambda: html)
    second = cached_part(two, ["form"], lambda: "never rendered")
    assert CSRF_PLACEHOLDER not in first and CSRF_PLACEHOLDER not in second
    token_one = first.split('value="')[1].split('"')[0]
    token_two = second.split('value="')[1].split('"')[0]
    assert len(token_one) == 64 and token_one != token_two
    # The stored copy keeps the placeholder, so a third viewer never sees another's token.
    assert CSRF_PLACEHOLDER in cache.get(_key(["form"]))


def test_several_parts_come_in_one_round_trip_and_only_missing_ones_are_rendered():
    calls = []

    def render(name):
        def inner():
            calls.append(name)
            return f"<p>{name}</p>" + (CSRF_PLACEHOLDER if name == "form" else "")
        return inner

    cached_part(_request(), ["head", 1], render("head"))
    parts = cached_parts(_request(), {"head": (["head", 1], render("never")), "form": (["form", 1], render("form"))})
    assert parts["head"] == "<p>head</p>"
    assert parts["form"].startswith("<p>form</p>") and CSRF_PLACEHOLDER not in parts["form"]
    assert calls == ["head", "form"]
    again = cached_parts(_request(), {"head": (["head", 1], render("x")), "form": (["form", 1], render("y"))})
    assert again["head"] == "<p>head</p>" and calls == ["head", "form"]
    assert CSRF_PLACEHOLDER in cache.get(_key(["form", 1]))


def test_text_a_user_typed_can_never_become_the_placeholder():
    template = Template("<p>{{ text }}</p>")
    html = template.render(Context({"text": CSRF_PLACEHOLDER}))
    assert CSRF_PLACEHOLDER not in html


class _Filters(forms.Form):
    q = forms.CharField(required=False, max_length=20)
    page = forms.IntegerField(required=False, min_value=1, max_value=20)


def test_the_query_key_follows_the_forms_own_fields_in_any_order():
    same_a = _Filters({"q": "立法", "page": "2", "utm": "x"})
    same_b = _Filters({"page": "2", "q": "立法"})
    assert query_key(same_a) == query_key(same_b)
    assert query_key(_Filters({"q": "立法", "page": "3"})) != query_key(same_b)
    # The box shows what was typed, so text that cleans alike still gets its own key.
    assert query_key(_Filters({"q": " 立法 ", "page": "2"})) != query_key(same_b)
    assert query_key(_Filters()) == query_key(_Filters()) != query_key(same_b)
    assert query_key(None) == "-"


def test_each_user_stores_at_most_the_budget_of_new_parts_an_hour_and_is_still_served(settings):
    # Filters are part of the keys: one user looping over distinct queries must not fill the cache.
    settings.FAZHI_PART_STORE_BUDGET = 2
    renders = []

    def render(n):
        return lambda: renders.append(n) or f"<p>{n}</p>"

    request = _request()
    for n in range(4):
        assert cached_part(request, ["budget", n], render(n)) == f"<p>{n}</p>"
    assert cache.get(_key(["budget", 0])) and cache.get(_key(["budget", 1]))
    assert cache.get(_key(["budget", 2])) is None and cache.get(_key(["budget", 3])) is None
    assert cached_part(request, ["budget", 3], render(3)) == "<p>3</p>"  # rendered again, not kept
    assert renders == [0, 1, 2, 3, 3]

"""The fast form renderer gives exactly Django's markup, for every widget it takes over."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from fazhi.renderers import FAST, FastRenderer

HOSTILE = ['"><script>alert(1)</script>', "a & b < c", "'single'", "法治 \u3000全角", "", None, 0, 12.5,
           mark_safe("<b>already safe</b>"), "line1\nline2"]

WIDGETS = [
    forms.TextInput(), forms.TextInput(attrs={"class": "wide", "placeholder": '"quoted" & <tag>', "maxlength": 200}),
    forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.5"}), forms.EmailInput(), forms.URLInput(),
    forms.PasswordInput(render_value=True), forms.HiddenInput(), forms.DateInput(attrs={"type": "date"}),
    forms.DateTimeInput(), forms.TimeInput(), forms.SearchInput(), forms.TelInput(), forms.ColorInput(),
    forms.CheckboxInput(), forms.CheckboxInput(attrs={"disabled": True, "data-x": False}), forms.FileInput(),
    forms.Textarea(), forms.Textarea(attrs={"rows": 3, "aria-describedby": "help", "required": True}),
]


def _both(widget: forms.Widget, value, attrs=None) -> tuple[str, str]:
    attrs = {"id": "id_f", **(attrs or {})}
    return (widget.render("f<name>", value, attrs=attrs, renderer=DjangoTemplates()),
            widget.render("f<name>", value, attrs=attrs, renderer=FastRenderer()))


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_fast_renderer_gives_djangos_markup(widget, value):
    django_markup, fast_markup = _both(widget, value)
    assert fast_markup == django_markup


@pytest.mark.parametrize("attr", ["<i>", mark_safe("<i>safe</i>"), True, False, 3, ("a", "b")], ids=repr)
@pytest.mark.parametrize("widget", [forms.TextInput(), forms.Textarea(), forms.CheckboxInput()],
                         ids=lambda w: type(w).__name__)
def test_attributes_render_the_same_whatever_their_type(widget, attr):
    django_markup, fast_markup = _both(widget, "v", attrs={"data-x": attr})
    assert fast_markup == django_markup


@pytest.mark.parametrize("value", [True, False, "on", None])
def test_checkbox_checked_state_is_the_same(value):
    django_markup, fast_markup = _both(forms.CheckboxInput(), value)
    assert fast_markup == django_markup


def test_values_are_escaped_not_trusted():
    _, fast_markup = _both(forms.TextInput(), '"><script>x</script>', attrs={"title": "<i>"})
    assert "<script>" not in fast_markup and "&quot;&gt;&lt;script&gt;" in fast_markup
    assert 'title="&lt;i&gt;"' in fast_markup
    _, area = _both(forms.Textarea(), "</textarea><script>x</script>")
    assert area.count("</textarea>") == 1 and "&lt;/textarea&gt;" in area


def test_every_plain_input_template_of_django_is_only_an_include_of_input_html():
    # If Django ever gives one of these templates markup of its own, the fast path would drift: fail here.
    from django.template.loader import get_template
    engine = DjangoTemplates().engine
    for name in FAST:
        source = engine.get_template(name).template.source.strip()
        if name.endswith(("input.html", "textarea.html")):
            continue
        assert source == '{% include "django/forms/widgets/input.html" %}', name
    assert get_template  # the site engine is untouched: only the form renderer changes


def test_the_site_uses_the_fast_renderer_and_forms_still_render_selects_through_django():
    class Sample(forms.Form):
        title = forms.CharField(max_length=10, initial="a<b")
        when = forms.DateField(initial=dt.date(2026, 3, 1))
        kind = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙<")])

    html = str(Sample())
    assert 'name="title" value="a&lt;b"' in html and 'maxlength="10"' in html
    assert '<option value="b">乙&lt;</option>' in html
    from django.conf import settings
    assert settings.FORM_RENDERER == "fazhi.renderers.FastRenderer"

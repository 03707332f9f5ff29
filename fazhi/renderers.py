"""Django's form renderer, with the widget templates every form repeats rendered in Python.

Each ``{{ field }}`` goes through the form template engine: ``text.html`` includes ``input.html``, which
includes ``attrs.html`` and loops over the attributes: ≈ 0.8 ms per field in production. A page of many
small forms (the import preview: 44 items × 7 fields) spent two thirds of its time there. The templates
below are Django's own, written out as Python with the same escaping rules (``stringformat:'s'`` then
autoescape, which keeps values already marked safe); every other template (select options, radio lists,
form layouts, error lists) still goes through Django. ``tests/fazhi/test_renderers.py`` renders every
widget kind both ways, with hostile values, and asserts the markup is identical, so a Django upgrade
that changes a template fails there rather than drifting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

WIDGETS = "django/forms/widgets/"


def _stringformat(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescape: escaped unless the value was already safe."""
    if isinstance(value, tuple):  # as the filter does, so a tuple is shown, not spread over "%s"
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 -- the filter's own operation: it keeps a SafeString safe
    except (TypeError, ValueError):  # what the filter does with a value "%s" cannot format
        return ""
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _attrs(attrs: Mapping[str, Any]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{_stringformat(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_stringformat(value)}"'
    return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f'{shown}{_attrs(widget["attrs"])}>')


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    body = conditional_escape(value) if value else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{body}</textarea>'


# The templates of Django 5.2 that are nothing but ``{% include "django/forms/widgets/input.html" %}``.
_INPUTS = ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search",
           "tel", "color", "checkbox", "file")
FAST: dict[str, Callable[[Mapping[str, Any]], str]] = {f"{WIDGETS}{name}.html": _input for name in _INPUTS}
FAST[f"{WIDGETS}textarea.html"] = _textarea


class FastRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> SafeString:
        fast = FAST.get(template_name)
        if fast is not None and "widget" in context:
            return mark_safe(fast(context["widget"]))
        return super().render(template_name, context, request=request)

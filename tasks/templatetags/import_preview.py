"""The import preview's repeated small markup, rendered in Python.

The preview shows every item of a document with its unit names and source lines: a 44-item table with
hundreds of names per page. As template loops with several conditions per name these were thousands of
node renders (≈ 40 % of the page after the form renderer); here each tag is one ``format_html``. The
markup is the one the template had (tests/test_import_preview.py reads it).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from tasks.importing.preview import ItemView, NameView

register = template.Library()


def _tag(role: str, name: NameView) -> SafeString:
    classes = "tag" + (" lead" if role == "lead" else "") + (" group" if name.is_group else "")
    if name.decided:
        classes += " decided-name"
    elif not name.resolved:
        classes += " unresolved-name"
    title = name.target.name if name.resolved else (name.choice_label if name.decided else "不在单位库中")
    arrow = format_html(" → {}", name.target.name) if name.differs else ""
    return format_html('<span class="{}" title="{}">{}{}</span>', classes, title, name.name, arrow)


@register.simple_tag
def name_tags(view: ItemView) -> SafeString:
    """``牵头：<tags> 责任：<tags>`` for one item, as the item card shows it."""
    return mark_safe("".join(
        format_html('<span class="muted">{}：</span>{} ', label, mark_safe("".join(_tag(role, n) for n in names)))
        for role, label, names in view.roles))


@register.simple_tag
def source_lines(lines: list[tuple[int, str]]) -> SafeString:
    return format_html_join("", '<div class="source-line"><span class="ln">{}</span>{}</div>', lines)

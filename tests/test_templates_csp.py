"""Templates stay compatible with a strict Content-Security-Policy (script-src 'self', style-src 'self')."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
EVENT_ATTR = re.compile(r"\son[a-z]+\s*=\s*\"", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_inline_scripts_styles_or_event_handlers(path: Path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script> block"
    assert not STYLE_ATTR.search(text), "style attribute"
    assert not EVENT_ATTR.search(text), "inline event handler"


def test_scripts_and_stylesheets_are_served_locally_never_from_a_cdn():
    remote = re.compile(r"<(script|link)[^>]*(src|href)=\"(https?:)?//", re.I)
    for path in TEMPLATES:
        assert not remote.search(path.read_text(encoding="utf-8")), path

"""Helpers for page tests shared by the apps' test modules."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.backends import user_key


def page_queries(client: Client, url: str, *, cold: bool = False) -> int:
    """The SQL queries of one GET of ``url`` (which must answer 200). The signed-in user is cached from the
    second request on, as in production; ``cold`` empties every other cache entry first (a page right after a
    change), keeping the cached user."""
    client.get(url)
    if cold:
        key = user_key(client.session["_auth_user_id"])
        kept = cache.get(key)
        cache.clear()
        if kept is not None:
            cache.set(key, kept)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token a page's first form posts with (a cached part must carry each viewer's own)."""
    return _TOKEN.search(html).group(1)

"""Cached bodies of paged lists (the plan list, item search, the audit log).

Each list renders its body (filter form, count, table) once per version of what it shows and serves the
stored HTML until the version moves (``fazhi.fragments``). Two things differ from ``fragments.cached_part``:

- the key names the *values of the form's own fields* (``field_values``): unknown parameters and the page are
  dropped, the order of parameters does not matter, and two queries share a body only when every input box and
  select of the form would show the same thing (cleaned values would merge " 税务 " and "税务", whose boxes
  differ);
- the pager is rendered per request, outside the cached body: its links keep the visitor's own query string
  (``{% querystring %}``), so the cache stores a row-less copy of the ``BoundedPage`` beside the body.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

from fazhi.db_router import keep_for
from fazhi.fragments import CSRF_PLACEHOLDER, TTL, may_store
from fazhi.paging import MAX_PAGES, BoundedPage, page_number

_PREFIX = "fazhi:listpart:"


def field_values(data: Mapping, names: Iterable[str]) -> str:
    """The part of a key that stands for what a GET form of fields ``names`` shows for query ``data``."""
    getlist = getattr(data, "getlist", None)
    values = [(name, tuple(getlist(name)) if getlist else data.get(name)) for name in sorted(names) if name in data]
    return repr(values)


def page_key(value: object, max_pages: int = MAX_PAGES) -> int:
    """``?page=`` as ``bounded_page`` reads it: every number past the last reachable page behaves the same."""
    return min(page_number(value), max_pages + 1)


def _key(parts: Iterable[object]) -> str:
    raw = ":".join(str(part) for part in (get_script_prefix(), *parts))  # as fazhi.fragments
    return _PREFIX + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def cached_list(request: HttpRequest, key_parts: Iterable[object],
                render: Callable[[], tuple[str, BoundedPage]]) -> tuple[SafeString, BoundedPage]:
    """``render()`` returns the body (rendered with ``fazhi.fragments.render_part``) and its page; served from
    the cache when the same key was rendered before. The page comes back without its rows (for the pager)."""
    key = _key(key_parts)
    hit = cache.get(key)
    if hit is None:
        body, page = render()
        hit = (str(body), dataclasses.replace(page, object_list=[]))
        if may_store(request):
            cache.set(key, hit, keep_for(TTL))
    body, page = hit
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(body), page

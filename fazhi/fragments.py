"""Rendered parts of pages, cached under the versions of what they show.

A page that people open all day (the review queue, the dashboards, the audit log) renders the same rows
for every visit until something it shows changes. Such a page renders its body once per *version* of its
data and serves the stored HTML until the version moves; the layout around it (nav, badges, messages) is
rendered per request as before. The versions are the ones the services already keep (``reports.cachekeys``:
per period and for all reports; ``tasks.cachekeys``: the registry; an object's own ``version`` column;
the newest row id of an append-only table), so a change shows on the very next request and no key is ever
deleted by pattern.

Rules for a cached part:
- its key names everything the HTML depends on: the versions, the viewer's scope (role, unit, user) where
  the part differs by viewer, and the form's own fields (``query_key(form)``), never the raw query string;
- the visibility rule still runs before the cache is read (``get_report_for_user`` and the like): a cached
  part is only what a permitted viewer would have been shown;
- a form inside the part writes ``{% csrf_token %}`` as usual: the part is rendered with a placeholder that
  is replaced with the viewer's own token on every request (the placeholder is markup, so text a user typed,
  which is escaped, can never equal it).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

from fazhi.db_router import keep_for

TTL = 60 * 60
CSRF_PLACEHOLDER = "<!--fazhi:csrf-->"
_PREFIX = "fazhi:frag:"


def _key(parts: Iterable[object]) -> str:
    # The script prefix is in every link of a part: never serve one built under another prefix.
    raw = ":".join(str(part) for part in (get_script_prefix(), *parts))
    # Memcached-safe length and no spaces or user text in the key itself.
    return _PREFIX + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def query_key(form: Any) -> str:
    """The part of a key that stands for a filter form's query: the values of the form's own fields as sent
    (unknown parameters dropped, order ignored). Not the cleaned values: " 税务 " and "税务" clean alike but
    their search boxes show different text, and the box is part of the cached HTML."""
    if form is None:
        return "-"
    if not form.is_bound:
        return repr(("initial", sorted((k, _plain(v)) for k, v in form.initial.items())))
    data = form.data
    getlist = getattr(data, "getlist", None)
    return repr([(name, tuple(getlist(name)) if getlist else data.get(name)) for name in sorted(form.fields)
                 if name in data])


def _plain(value: Any) -> object:
    if hasattr(value, "pk"):
        return ("pk", value.pk)
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def may_store(request: HttpRequest) -> bool:
    """Whether a newly rendered part may be stored: each user adds at most ``FAZHI_PART_STORE_BUDGET`` parts an
    hour. Filters and search words are part of the keys, so without a budget one signed-in user looping over
    distinct queries could fill Redis; past the budget their pages are rendered as before, just not kept."""
    user = getattr(request, "user", None)
    who = user.pk if user is not None and user.is_authenticated else "anonymous"
    key = f"fazhi:frag:budget:{who}:{int(time.time() // 3600)}"
    try:
        stored = cache.incr(key)
    except ValueError:
        cache.add(key, 0, 3600)
        stored = cache.incr(key)
    return stored <= settings.FAZHI_PART_STORE_BUDGET


def read_many(request: HttpRequest | None, keys: list[str]) -> dict[str, Any]:
    """``cache.get_many(keys)``, answered from what this request already fetched when every key was asked for
    (``prefetch``): a page's header reads its own part and the badges' counts in one round trip."""
    asked, found = getattr(request, "_fazhi_prefetched", (frozenset(), {}))
    if keys and asked.issuperset(keys):
        return {key: found[key] for key in keys if key in found}
    return cache.get_many(keys)


def prefetch(request: HttpRequest, keys: list[str]) -> dict[str, Any]:
    """Fetch ``keys`` in one round trip and remember them for ``read_many`` during this request."""
    found = cache.get_many(keys)
    request._fazhi_prefetched = (frozenset(keys), found)
    return found


def cached_part(request: HttpRequest, key_parts: Iterable[object], render: Callable[[], str], *,
                timeout: int = TTL, also: Iterable[str] = ()) -> SafeString:
    """The HTML ``render()`` returns, from the cache when the same key was rendered before. ``also``: cache keys
    fetched in the same round trip, for ``read_many`` later in the request."""
    key = _key(key_parts)
    also = list(also)
    body = prefetch(request, [key, *also]).get(key) if also else cache.get(key)
    if body is None:
        body = render()
        if may_store(request):
            cache.set(key, body, keep_for(timeout))
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(body)


def cached_parts(request: HttpRequest, parts: Mapping[str, tuple[Iterable[object], Callable[[], str]]], *,
                 timeout: int = TTL) -> dict[str, SafeString]:
    """Several parts of one page (name → (key parts, render)) in one cache round trip: as ``cached_part``, the
    missing ones rendered and stored together."""
    keys = {name: _key(key_parts) for name, (key_parts, _) in parts.items()}
    found = cache.get_many(list(keys.values()))
    rendered = {keys[name]: render() for name, (_, render) in parts.items() if keys[name] not in found}
    if rendered:
        if may_store(request):
            cache.set_many(rendered, keep_for(timeout))
        found.update(rendered)
    token = None
    out = {}
    for name, key in keys.items():
        body = found[key]
        if CSRF_PLACEHOLDER in body:
            token = token or get_token(request)
            body = body.replace(CSRF_PLACEHOLDER, token)
        out[name] = mark_safe(body)
    return out


def render_part(template_name: str, context: dict[str, Any]) -> str:
    """Render a part for caching: the viewer's token is left as the placeholder (see ``cached_part``)."""
    return render_to_string(template_name, {**context, "csrf_token": mark_safe(CSRF_PLACEHOLDER)})

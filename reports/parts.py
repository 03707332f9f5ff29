"""Page bodies of the reports and exports apps, cached under the versions of what they show (fazhi.fragments).

A body is rendered with a copy of the request whose query string is the *canonical* one built from the cleaned
filters (never the raw query string): the pager's ``{% querystring %}`` links and the review forms' ``next``
are then the same for every viewer served that body, and nothing a visitor appends to a URL is stored in it.
The context is built only on a miss (``context`` is a callable), so a warm request runs none of its queries.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from fazhi.fragments import CSRF_PLACEHOLDER, cached_part


def canonical_query(values: Mapping[str, Any]) -> str:
    """``a=1&b=2`` from cleaned values, in a fixed order, leaving out empty ones."""
    return urlencode([(name, value) for name, value in values.items() if value not in (None, "")])


def _canonical_request(request: HttpRequest, query: str) -> HttpRequest:
    canon = copy.copy(request)
    canon.GET = QueryDict(query)
    canon.META = {**request.META, "QUERY_STRING": query}
    return canon


def cached_body(request: HttpRequest, key_parts: Iterable[object], template_name: str,
                context: Callable[[], dict[str, Any]], *, query: str = "") -> SafeString:
    """The body ``template_name`` renders from ``context()``, cached under ``key_parts`` (which must name every
    version, the viewer's scope and the canonical ``query``); forms in it get the viewer's CSRF token."""

    def render() -> str:
        canon = _canonical_request(request, query)
        return render_to_string(template_name, {**context(), "csrf_token": mark_safe(CSRF_PLACEHOLDER)},
                                request=canon)

    return cached_part(request, [template_name, *key_parts, query], render)

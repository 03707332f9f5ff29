"""Bounded paging for lists that grow (review queue, plans, audit, notices, exports).

A page costs the same whatever the table size: rows are read with ``LIMIT per_page + 1`` (the extra row
says whether there is a next page), never more than ``max_pages`` pages deep (the offset is bounded, so
a hostile ``?page=999999`` reads no more than a normal page), and the total, when a page shows one, is
counted up to ``count_cap`` only ("1,000+"): an exact ``COUNT(*)`` over a growing table on every request
is what made these pages slow with province data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

PER_PAGE = 50
MAX_PAGES = 20
COUNT_CAP = 1000


@dataclass
class BoundedPage:
    object_list: Sequence[Any]
    number: int
    per_page: int
    has_next: bool
    max_pages: int
    # The total up to ``count_cap`` (None when the page does not count); ``count_capped``: there are more.
    count: int | None = None
    count_capped: bool = False
    # The requested page was beyond the last reachable one: the list says so and asks for a narrower search.
    beyond_limit: bool = False

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def count_label(self) -> str:
        if self.count is None:
            return ""
        return f"{self.count:,}+" if self.count_capped else f"{self.count:,}"


def page_number(value: object) -> int:
    """``?page=`` as a number from 1; junk is page 1 (a stale or hand-edited link still shows a list)."""
    try:
        number = int(str(value or "1").strip())
    except ValueError:
        return 1
    return max(1, number)


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """``(min(count, cap), count > cap)`` with one ``SELECT COUNT(*) FROM (… LIMIT cap + 1)``."""
    n = queryset.order_by().values("pk")[: cap + 1].count()  # values(): no annotations in the count
    return min(n, cap), n > cap


def bounded_page(queryset: QuerySet, page: object, *, per_page: int = PER_PAGE, max_pages: int = MAX_PAGES,
                 count_cap: int | None = None) -> BoundedPage:
    """One page of an ordered ``queryset``: one query for the rows, one more only when ``count_cap`` is given."""
    number = page_number(page)
    beyond = number > max_pages
    number = min(number, max_pages)
    offset = (number - 1) * per_page
    rows = list(queryset[offset: offset + per_page + 1])
    if not rows and number > 1:
        # Past the end (a list that shrank since the link was made): show the last page that has rows.
        last = _last_page(queryset, per_page, max_pages)
        return bounded_page(queryset, last, per_page=per_page, max_pages=max_pages, count_cap=count_cap)
    has_next = len(rows) > per_page and number < max_pages
    result = BoundedPage(object_list=rows[:per_page], number=number, per_page=per_page, has_next=has_next,
                         max_pages=max_pages, beyond_limit=beyond)
    if count_cap is not None:
        # Counted even when the whole list fits on this page, so a page runs the same queries at any length.
        result.count, result.count_capped = capped_count(queryset, count_cap)
    return result


def _last_page(queryset: QuerySet, per_page: int, max_pages: int) -> int:
    n, _ = capped_count(queryset, per_page * max_pages)
    return max(1, min(max_pages, -(-n // per_page)))


def bounded_choices(queryset: QuerySet, limit: int, chosen: int | None = None) -> tuple[QuerySet, bool]:
    """A filter's option list, unless it holds more than ``limit`` rows: then only the chosen one (``True``:
    the page should ask for a narrower choice first, e.g. a plan before its chapters). One pk-only query.
    ``chosen`` is an id already read through a bounded form field (fazhi.forms.IdField)."""
    ids = list(queryset.order_by().values_list("pk", flat=True)[: limit + 1])
    if len(ids) <= limit:
        return queryset.filter(pk__in=ids), False
    return queryset.filter(pk=chosen if isinstance(chosen, int) else 0), True

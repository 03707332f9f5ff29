"""Work that must not hold up a request: handed to the django-q2 worker, or run in-process without one.

``FAZHI_WORKER=django-q2`` queues the call for ``manage.py qcluster`` (Redis or the database as broker);
empty (a local install, the demo) runs it here and now. Callers pass a dotted path and JSON-able keyword
arguments only, so the same call works in both places.
"""

from __future__ import annotations

import pydoc
from typing import Any

from django.conf import settings


def run_in_background(func: str, /, **kwargs: Any) -> None:
    if settings.FAZHI_WORKER == "django-q2":
        from django_q.tasks import async_task

        async_task(func, **kwargs)
    else:
        target = pydoc.locate(func)
        if not callable(target):
            raise ImportError(f"{func} is not a function")
        target(**kwargs)

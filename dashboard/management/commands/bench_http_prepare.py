"""``bench_http_prepare``: the addresses ``make bench-http`` requests, with one request's query count each.

Prints one JSON object: the personas and password, and for every row of ``dashboard.http_pages.PAGES``
its URL (or ``missing``), the status and the number of SQL queries of one request through Django's test
client (signed in as the page's persona, the cache warm), and ``cold_ms``: the median of three requests
in-process with the whole cache emptied before each, i.e. what the page costs right after a change (its
body is rendered from the database; every version, badge and the signed-in user read afresh). The driver
(``dashboard/bench_http.py``) then measures the same URLs through gunicorn, where a cached body is served.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from dashboard.http_pages import ANONYMOUS, PAGES, PERSONAS, build_context
from reports.models import Report

PASSWORD = "Fazhi@2026"


def save_payload(report: Report, n: int) -> dict[str, str]:
    """A draft save of the bench report, as the edit form posts it."""
    return {
        "progress": "in_progress", "percent": str(10 + n % 80), "delay_reason": "",
        "measures": f"性能测试第{n}次保存：召开专题会议，完善制度。", "problems": "", "next_steps": "继续推进。",
        "version": str(report.version), "action": "save",
        "fig-TOTAL_FORMS": "0", "fig-INITIAL_FORMS": "0", "fig-MIN_NUM_FORMS": "0", "fig-MAX_NUM_FORMS": "1000",
    }


def _cold_ms(client: Client, url: str) -> float:
    times = []
    for _ in range(3):
        cache.clear()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


class Command(BaseCommand):
    help = "列出 bench-http 要测量的页面地址及每页查询数（JSON）。"

    def handle(self, *args, **options) -> None:
        logging.disable(logging.INFO)
        ctx = build_context()
        users = {role: User.objects.get(username=name) for role, name in PERSONAS.items()}
        rows = []
        only = [part for part in os.environ.get("BENCH_HTTP_ONLY", "").split(",") if part]
        for page in PAGES:
            if only and not any(part in page.name for part in only):
                continue
            url = page.url(ctx)
            row: dict[str, object] = {"page": page.name, "persona": page.persona, "url": url, "write": page.write}
            if url is None:
                row["missing"] = "not on this checkout (or no such object in the data)"
                rows.append(row)
                continue
            client = Client(SERVER_NAME="127.0.0.1")
            if page.persona != ANONYMOUS:
                client.force_login(users[page.persona])
            if page.write:
                report = Report.objects.get(pk=ctx.draft)
                client.post(url, save_payload(report, 0))  # warm
                report.refresh_from_db()
                with CaptureQueriesContext(connection) as queries:
                    response = client.post(url, save_payload(report, 1))
                row["status"] = response.status_code
                row["ok"] = response.status_code == 302
            else:
                client.get(url)  # warm the cache as the server's first visitor would
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                row["status"] = response.status_code
                row["ok"] = response.status_code == 200
            # Read before any other request: each request start empties the connection's query log.
            row["queries"] = len(queries.captured_queries)
            if not page.write:
                row["cold_ms"] = _cold_ms(client, url)
            rows.append(row)
        self.stdout.write(json.dumps({
            "personas": PERSONAS, "password": PASSWORD, "pages": rows,
            "reports": Report.objects.count(), "draft": ctx.draft,
        }, ensure_ascii=False))

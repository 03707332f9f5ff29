"""``bench_pages``: server time and query count per page through Django's test client, as JSON lines.

Run by ``make bench`` (``python -m dashboard.bench``) against each scale's own database.
"""

from __future__ import annotations

import contextlib
import json
import logging
import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Role, User
from dashboard.seeding import synthetic_plans
from reports.models import Period, Report

# The reports app's pages, benched when they exist on this checkout (URL name, persona).
REPORTS_PAGES = [
    ("liaison home", ["reports:todo", "reports:home", "reports:my_todo", "reports:liaison_home"], Role.LIAISON),
    ("review queue", ["reports:review_queue", "reports:queue", "reports:review"], Role.COORDINATOR),
]


class Command(BaseCommand):
    help = "测量各页面的服务端耗时（中位数、P95）和 SQL 查询数，逐行输出 JSON。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", default="")
        parser.add_argument("--repeat", type=int, default=30)

    def handle(self, *args, scale: str, repeat: int, **options) -> None:
        logging.disable(logging.INFO)  # login audit lines on every force_login would drown the figures
        plan = synthetic_plans().filter(year=timezone.localdate().year).order_by("id").first()
        if plan is None:
            self.stderr.write("没有模拟数据：请先运行 seed_demo。")
            return
        period = Period.objects.filter(plan=plan).order_by("-due_on").first()
        reports = Report.objects.count()
        leader = User.objects.get(username="sim_leader")
        liaison = User.objects.filter(username__startswith="sim_liaison_").order_by("username").first()
        coordinator = User.objects.get(username="sim_coordinator")
        personas = {Role.LEADER: leader, Role.LIAISON: liaison, Role.COORDINATOR: coordinator}

        pages = [
            ("plan overview", reverse("dashboard:overview", args=[period.pk]), Role.LEADER, True),
            ("plan overview (cold cache)", reverse("dashboard:overview", args=[period.pk]), Role.LEADER, False),
            ("unit view", reverse("dashboard:units", args=[period.pk]), Role.LEADER, True),
            ("matrix", reverse("dashboard:matrix", args=[period.pk]), Role.LEADER, True),
            ("item list", reverse("dashboard:items", args=[period.pk]) + "?light=red", Role.LEADER, True),
            ("trends", reverse("dashboard:trends", args=[period.pk]), Role.LEADER, True),
            ("year overview", reverse("dashboard:year", args=[plan.year]), Role.LEADER, True),
            ("year overview (cold cache)", reverse("dashboard:year", args=[plan.year]), Role.LEADER, False),
        ]
        # The assessment (seeded by seed_assessment): stored results of a published year, live ranking in review.
        for label, year in (("assessment results (stored)", 2090), ("assessment ranking (live)", 2091)):
            with contextlib.suppress(NoReverseMatch):
                pages.append((label, reverse("assessment:results", args=[year]), Role.LEADER, True))
        for label, names, role in REPORTS_PAGES:
            url = _first_url(names)
            if url is None:
                self.stdout.write(json.dumps({"page": label, "scale": scale, "db": connection.vendor,
                                              "reports": reports, "missing": "URL not on this checkout"},
                                             ensure_ascii=False))
                continue
            pages.append((label, url, role, True))

        for label, url, role, warm in pages:
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(personas[role])
            cache.clear()
            for _ in range(2):
                started = time.perf_counter()
                response = client.get(url)
                first = time.perf_counter() - started
            if response.status_code != 200:
                self.stderr.write(f"{label}: HTTP {response.status_code}")
                continue
            times = []
            # A page that takes seconds is measured 5 times, not 30: the figure is clear and the bench stays short.
            for _ in range(repeat if first < 1 else min(repeat, 5)):
                if not warm:
                    cache.clear()
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if not warm:
                cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            times.sort()
            self.stdout.write(json.dumps({
                "page": label, "scale": scale, "db": connection.vendor, "reports": reports,
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                "queries": len(ctx.captured_queries),
            }, ensure_ascii=False))


def _first_url(names: list[str]) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None

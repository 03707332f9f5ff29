"""Bounded load test against gunicorn on 127.0.0.1 with PostgreSQL (README "Deployment").

    .venv/bin/python loadtest/run.py --users 50 --duration 60

Creates a fresh database, loads the demo, opens a period and one liaison per unit, starts gunicorn with
production settings, then runs virtual users in threads: liaisons open their to-do list, start reports,
save drafts and submit; leaders browse the dashboard. Prints throughput, median and p95 latency and the
error count, then checks in the database that no acknowledged save was lost and no report duplicated.
Only the standard library is used on the client side.
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>', re.I)
ATTR = re.compile(r'(name|value)="([^"]*)"')


# Seconds a virtual user pauses between actions (``--think``). The default 0.1–0.5 s is a stress test: 40
# liaisons each saving about once a second offer several hundred requests a second, more than two cores serve,
# so latency then measures the queue. A person pauses far longer.
THINK = (0.1, 0.5)


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.by_kind: dict[str, list[float]] = {}
        self.acknowledged: dict[str, dict[str, object]] = {}

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_kind.setdefault(kind, []).append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")

    def ack(self, report_pk: str, text: str) -> None:
        with self.lock:
            entry = self.acknowledged.setdefault(report_pk, {"text": text, "saves": 0})
            entry["text"] = text
            entry["saves"] = int(entry["saves"]) + 1


class Browser:
    def __init__(self, base: str, stats: Stats) -> None:
        self.base = base
        self.stats = stats
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, kind: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=60) as response:
                text = response.read().decode("utf-8", "replace")
                status, url = response.status, response.geturl()
        except urllib.error.HTTPError as exc:
            self.stats.record(kind, time.perf_counter() - started, f"HTTP {exc.code} {path}")
            return exc.code, "", path
        except Exception as exc:  # timeouts, resets: all count as errors
            self.stats.record(kind, time.perf_counter() - started, f"{type(exc).__name__} {path}")
            return 0, "", path
        self.stats.record(kind, time.perf_counter() - started)
        return status, text, urllib.parse.urlparse(url).path

    @staticmethod
    def hidden_fields(page: str) -> dict[str, str]:
        fields = {}
        for tag in HIDDEN.findall(page):
            attrs = dict(ATTR.findall(tag))
            if "name" in attrs:
                fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
        return fields

    def login(self, username: str, password: str) -> bool:
        _, page, _ = self.request("login_page", "/accounts/login/")
        token = self.hidden_fields(page).get("csrfmiddlewaretoken", "")
        status, _, path = self.request("login", "/accounts/login/",
                                       {"csrfmiddlewaretoken": token, "username": username, "password": password})
        return status == 200 and not path.startswith("/accounts/login/")


def liaison(browser: Browser, user: dict, deadline: float, stats: Stats) -> None:
    reports: dict[int, str] = {}
    n = 0
    while time.time() < deadline:
        _, todo, _ = browser.request("todo", "/reports/")
        token = browser.hidden_fields(todo).get("csrfmiddlewaretoken", "")
        obligation = random.choice(user["obligations"])
        if obligation in reports:
            _, page, path = browser.request("report_edit_page", f"/reports/{reports[obligation]}/edit/")
        else:
            if not token:
                _, any_page, _ = browser.request("report_edit_page", "/reports/")
                token = browser.hidden_fields(any_page).get("csrfmiddlewaretoken", "")
            _, page, path = browser.request("report_start", f"/reports/obligations/{obligation}/start/",
                                            {"csrfmiddlewaretoken": token})
        match = re.match(r"^/reports/(\d+)/(edit/)?$", path)
        if not match:
            time.sleep(random.uniform(*THINK))
            continue
        pk = match.group(1)
        reports[obligation] = pk
        if not match.group(2):  # submitted already: read-only detail page
            time.sleep(random.uniform(*THINK))
            continue
        n += 1
        form = browser.hidden_fields(page)
        text = f"{user['username']} 第{n}次保存 {secrets.token_hex(4)}：完成专项检查，整改问题。"
        submit = random.random() < 0.15
        form.update({"progress": "in_progress", "percent": str(random.randint(10, 90)), "measures": text,
                     "problems": "", "next_steps": "继续推进。", "delay_reason": "",
                     "action": "submit" if submit else "save"})
        status, result, result_path = browser.request("report_submit" if submit else "report_save",
                                                      f"/reports/{pk}/edit/", form)
        if status == 200 and (result_path == f"/reports/{pk}/" or "已保存草稿" in result):
            stats.ack(pk, text)
        elif status == 200:
            stats.record("report_save", 0.0, f"save not acknowledged for report {pk}")
        time.sleep(random.uniform(*THINK))


def leader(browser: Browser, period: int, deadline: float) -> None:
    pages = ["", "units/", "matrix/", "items/", "obligations/", "trends/"]
    while time.time() < deadline:
        browser.request("dashboard_home", "/dashboard/")
        browser.request("dashboard_page", f"/dashboard/period/{period}/{random.choice(pages)}")
        time.sleep(random.uniform(*THINK))


def _fresh_database(url: str) -> None:
    import psycopg2

    name = urllib.parse.urlparse(url).path.lstrip("/")
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--leaders", type=int, default=10, help="how many of --users are leaders")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--think", default="0.1-0.5", help="pause between a user's actions, seconds (min-max)")
    parser.add_argument("--database-url", default=os.environ.get(
        "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fazhi_loadtest"))
    # Production runs with Redis (cache, cached sessions, cached users: README "Deployment"); "" runs without.
    parser.add_argument("--redis-url", default=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/6"))
    args = parser.parse_args()
    global THINK
    low, _, high = args.think.partition("-")
    THINK = (float(low), float(high or low))

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FAZHI_", "DATABASE", "REDIS"))}
    env.update(DATABASE_URL=args.database_url, DJANGO_LOG_LEVEL="WARNING")
    if args.redis_url:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()  # a fresh database has fresh versions
        env["REDIS_URL"] = args.redis_url
    print(f"preparing {args.database_url} …", flush=True)
    _fresh_database(args.database_url)
    prepared = json.loads(subprocess.run(
        [PY, str(ROOT / "loadtest" / "prepare.py"), str(args.users - args.leaders), str(args.leaders)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])

    server_env = {**env, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                  "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "FAZHI_SSL_REDIRECT": "0", "FAZHI_SECURE_COOKIES": "0",
                  "FAZHI_HSTS_SECONDS": "0", "GUNICORN_BIND": f"127.0.0.1:{args.port}", "GUNICORN_ACCESSLOG": ""}
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=server_env, check=True)
    server = subprocess.Popen([GUNICORN, "-c", "gunicorn.conf.py", "fazhi.wsgi"], cwd=ROOT, env=server_env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(60):
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except Exception:
                time.sleep(0.5)
        else:
            print("gunicorn did not become ready", file=sys.stderr)
            return 2

        stats = Stats()
        browsers = []
        for user in prepared["users"]:
            browser = Browser(base, stats)
            if not browser.login(user["username"], prepared["password"]):
                stats.record("login", 0.0, f"login failed for {user['username']}")
            browsers.append((browser, user))
        login_errors = len(stats.errors)
        stats.latencies.clear()
        stats.by_kind.clear()
        started = time.time()
        cpu_started = time.process_time()
        deadline = started + args.duration
        threads = [threading.Thread(target=liaison if user["role"] == "liaison" else leader,
                                    args=(browser, user, deadline, stats) if user["role"] == "liaison"
                                    else (browser, prepared["period"], deadline), daemon=True)
                   for browser, user in browsers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 90)
        elapsed = time.time() - started
        client_cpu = time.process_time() - cpu_started
    finally:
        server.terminate()
        server.wait(timeout=30)

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(stats.acknowledged, fh)
    verify = subprocess.run([PY, str(ROOT / "loadtest" / "verify.py"), fh.name], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    latencies = sorted(stats.latencies)
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0.0
    print(f"users: {len(browsers)} ({args.leaders} leaders), think {THINK[0]}–{THINK[1]} s, duration: {elapsed:.0f} s")
    print(f"requests: {len(latencies)}, throughput: {len(latencies) / elapsed:.1f} req/s")
    print(f"latency median: {statistics.median(latencies) * 1000:.0f} ms, p95: {p95 * 1000:.0f} ms")
    for kind, values in sorted(stats.by_kind.items()):
        values.sort()
        print(f"  {kind:<18} n={len(values):<6} median={statistics.median(values) * 1000:.0f} ms "
              f"p95={values[max(int(len(values) * 0.95) - 1, 0)] * 1000:.0f} ms")
    saves = sum(int(v["saves"]) for v in stats.acknowledged.values())
    print(f"acknowledged saves/submissions: {saves} on {len(stats.acknowledged)} reports")
    # The client must not be the bottleneck: its own CPU time against the wall time (2 cores on the bench machine).
    print(f"client CPU: {client_cpu:.1f} s in {elapsed:.0f} s ({100 * client_cpu / elapsed:.0f} % of one core)")
    print(f"errors: {len(stats.errors)} (login: {login_errors})")
    for error in stats.errors[:10]:
        print("   ", error)
    print(f"database check: {verify.stdout.strip() or verify.stderr.strip()}")
    return 0 if not stats.errors and verify.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

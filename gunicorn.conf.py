"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py fazhi.wsgi` (see deploy/README.md).

Every value can be overridden from the environment so one file serves a 2-core VM and a 16-core host.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Sync workers with threads: Django views block on PostgreSQL; threads overlap that wait cheaply.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never take a server down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Upload bodies stream to Django; nginx already limits their size.
limit_request_line = 8190
# Logs go to stdout/stderr for systemd-journald or the container runtime; access log as one line each.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# nginx on the same host (or the load balancer's addresses) may set X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True

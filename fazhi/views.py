from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the page they start their day on."""
    if request.user.is_liaison:
        return redirect("reports:todo")
    if request.user.is_leader:
        # Leaders come to see where things stand, often on a phone: the dashboard, not the registry.
        return redirect("dashboard:home")
    return redirect("tasks:plan_list")


@login_not_required
@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness for the load balancer: every database alias and the cache answer, else 503."""
    checks: dict[str, str] = {}
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            checks[f"database:{alias}" if alias != "default" else "database"] = "ok"
        except Exception:  # any failure means "send no traffic here", never a 500 page
            checks[f"database:{alias}" if alias != "default" else "database"] = "unavailable"
    try:
        key = f"fazhi:readyz:{uuid.uuid4().hex}"
        cache.set(key, "1", timeout=10)
        checks["cache"] = "ok" if cache.get(key) == "1" else "unavailable"
        cache.delete(key)
    except Exception:
        checks["cache"] = "unavailable"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "error", **checks}, status=200 if ready else 503)


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page says: send them to the site's icon."""
    return redirect(static("favicon.svg"), permanent=True)

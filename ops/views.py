"""The restore-drill record the office prints for the 等保 assessor (coordinators only)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.permissions import coordinator_required
from ops.models import DrillOutcome, RestoreDrill


@coordinator_required
@require_GET
def drill_list(request: HttpRequest) -> HttpResponse:
    drills = RestoreDrill.objects.all()
    page = Paginator(drills, 50).get_page(request.GET.get("page"))
    latest_passed = drills.filter(outcome=DrillOutcome.PASSED).first()
    return render(request, "ops/drill_list.html", {"page": page, "latest_passed": latest_passed})


@coordinator_required
@require_GET
def drill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    drill = get_object_or_404(RestoreDrill, pk=pk)
    return render(request, "ops/drill_detail.html", {"drill": drill})

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tasks.models import Plan


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.all()
    return render(request, "tasks/plan_list.html", {"plans": plans})

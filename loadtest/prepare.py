"""Load-test fixture: demo data, an open period, one liaison per unit that owes reports, and leaders.

Run by loadtest/run.py inside the project environment; prints JSON describing the virtual users.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from accounts.services import create_user  # noqa: E402
from reports import services as report_services  # noqa: E402
from reports.models import Obligation, Period, PeriodStatus  # noqa: E402
from tasks.models import Plan, Unit  # noqa: E402


def main(liaisons: int, leaders: int) -> None:
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_demo", "--force", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    plan = Plan.objects.order_by("-year", "id").first()
    # The open period that most units owe reports in, so every virtual liaison has a unit of its own.
    period = (Period.objects.filter(plan=plan, status=PeriodStatus.OPEN)
              .annotate(units=Count("obligations__unit", distinct=True)).order_by("-units", "id").first())
    if period is None:
        period = report_services.open_period(plan=plan, name="压测期次", user=None,
                                             due_on=dt.date.today() + dt.timedelta(days=30))
    password = settings.FAZHI_DEMO_PASSWORD
    units = (Obligation.objects.filter(period=period).values_list("unit_id", "unit__name")
             .distinct().order_by("unit_id"))[:liaisons]
    people = []
    for unit_id, _name in units:
        username = f"load_liaison_{unit_id}"
        if not User.objects.filter(username=username).exists():
            create_user(username=username, role=Role.LIAISON, password=password, unit=Unit.objects.get(pk=unit_id))
        obligations = list(Obligation.objects.filter(period=period, unit_id=unit_id).values_list("pk", flat=True))
        people.append({"username": username, "role": "liaison", "obligations": obligations})
    for n in range(leaders):
        username = f"load_leader_{n}"
        if not User.objects.filter(username=username).exists():
            create_user(username=username, role=Role.LEADER, password=password)
        people.append({"username": username, "role": "leader"})
    print(json.dumps({"period": period.pk, "password": password, "users": people}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))

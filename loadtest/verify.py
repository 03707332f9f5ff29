"""After the run: every acknowledged save is in the database, and no obligation has two reports."""

from __future__ import annotations

import json
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
django.setup()

from django.db.models import Count  # noqa: E402

from reports.models import Report  # noqa: E402


def main(path: str) -> None:
    acknowledged = json.load(open(path))  # noqa: SIM115  {report_pk: {"text": last text, "saves": n}}
    problems = []
    duplicates = list(Report.objects.values("obligation").annotate(n=Count("id")).filter(n__gt=1))
    if duplicates:
        problems.append(f"duplicated reports: {duplicates}")
    reports = Report.objects.in_bulk([int(pk) for pk in acknowledged])
    for pk, expected in acknowledged.items():
        report = reports.get(int(pk))
        if report is None:
            problems.append(f"report {pk} lost")
        elif report.measures != expected["text"]:
            problems.append(f"report {pk}: last acknowledged text not stored")
    print(json.dumps({"reports_checked": len(acknowledged), "problems": problems}, ensure_ascii=False))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main(sys.argv[1])

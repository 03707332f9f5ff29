"""Helpers for the backup tests: a small world with files, a snapshot to compare, archive surgery."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from decimal import Decimal
from pathlib import Path

from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from accounts.models import User
from audit.models import EventKind, SecurityEvent
from reports.models import Attachment, Report, ReportFigure
from tasks.models import DocumentImport, Plan, WorkItem
from tests.factories import ReportFactory, UserFactory, WorkItemFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))


def build_world(files: int = 3) -> None:
    """Reports with evidence, a decimal, JSON, a security event and audit-log rows (content-type ids)."""
    uploader = UserFactory(username="uploader")
    for n in range(files):
        report = ReportFactory(obligation__item=WorkItemFactory(title=f"备份测试任务{n}"),
                               measures=f"第{n}项措施\t含制表符\n和换行\\反斜杠")
        content = PDF + str(n).encode()
        name = default_storage.save(f"attachments/test/evidence{n}.pdf", ContentFile(content))
        Attachment.objects.create(report=report, file=name, original_name=f"佐证{n}.pdf", size=len(content),
                                  content_type="application/pdf", sha256=hashlib.sha256(content).hexdigest(),
                                  uploaded_by=uploader)
        ReportFigure.objects.create(report=report, label="出庭率", value=Decimal("99.50") + n, unit="%")
    DocumentImport.objects.create(owner=uploader, source="docx", filename="要点.docx",
                                  data={"items": [{"title": "引号\"与中文", "n": 1}]}, mapping={"各区镇": [1, 2]})
    SecurityEvent.objects.create(kind=EventKind.LOGIN, username="uploader", ip_address="10.0.0.1")


def snapshot() -> dict[str, object]:
    return {
        "plans": sorted(Plan.objects.values_list("title", "doc_number", "created_at")),
        "items": sorted(WorkItem.objects.values_list("plan__title", "number", "title", "body")),
        "reports": sorted(Report.objects.values_list("pk", "obligation__item__title", "obligation__unit__name",
                                                     "state", "measures", "percent", "version")),
        "figures": sorted(ReportFigure.objects.values_list("report_id", "label", "value")),
        "imports": list(DocumentImport.objects.values_list("data", "mapping", "created_at")),
        "users": sorted(User.objects.values_list("username", "role", "password", "unit__name", "is_active")),
        "events": list(SecurityEvent.objects.values_list("kind", "username", "ip_address", "at")),
        "changes": sorted((e.content_type.app_label, e.content_type.model, e.object_pk, e.action)
                          for e in LogEntry.objects.select_related("content_type")),
        "attachments": sorted(
            (a.report.obligation.item.title, a.original_name, a.file.name, a.sha256,
             hashlib.sha256(a.file.open("rb").read()).hexdigest())
            for a in Attachment.objects.select_related("report__obligation__item")
        ),
    }


def empty_everything(media: Path) -> None:
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def write_members(path: Path, content: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:", format=tarfile.GNU_FORMAT) as tar:
        for name, data in content.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def edit_manifest(content: dict[str, bytes], change) -> dict[str, bytes]:
    manifest = json.loads(content["manifest.json"])
    change(manifest)
    content = {k: v for k, v in content.items() if k != "manifest.json"}
    content["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    return content


def row_counts() -> dict[str, int]:
    """Rows per table restore writes to (content types and permissions aside)."""
    from ops.portable import copied_models

    counts = {}
    with connection.cursor() as cursor:
        for model in copied_models():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
            counts[model._meta.label_lower] = cursor.fetchone()[0]
    return counts


def row_count() -> int:
    return sum(row_counts().values())

"""`backup` then `restore` into an empty database gives back every plan, report and attachment."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from accounts.models import User
from reports.models import Attachment, Report
from tasks.models import Plan, WorkItem
from tests.factories import ReportFactory, UserFactory, WorkItemFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _snapshot() -> dict[str, object]:
    return {
        "plans": sorted(Plan.objects.values_list("title", "doc_number")),
        "items": sorted(WorkItem.objects.values_list("plan__title", "number", "title", "body")),
        "reports": sorted(Report.objects.values_list("obligation__item__title", "obligation__unit__name", "state",
                                                     "measures", "percent", "version")),
        "users": sorted(User.objects.values_list("username", "role", "password", "unit__name")),
        "attachments": sorted(
            (a.report.obligation.item.title, a.original_name, a.file.name, a.sha256,
             hashlib.sha256(a.file.open("rb").read()).hexdigest())
            for a in Attachment.objects.select_related("report__obligation__item")
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_gives_back_everything(media, tmp_path):
    uploader = UserFactory(username="uploader")
    for n in range(3):
        report = ReportFactory(obligation__item=WorkItemFactory(title=f"备份测试任务{n}"))
        content = PDF + str(n).encode()
        name = default_storage.save(f"attachments/test/evidence{n}.pdf", ContentFile(content))
        Attachment.objects.create(report=report, file=name, original_name=f"佐证{n}.pdf", size=len(content),
                                  content_type="application/pdf", sha256=hashlib.sha256(content).hexdigest(),
                                  uploaded_by=uploader)
    before = _snapshot()
    assert len(before["attachments"]) == 3 and len(before["reports"]) == 3

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))

    call_command("flush", "--noinput", verbosity=0)
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Plan.objects.exists() and not Report.objects.exists()

    call_command("restore", str(archive))
    after = _snapshot()
    assert after == before
    assert User.objects.get(username="uploader").check_password("Testing@2026")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_data(media, tmp_path):
    UserFactory(username="someone")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    with pytest.raises(CommandError, match="空数据库"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_a_corrupted_file_in_the_archive_is_detected_before_anything_is_loaded(media, tmp_path):
    import tarfile

    report = ReportFactory()
    name = default_storage.save("attachments/x/a.pdf", ContentFile(PDF))
    Attachment.objects.create(report=report, file=name, original_name="a.pdf", size=len(PDF),
                              content_type="application/pdf")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("files/"):
                data = b"X" + data[1:]
            import io

            dst.addfile(member, io.BytesIO(data))
    call_command("flush", "--noinput", verbosity=0)
    with pytest.raises(CommandError, match="损坏"):
        call_command("restore", str(tampered))
    assert not Report.objects.exists()

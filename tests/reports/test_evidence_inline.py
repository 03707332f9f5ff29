"""Evidence opens in the browser when it is a PDF, PNG or JPEG by content, for exactly those who may download it;
the response cannot run script; everything else is downloaded."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services
from reports.views import inline_type
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 24
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 24


def _submitted_with(world, name: str, content: bytes, kind: str):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    attachment = services.add_attachment(report=report, upload=SimpleUploadedFile(name, content), kind=kind,
                                         user=world.liaison_a)
    services.submit_report(report=report, user=world.liaison_a)
    return report, attachment


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("判决书.pdf", PDF, "application/pdf"), ("现场.png", PNG, "image/png"), ("照片.jpg", JPEG, "image/jpeg"),
])
@pytest.mark.parametrize("persona", ["liaison_a_client", "coordinator_client", "leader_client"])
def test_pdf_and_images_open_inline_for_everyone_who_may_read_the_evidence(request, world, name, content, kind,
                                                                           persona):
    _, attachment = _submitted_with(world, name, content, kind)
    response = request.getfixturevalue(persona).get(f"/reports/attachments/{attachment.pk}/view/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == kind
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy


def test_other_units_liaisons_get_neither_the_view_nor_the_download(world, liaison_b_client):
    _, attachment = _submitted_with(world, "判决书.pdf", PDF, "application/pdf")
    assert liaison_b_client.get(f"/reports/attachments/{attachment.pk}/view/").status_code == 404
    assert liaison_b_client.get(f"/reports/attachments/{attachment.pk}/").status_code == 404


def test_a_draft_s_evidence_stays_with_its_unit(world, coordinator_client, liaison_a_client):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    attachment = services.add_attachment(report=report, upload=SimpleUploadedFile("a.pdf", PDF),
                                         kind="application/pdf", user=world.liaison_a)
    assert coordinator_client.get(f"/reports/attachments/{attachment.pk}/view/").status_code == 404
    assert liaison_a_client.get(f"/reports/attachments/{attachment.pk}/view/").status_code == 200


def test_a_file_whose_content_is_not_pdf_or_image_is_downloaded_not_shown(world, coordinator_client):
    """Judged by the stored bytes: a file that says PDF but holds HTML (changed on disk) is never rendered."""
    _, attachment = _submitted_with(world, "判决书.pdf", PDF, "application/pdf")
    with attachment.file.storage.open(attachment.file.name, "wb") as fh:
        fh.write(b"<html><script>alert(1)</script></html>")
    response = coordinator_client.get(f"/reports/attachments/{attachment.pk}/view/")
    assert response.status_code == 302 and response["Location"] == f"/reports/attachments/{attachment.pk}/"
    download = coordinator_client.get(response["Location"])
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_word_files_are_offered_for_download_only(world, coordinator_client):
    import io

    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    report, attachment = _submitted_with(world, "材料.docx", buffer.getvalue(),
                                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    html = coordinator_client.get(f"/reports/{report.pk}/").content.decode()
    assert f"/reports/attachments/{attachment.pk}/view/" not in html
    assert f"/reports/attachments/{attachment.pk}/" in html
    assert coordinator_client.get(f"/reports/attachments/{attachment.pk}/view/").status_code == 302


def test_the_report_page_opens_pdfs_in_a_new_tab_and_keeps_a_download_link(world, leader_client):
    report, attachment = _submitted_with(world, "判决书.pdf", PDF, "application/pdf")
    html = leader_client.get(f"/reports/{report.pk}/").content.decode()
    assert f'href="/reports/attachments/{attachment.pk}/view/" target="_blank" rel="noopener">判决书.pdf' in html
    assert f'href="/reports/attachments/{attachment.pk}/" aria-label="下载 判决书.pdf">下载' in html


@pytest.mark.parametrize(("head", "expected"), [
    (PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (b"<svg xmlns=", ""),
    (b"GIF89a", ""), (b"PK\x03\x04", ""), (b"", ""), (b"%PD", ""),
])
def test_only_pdf_png_and_jpeg_signatures_open_inline(head, expected):
    assert inline_type(head[:8]) == expected

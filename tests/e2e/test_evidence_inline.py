"""In Chromium, a PDF evidence file opens in the browser's PDF viewer under the response's locked-down CSP
(a sandboxing policy is known to blank the viewer in some versions: this proves the page is not blank)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services
from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_with_text(text: str) -> bytes:
    """A small valid one-page PDF (correct xref offsets) that draws ``text`` in large letters."""
    stream = f"BT /F1 36 Tf 72 700 Td ({text}) Tj ET 0 0 1 rg 72 400 300 200 re f".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_a_pdf_opens_in_chromiums_viewer_and_is_not_blank(browser, everyone, open_period, unit_a, liaison_a):
    obligation = open_period.obligations.filter(unit=unit_a).first()
    report = services.start_report(obligation=obligation, user=liaison_a)
    report = services.save_report(report=report, data={"progress": "in_progress", "percent": 30,
                                                       "measures": "开展专项检查。"},
                                  figures=None, user=liaison_a, expected_version=report.version)
    attachment = services.add_attachment(report=report, upload=SimpleUploadedFile("检查通报.pdf",
                                                                                  pdf_with_text("Fazhi evidence")),
                                         kind="application/pdf", user=liaison_a)
    services.submit_report(report=report, user=liaison_a)

    page = browser.page_for("leader")
    page.goto(f"{browser.base_url}/reports/{report.pk}/")
    assert_accessible(page)
    with page.context.expect_page() as opened:
        page.click(f"a[href='/reports/attachments/{attachment.pk}/view/']")
    viewer = opened.value
    viewer.wait_for_load_state()

    blank = page.context.new_page()
    blank.set_viewport_size(viewer.viewport_size)
    blank.goto("about:blank")
    blank_size = len(blank.screenshot())
    blank.close()

    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    # The viewer draws the page a moment after load (1-5 s here): poll. A rendered page (toolbar, thumbnail,
    # text, a blue box) compresses to several times the size of a blank or still-empty viewer.
    size = 0
    for _ in range(30):
        viewer.wait_for_timeout(500)
        size = len(viewer.screenshot(path=str(ARTIFACTS / "evidence-pdf-viewer.png")))
        if size > 3 * blank_size:
            break
    assert size > 3 * blank_size, (size, blank_size)
    assert any(frame.url.startswith("chrome-extension://") for frame in viewer.frames), "not the PDF viewer"

    response = page.request.get(f"{browser.base_url}/reports/attachments/{attachment.pk}/view/")
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["content-disposition"].startswith("inline")
    assert browser.errors == []

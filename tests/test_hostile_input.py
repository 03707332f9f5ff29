"""Hostile and random input to every form: the answer is a form error or a clean rejection, never a 500,
and a rejected submission saves nothing (property-based, hypothesis)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from reports import services as report_services
from tests.hostile_support import HOSTILE, HOSTILE_SAMPLES, SETTINGS, counts, page_fields

pytestmark = pytest.mark.django_db

# (persona fixture, form page, watched models): a rejected submission must leave their row counts unchanged.
FORMS = [
    ("coordinator_client", "/plans/new/", ["tasks.Plan"]),
    ("coordinator_client", "/plans/units/new/", ["tasks.Unit", "tasks.Alias"]),
    ("coordinator_client", "/plans/groups/new/", ["tasks.UnitGroup"]),
    ("coordinator_client", "/plans/{plan}/chapters/new/", ["tasks.Chapter"]),
    ("coordinator_client", "/plans/{plan}/items/new/", ["tasks.WorkItem", "tasks.Assignment"]),
    ("coordinator_client", "/plans/import/", ["tasks.Plan", "tasks.DocumentImport"]),
    ("coordinator_client", "/reports/plans/{plan}/periods/", ["reports.Period", "reports.Obligation"]),
    ("coordinator_client", "/accounts/users/new/", ["accounts.User"]),
    ("liaison_a_client", "/reports/{report}/edit/", ["reports.ReportFigure", "reports.Attachment"]),
    ("coordinator_client", "/audit/", []),
    ("coordinator_client", "/plans/items/", []),
    ("coordinator_client", "/plans/units/", []),
    ("coordinator_client", "/accounts/users/", []),
    ("coordinator_client", "/reports/review/", []),
]
SEARCH_PAGES = {"/audit/", "/plans/items/", "/plans/units/", "/accounts/users/", "/reports/review/"}
SKIP_FIELDS = {"csrfmiddlewaretoken", "version", "next"}
MANAGEMENT = re.compile(r"TOTAL_FORMS|INITIAL_FORMS|MIN_NUM|MAX_NUM")


@pytest.fixture
def scene(small_plan, coordinator, liaison_a, unit_a):
    period = report_services.open_period(plan=small_plan, name="半年报", user=coordinator,
                                         due_on=dt.date.today() + dt.timedelta(days=10))
    obligation = period.obligations.filter(unit=unit_a).first()
    report = report_services.start_report(obligation=obligation, user=liaison_a)
    return {"plan": small_plan.pk, "report": report.pk}


@pytest.mark.parametrize(("persona", "url", "watched"), FORMS, ids=[f[1] for f in FORMS])
def test_hostile_text_in_every_field_never_errors_and_rejections_save_nothing(request, scene, persona, url,
                                                                             watched):
    client = request.getfixturevalue(persona)
    url = url.format(**scene)
    fields = page_fields(client, url)
    text_fields = [k for k in fields if k not in SKIP_FIELDS and not MANAGEMENT.search(k)]
    assert text_fields, f"no fields found on {url}"
    is_search = url in SEARCH_PAGES

    @SETTINGS
    @given(values=st.lists(HOSTILE, min_size=len(text_fields), max_size=len(text_fields)))
    def run(values: list[str]) -> None:
        check(values)

    def check(values: list[str]) -> None:
        data = dict(fields)
        data.update(zip(text_fields, values, strict=True))
        before = counts(watched)
        response = client.get(url, data) if is_search else client.post(url, data)
        assert response.status_code < 500
        assert response.status_code in (200, 302, 400, 403, 404, 413)
        if response.status_code != 302:
            assert counts(watched) == before, "a rejected submission left rows behind"

    for sample in HOSTILE_SAMPLES:  # every hostile sample in every field at once, deterministically
        check([sample] * len(text_fields))
    run()


MALFORMED = st.tuples(
    st.sampled_from(["证据.pdf", "表.xlsx", "文.docx", "图.png", "x.exe", "无扩展名", "a.pdf.exe", "../../evil.pdf",
                     "<script>.pdf"]),
    st.one_of(st.binary(max_size=2000), st.sampled_from([b"", b"%PDF-", b"PK\x03\x04" + b"\x00" * 100,
                                                         b"\x89PNG\r\n\x1a\n", b"MZ\x90\x00"])),
)


def test_malformed_evidence_files_are_refused_cleanly(scene, liaison_a_client):
    url = f"/reports/{scene['report']}/edit/"
    fields = page_fields(liaison_a_client, url)

    @SETTINGS
    @given(upload=MALFORMED)
    def run(upload: tuple[str, bytes]) -> None:
        name, content = upload
        before = counts(["reports.Attachment"])
        data = {**page_fields(liaison_a_client, url), "action": "save"}
        data["files"] = SimpleUploadedFile(name, content)
        response = liaison_a_client.post(url, data)
        assert response.status_code in (200, 302, 400)
        after = counts(["reports.Attachment"])
        if after != before:
            # Only a file whose signature matches its extension may be kept.
            assert (name.endswith(".pdf") and content.startswith(b"%PDF-")) or \
                   (name.endswith(".png") and content.startswith(b"\x89PNG"))

    assert fields
    run()


def test_malformed_documents_for_import_are_refused_cleanly(coordinator_client, db):
    @SETTINGS
    @given(upload=MALFORMED)
    def run(upload: tuple[str, bytes]) -> None:
        name, content = upload
        before = counts(["tasks.Plan", "tasks.DocumentImport"])
        response = coordinator_client.post("/plans/import/", {"file": SimpleUploadedFile(name, content)})
        # A form error is answered 200 or 400 (the import screens use 400); both must save nothing.
        assert response.status_code in (200, 302, 400)
        if response.status_code != 302:
            assert counts(["tasks.Plan", "tasks.DocumentImport"]) == before

    run()

"""With FAZHI_STORAGE=s3, evidence lives in an S3-compatible object store, private, under random names, and
every path that touches files — upload through the report form, permission-checked download, deletion,
``backup`` and ``restore`` — goes through the bucket.

Runs against a real HTTP S3 endpoint: moto's server (a dev requirement, so never skipped) on 127.0.0.1
with a port chosen by the system, one fresh bucket per test. ``STORAGES`` is built by running
fazhi/settings.py with the FAZHI_S3_* variables, so the options tested are the ones production gets."""

from __future__ import annotations

import hashlib
import runpy
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from moto.server import ThreadedMotoServer

from reports import services
from reports.models import Attachment, Report
from tests.reports.conftest import fill

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ACCESS_KEY, SECRET_KEY, REGION = "fazhi-test", "fazhi-test-secret", "us-east-1"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A new empty bucket, and STORAGES exactly as fazhi/settings.py builds them for it."""
    name = f"fazhi-evidence-{uuid.uuid4().hex[:12]}"
    _client(s3_endpoint).create_bucket(Bucket=name)
    for variable, value in {"FAZHI_STORAGE": "s3", "FAZHI_S3_BUCKET": name, "FAZHI_S3_ENDPOINT_URL": s3_endpoint,
                            "FAZHI_S3_REGION": REGION, "FAZHI_S3_ACCESS_KEY": ACCESS_KEY,
                            "FAZHI_S3_SECRET_KEY": SECRET_KEY}.items():
        monkeypatch.setenv(variable, value)
    built = runpy.run_module("fazhi.settings")  # a fresh namespace: the loaded settings stay untouched
    assert built["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    # setting_changed resets default_storage, which FileFields resolve lazily.
    settings.STORAGES = {**settings.STORAGES, "default": built["STORAGES"]["default"]}
    return name


def _objects(endpoint: str, bucket: str) -> dict[str, bytes]:
    s3 = _client(endpoint)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def _anonymous_get(endpoint: str, bucket: str, key: str) -> int:
    try:
        with urllib.request.urlopen(f"{endpoint}/{bucket}/{key}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _form(report, **extra):
    return {"progress": "in_progress", "percent": "60", "measures": "完成政务服务事项梳理。", "problems": "",
            "next_steps": "", "delay_reason": "", "version": str(report.version), "action": "save",
            "fig-TOTAL_FORMS": "0", "fig-INITIAL_FORMS": "0", "fig-MIN_NUM_FORMS": "0",
            "fig-MAX_NUM_FORMS": "1000", **extra}


def _upload_through_the_form(client, report, name: str, content: bytes) -> Attachment:
    before = set(report.attachments.values_list("pk", flat=True))
    report.refresh_from_db()
    response = client.post(f"/reports/{report.pk}/edit/",
                           _form(report, files=SimpleUploadedFile(name, content, content_type="application/pdf")))
    assert response.status_code == 302, response.content.decode()[:2000]
    return report.attachments.exclude(pk__in=before).get()


@pytest.fixture
def draft(world):
    return services.start_report(obligation=world.a1, user=world.liaison_a)


def test_the_storage_in_use_is_the_s3_bucket(bucket):
    from storages.backends.s3 import S3Storage

    # The FileField holds the lazy default_storage, so it follows the overridden STORAGES.
    field_storage = Attachment._meta.get_field("file").storage
    assert field_storage is default_storage
    assert field_storage.bucket_name == bucket and isinstance(field_storage._wrapped, S3Storage)


def test_evidence_uploaded_through_the_form_is_a_private_object_under_a_random_name(
        bucket, s3_endpoint, draft, liaison_a_client):
    attachment = _upload_through_the_form(liaison_a_client, draft, "执法检查通报.pdf", PDF)

    objects = _objects(s3_endpoint, bucket)
    assert objects == {attachment.file.name: PDF}
    assert attachment.file.name.startswith("attachments/") and "执法检查通报" not in attachment.file.name
    assert attachment.original_name == "执法检查通报.pdf" and attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    acl = _client(s3_endpoint).get_object_acl(Bucket=bucket, Key=attachment.file.name)
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]
    assert all(g["Grantee"].get("URI") != ALL_USERS for g in acl["Grants"])
    assert _anonymous_get(s3_endpoint, bucket, attachment.file.name) == 403


def test_the_anonymous_check_would_notice_a_public_object(bucket, s3_endpoint):
    # The refusal above comes from the object's ACL, not from the server refusing every anonymous request.
    _client(s3_endpoint).put_object(Bucket=bucket, Key="public-probe.txt", Body=b"x", ACL="public-read")
    assert _anonymous_get(s3_endpoint, bucket, "public-probe.txt") == 200


def test_two_uploads_with_the_same_name_are_two_objects(bucket, s3_endpoint, draft, liaison_a_client):
    first = _upload_through_the_form(liaison_a_client, draft, "佐证.pdf", PDF + b"first")
    second = _upload_through_the_form(liaison_a_client, draft, "佐证.pdf", PDF + b"second")

    assert first.file.name != second.file.name
    assert _objects(s3_endpoint, bucket) == {first.file.name: PDF + b"first", second.file.name: PDF + b"second"}


def test_the_download_view_streams_the_exact_bytes_and_other_units_get_404(
        bucket, draft, liaison_a_client, liaison_b_client):
    content = PDF + bytes(range(256)) * 64
    attachment = _upload_through_the_form(liaison_a_client, draft, "台账.pdf", content)

    response = liaison_a_client.get(f"/reports/attachments/{attachment.pk}/")
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;") and "filename*=utf-8''" in \
        response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert liaison_b_client.get(f"/reports/attachments/{attachment.pk}/").status_code == 404


def test_deleting_evidence_removes_the_object(bucket, s3_endpoint, draft, liaison_a_client,
                                              django_capture_on_commit_callbacks):
    kept = _upload_through_the_form(liaison_a_client, draft, "保留.pdf", PDF + b"kept")
    gone = _upload_through_the_form(liaison_a_client, draft, "删除.pdf", PDF + b"gone")

    with django_capture_on_commit_callbacks(execute=True):
        response = liaison_a_client.post(f"/reports/attachments/{gone.pk}/delete/")
    assert response["Location"] == f"/reports/{draft.pk}/edit/"
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["保留.pdf"]
    assert _objects(s3_endpoint, bucket) == {kept.file.name: PDF + b"kept"}


@pytest.mark.django_db(transaction=True)
def test_backup_reads_the_bucket_and_restore_writes_it_back(bucket, s3_endpoint, world, client, tmp_path):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    client.force_login(world.liaison_a)
    contents = {f"佐证{n}.pdf": PDF + str(n).encode() * 100 for n in range(3)}
    for name, content in contents.items():
        _upload_through_the_form(client, report, name, content)
    stored = {a.original_name: a.file.name for a in Attachment.objects.all()}
    assert _objects(s3_endpoint, bucket) == {stored[name]: content for name, content in contents.items()}

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    call_command("flush", "--noinput", verbosity=0)
    s3 = _client(s3_endpoint)
    for key in stored.values():
        s3.delete_object(Bucket=bucket, Key=key)
    assert _objects(s3_endpoint, bucket) == {} and not Report.objects.exists()

    call_command("restore", str(archive))
    assert _objects(s3_endpoint, bucket) == {stored[name]: content for name, content in contents.items()}
    assert {a.original_name: a.file.name for a in Attachment.objects.all()} == stored
    for key in stored.values():
        assert _anonymous_get(s3_endpoint, bucket, key) == 403
